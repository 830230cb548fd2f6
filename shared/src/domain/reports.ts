import { CASE_SOURCES, DROPOUT_CAUSES, PLACEMENT_MODES, PRIORITY_GROUPS } from './cases';
import type { CaseSource, DropoutCause, PlacementMode, PriorityGroup } from './cases';

/**
 * Periodic reports up the chain (BRIEF §5a, issue 18 part 2): a school reports monthly to its
 * township, a township monthly to the county, a county quarterly to the prefecture and province.
 */
export const REPORT_KINDS = {
  school_monthly: '学校月报',
  township_monthly: '乡镇月报',
  county_quarterly: '县季报',
} as const;
export type ReportKind = keyof typeof REPORT_KINDS;
export const REPORT_KIND_LIST = Object.keys(REPORT_KINDS) as [ReportKind, ...ReportKind[]];

/** Who reports and to whom. */
export const REPORT_CHAIN: Record<ReportKind, { unitLevel: 'school' | 'township' | 'county'; to: string }> = {
  school_monthly: { unitLevel: 'school', to: '乡镇' },
  township_monthly: { unitLevel: 'township', to: '县教育局' },
  county_quarterly: { unitLevel: 'county', to: '市、省教育局' },
};

/**
 * draft → submitted → approved | returned; a returned report is edited and submitted again. Reopening
 * an approved report (the approver, with a reason, audited) sends it back as `returned`, the reason
 * as the comment, so the unit can refresh the figures and submit again.
 */
export const REPORT_STATUSES = {
  draft: '草稿',
  submitted: '已上报，待审核',
  approved: '已审核通过',
  returned: '已退回',
} as const;
export type ReportStatus = keyof typeof REPORT_STATUSES;
export const REPORT_STATUS_LIST = Object.keys(REPORT_STATUSES) as [ReportStatus, ...ReportStatus[]];

/** What can be done with a report; the server lists those the caller may take now (`actions`). */
export const REPORT_ACTIONS = {
  refresh: '重新生成数据',
  edit: '填写说明',
  submit: '上报',
  approve: '审核通过',
  return: '退回',
  reopen: '重新打开',
} as const;
export type ReportAction = keyof typeof REPORT_ACTIONS;

export const REPORT_EXPLANATION_MAX = 2000;
export const REPORT_COMMENT_MAX = 1000;
export const REPORT_REASON_MIN = 4;

const MONTHLY = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTERLY = /^(\d{4})-Q([1-4])$/;

