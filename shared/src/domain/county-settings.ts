import { DEFAULT_REPORT_DUE_SETTINGS } from './reports';

/**
 * Local policy, configurable per county (served_counties.settings); these are the defaults of
 * BRIEF §4 (即辍即劝: acknowledge within 24 h, verify within 3 days, …).
 */
export interface CountySettings {
  /** A new tip or case is accepted by the township within this many hours. */
  acknowledgeHours: number;
  /** Verification is done within this many days of acceptance. */
  verifyDays: number;
  /** The first home visit happens within this many days of confirmation. */
  firstVisitDays: number;
  /** A written notice (限期返校通知书) goes out if the child is not back within this many days. */
  noticeDays: number;
  /** A school reports a pupil absent without leave for this many consecutive school days. */
  absenceReportDays: number;
  /** Tips one supervisor may send in 24 hours. */
  tipsPerSupervisorPerDay: number;
  /** An overdue case climbs from the township leader to the county after this many more hours. */
  escalateToCountyHours: number;
  /** A transfer not accepted within this many days escalates. */
  transferAcceptDays: number;
  /** 销号 rule: present on at least `closeMinPresentDays` of the first `closeWindowDays` school days after return. */
  closeMinPresentDays: number;
  closeWindowDays: number;
  /** Relapse watch: re-checks this many days after 销号. */
  recheckDays: number[];
  /** A returned child absent this many consecutive school days reopens the case. */
  relapseAbsenceDays: number;
  /** Absence monitoring (after `absenceReportDays`, the school is alerted): this many consecutive ones open a suspected-dropout case… */
  absenceCaseConsecutiveDays: number;
  /** …as do `absenceCaseMinDays` of the last `absenceCaseWindowDays` school days. */
  absenceCaseMinDays: number;
  absenceCaseWindowDays: number;
  /** Retention (BRIEF §7): a case finished this many years ago is pseudonymised — names, ID numbers, notes and photos go. */
  retentionYears: number;
  /** A parent's complaint about a subsidy (资助投诉) is answered by the county's student-aid office within this many days. */
  complaintAnswerDays: number;
  /** Periodic reports (BRIEF §5a): the day of the next month a school's and a township's monthly report are due… */
  reportSchoolDueDay: number;
  reportTownshipDueDay: number;
  /** …and the day of the month after the quarter the county's quarterly report is due. */
  reportCountyDueDay: number;
}

/** What each setting is called where officials set it (时限与规则) and read its changes (the audit log). */
export const COUNTY_SETTING_LABELS: Record<keyof CountySettings, string> = {
  acknowledgeHours: '受理新线索',
  verifyDays: '受理后完成核查',
  firstVisitDays: '确认辍学后首次家访',
  noticeDays: '未返校时发出《限期返校通知书》',
  transferAcceptDays: '接收移交',
  escalateToCountyHours: '逾期后再升级到县教育局',
  closeWindowDays: '销号观察期',
  closeMinPresentDays: '观察期内至少出勤',
  recheckDays: '销号后复查',
  relapseAbsenceDays: '返校后连续无故缺勤重新打开案件',
  absenceReportDays: '学校上报连续无故缺勤',
  absenceCaseConsecutiveDays: '连续缺勤立案',
  absenceCaseWindowDays: '累计缺勤观察期',
  absenceCaseMinDays: '观察期内累计缺勤立案',
  tipsPerSupervisorPerDay: '每位监督员每天最多提交',
  complaintAnswerDays: '答复家长的资助投诉',
  retentionYears: '结案后保存案件资料',
  reportSchoolDueDay: '学校月报截止（次月几日）',
  reportTownshipDueDay: '乡镇月报截止（次月几日）',
  reportCountyDueDay: '县季报截止（季后首月几日）',
};

export const DEFAULT_COUNTY_SETTINGS: CountySettings = {
  acknowledgeHours: 24,
  verifyDays: 3,
  firstVisitDays: 3,
  noticeDays: 15,
  absenceReportDays: 3,
  tipsPerSupervisorPerDay: 20,
  escalateToCountyHours: 24,
  transferAcceptDays: 3,
  closeMinPresentDays: 20,
  closeWindowDays: 30,
  recheckDays: [30, 90],
  relapseAbsenceDays: 3,
  absenceCaseConsecutiveDays: 7,
  absenceCaseMinDays: 20,
  absenceCaseWindowDays: 30,
  retentionYears: 5,
  complaintAnswerDays: 7,
  ...DEFAULT_REPORT_DUE_SETTINGS,
};

export function countySettings(stored: Partial<CountySettings> | null | undefined): CountySettings {
  return { ...DEFAULT_COUNTY_SETTINGS, ...(stored ?? {}) };
}