/** Whether `period` is a period key of the kind: `2026-11` for a month, `2026-Q4` for a quarter. */
export function isReportPeriod(kind: ReportKind, period: string): boolean {
  return kind === 'county_quarterly' ? QUARTERLY.test(period) : MONTHLY.test(period);
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The first and last month (1–12) of a period and its year. */
function months(period: string): { year: number; first: number; last: number } {
  const q = QUARTERLY.exec(period);
  if (q) {
    const quarter = Number(q[2]);
    return { year: Number(q[1]), first: quarter * 3 - 2, last: quarter * 3 };
  }
  const m = MONTHLY.exec(period);
  if (!m) throw new Error(`not a report period: ${period}`);
  return { year: Number(m[1]), first: Number(m[2]), last: Number(m[2]) };
}

/** The China days the period covers, inclusive: `2026-11` → 2026-11-01 … 2026-11-30. */
export function reportPeriodRange(period: string): { from: string; to: string } {
  const { year, first, last } = months(period);
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` };
}

/** The period before: `2026-01` → `2025-12`, `2026-Q1` → `2025-Q4`. */
export function previousReportPeriod(period: string): string {
  const q = QUARTERLY.exec(period);
  if (q) {
    const quarter = Number(q[2]);
    return quarter === 1 ? `${Number(q[1]) - 1}-Q4` : `${q[1]}-Q${quarter - 1}`;
  }
  const { year, first } = months(period);
  return first === 1 ? `${year - 1}-12` : `${year}-${pad(first - 1)}`;
}

/** `2026年11月`, `2026年第四季度`. */
export function reportPeriodLabel(period: string): string {
  const q = QUARTERLY.exec(period);
  if (q) return `${q[1]}年第${'一二三四'[Number(q[2]) - 1]}季度`;
  const { year, first } = months(period);
  return `${year}年${first}月`;
}

/** The period due for reporting on a China day: the month (or quarter) before the one `today` is in. */
export function reportablePeriod(kind: ReportKind, today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (kind === 'county_quarterly') {
    const quarter = Math.ceil(month / 3);
    return previousReportPeriod(`${year}-Q${quarter}`);
  }
  return previousReportPeriod(`${year}-${pad(month)}`);
}

/** Whether the period has begun by the China day `today` (a report of a future period cannot be made). */
export function reportPeriodStarted(period: string, today: string): boolean {
  return reportPeriodRange(period).from <= today;
}

/** The county settings that set the due days (BRIEF §5a: due dates are county settings). */
export interface ReportDueSettings {
  /** A school's monthly report is due on this day of the next month. */
  reportSchoolDueDay: number;
  /** A township's monthly report is due on this day of the next month. */
  reportTownshipDueDay: number;
  /** A county's quarterly report is due on this day of the month after the quarter. */
  reportCountyDueDay: number;
}

export const DEFAULT_REPORT_DUE_SETTINGS: ReportDueSettings = {
  reportSchoolDueDay: 5,
  reportTownshipDueDay: 10,
  reportCountyDueDay: 15,
};

const DUE_SETTING: Record<ReportKind, keyof ReportDueSettings> = {
  school_monthly: 'reportSchoolDueDay',
  township_monthly: 'reportTownshipDueDay',
  county_quarterly: 'reportCountyDueDay',
};

/** The China day a report is due: day N of the month after the period (the month's last day when shorter). */
export function reportDueOn(kind: ReportKind, period: string, settings: ReportDueSettings): string {
  const { year, last } = months(period);
  const dueYear = last === 12 ? year + 1 : year;
  const dueMonth = last === 12 ? 1 : last + 1;
  const day = Math.min(settings[DUE_SETTING[kind]], lastDay(dueYear, dueMonth));
  return `${dueYear}-${pad(dueMonth)}-${pad(day)}`;
}

/** Late: past its due day and not submitted (a draft, a returned report, or none at all). */
export function isReportLate(status: ReportStatus | null, dueOn: string, today: string): boolean {
  return today > dueOn && (status === null || status === 'draft' || status === 'returned');
}

/**
 * The figures of a report, generated from the data of its unit and period (counts of children,
 * never a child): pupils enrolled by stage; new suspected cases by source; children confirmed as
 * dropouts, returned, closed (销号) in the period; still out and overdue at its end; home visits;
 * placements of the returns; causes and priority groups of the confirmed; a county's 巩固率.
 */
export interface ReportFigures {
  enrolment: { primary: number; junior: number };
  newCases: Record<CaseSource, number>;
  confirmed: number;
  returned: number;
  closed: number;
  stillOut: number;
  overdue: number;
  homeVisits: number;
  placements: Record<PlacementMode, number>;
  causes: Record<DropoutCause, number>;
  priorityGroups: Record<PriorityGroup, number>;
  /** The county quarterly report only: the 巩固率 of the cohort graduating in the school year. */
  consolidation: {
    graduatingYear: number;
    rate: number | null;
    graduates: number | null;
    intake: number | null;
    transfersIn: number;
    transfersOut: number;
  } | null;
}

/** One printed line of a report: its section, its label and its value now and in the period before. */
export interface ReportFigureLine {
  key: string;
  section: string;
  label: string;
  current: string;
  previous: string;
}

type Value = (figures: ReportFigures) => number | string | null;
const count = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));
const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

function linesOf(): Array<{ key: string; section: string; label: string; value: Value }> {
  const lines: Array<{ key: string; section: string; label: string; value: Value }> = [
    { key: 'enrolment.primary', section: '在校学生', label: '小学在校生', value: (f) => f.enrolment.primary },
    { key: 'enrolment.junior', section: '在校学生', label: '初中在校生', value: (f) => f.enrolment.junior },
  ];
  for (const [source, label] of Object.entries(CASE_SOURCES) as Array<[CaseSource, string]>)
    lines.push({ key: `newCases.${source}`, section: '新增疑似辍学（按来源）', label, value: (f) => f.newCases[source] });
  lines.push(
    { key: 'confirmed', section: '案件办理', label: '确认辍学', value: (f) => f.confirmed },
    { key: 'returned', section: '案件办理', label: '劝返复学', value: (f) => f.returned },
    { key: 'closed', section: '案件办理', label: '销号', value: (f) => f.closed },
    { key: 'stillOut', section: '案件办理', label: '期末仍未返校', value: (f) => f.stillOut },
    { key: 'overdue', section: '案件办理', label: '期末逾期未办', value: (f) => f.overdue },
    { key: 'homeVisits', section: '案件办理', label: '家访次数', value: (f) => f.homeVisits },
  );
  for (const [mode, label] of Object.entries(PLACEMENT_MODES) as Array<[PlacementMode, string]>)
    lines.push({ key: `placements.${mode}`, section: '复学安置方式', label, value: (f) => f.placements[mode] });
  for (const [cause, label] of Object.entries(DROPOUT_CAUSES) as Array<[DropoutCause, string]>)
    lines.push({ key: `causes.${cause}`, section: '辍学原因', label, value: (f) => f.causes[cause] });
  for (const [group, label] of Object.entries(PRIORITY_GROUPS) as Array<[PriorityGroup, string]>)
    lines.push({ key: `priorityGroups.${group}`, section: '重点群体（确认辍学）', label, value: (f) => f.priorityGroups[group] });
  return lines;
}

const LINES = linesOf();

/** The report's table as printed and shown: every figure with 本期 and 上期. */
export function reportFigureLines(current: ReportFigures, previous: ReportFigures | null): ReportFigureLine[] {
  const lines = LINES.map(({ key, section, label, value }) => ({
    key,
    section,
    label,
    current: count(value(current) as number),
    previous: previous ? count(value(previous) as number) : '—',
  }));
  if (current.consolidation) {
    lines.push({
      key: 'consolidation.rate',
      section: '巩固率',
      label: `九年义务教育巩固率（${current.consolidation.graduatingYear}届）`,
      current: percent(current.consolidation.rate),
      previous: percent(previous?.consolidation?.rate),
    });
  }
  return lines;
}
