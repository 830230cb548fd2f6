/**
 * The school line (BRIEF §4a): the county's school calendar, classes and their 班主任, the daily roll
 * call, parents' leave requests, the school's contacts with a family, a school's report of a pupil,
 * and 学籍异动 (a pupil who transfers out, suspends studies or moves away).
 */

import { gradeLabel } from './tips';

/** A day the county's calendar sets apart from the national rule (weekdays, national holidays, 调休). */
export const CalendarDayKind = {
  off: 'off', // 不上课: a holiday, a school event day off
  school: 'school', // 上课: a 调休 make-up Saturday, a day the county adds
} as const;
export type CalendarDayKind = (typeof CalendarDayKind)[keyof typeof CalendarDayKind];
export const CALENDAR_DAY_KINDS = Object.values(CalendarDayKind) as [CalendarDayKind, ...CalendarDayKind[]];
export const CALENDAR_DAY_KIND_LABELS: Record<CalendarDayKind, string> = { off: '不上课', school: '上课' };

/** A school year's terms are the subsidies' `Term` (autumn: September to January, spring: February to July). */
export const SCHOOL_TERMS = ['autumn', 'spring'] as const;

/** Why a pupil is marked at the roll call. Late or leaving early counts as present. */
export const AbsenceReason = {
  sick: 'sick', // 病假
  personal: 'personal', // 事假
  unexcused: 'unexcused', // 无故缺勤
  late: 'late', // 迟到/早退
} as const;
export type AbsenceReason = (typeof AbsenceReason)[keyof typeof AbsenceReason];
export const ABSENCE_REASONS = Object.values(AbsenceReason) as [AbsenceReason, ...AbsenceReason[]];
export const ABSENCE_REASON_LABELS: Record<AbsenceReason, string> = {
  sick: '病假',
  personal: '事假',
  unexcused: '无故缺勤',
  late: '迟到/早退',
};

/** Whether a roll-call mark keeps the pupil present that day (late, early leave). */
export function isPresentMark(reason: AbsenceReason): boolean {
  return reason === 'late';
}

/**
 * Whether an absence is excused: sick or personal leave the 班主任 granted at the roll call, or a
 * day an approved leave request covers. Only unexcused absences count toward the absence rules.
 */
export function isExcusedMark(reason: AbsenceReason, approvedLeave: boolean): boolean {
  return approvedLeave || reason !== 'unexcused';
}

export const LeaveKind = { sick: 'sick', personal: 'personal' } as const;
export type LeaveKind = (typeof LeaveKind)[keyof typeof LeaveKind];
export const LEAVE_KINDS = Object.values(LeaveKind) as [LeaveKind, ...LeaveKind[]];
export const LEAVE_KIND_LABELS: Record<LeaveKind, string> = { sick: '病假', personal: '事假' };

export const LeaveStatus = {
  pending: 'pending', // 待审批
  approved: 'approved', // 已批准
  refused: 'refused', // 未批准
  withdrawn: 'withdrawn', // 家长已撤回
} as const;
export type LeaveStatus = (typeof LeaveStatus)[keyof typeof LeaveStatus];
export const LEAVE_STATUSES = Object.values(LeaveStatus) as [LeaveStatus, ...LeaveStatus[]];
export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
  pending: '待审批',
  approved: '已批准',
  refused: '未批准',
  withdrawn: '已撤回',
};

/** How the school reached the family (家校联系). */
export const ContactChannel = { phone: 'phone', visit: 'visit', wechat: 'wechat' } as const;
export type ContactChannel = (typeof ContactChannel)[keyof typeof ContactChannel];
export const CONTACT_CHANNELS = Object.values(ContactChannel) as [ContactChannel, ...ContactChannel[]];
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = { phone: '电话', visit: '家访', wechat: '微信' };

/** What came of a contact. */
export const ContactOutcome = {
  returning: 'returning', // 家长说明原因，学生将返校
  excused: 'excused', // 有正当理由（补办请假）
  unreachable: 'unreachable', // 联系不上
  refuses: 'refuses', // 家长或学生不愿返校
  other: 'other',
} as const;
export type ContactOutcome = (typeof ContactOutcome)[keyof typeof ContactOutcome];
export const CONTACT_OUTCOMES = Object.values(ContactOutcome) as [ContactOutcome, ...ContactOutcome[]];
export const CONTACT_OUTCOME_LABELS: Record<ContactOutcome, string> = {
  returning: '已说明原因，将返校',
  excused: '有正当理由，补办请假',
  unreachable: '联系不上',
  refuses: '不愿返校',
  other: '其他',
};

/** An absence alert: a pupil absent without leave for the county's number of school days in a row. */
export const AlertStatus = {
  open: 'open', // 待联系
  contacted: 'contacted', // 已联系家长
  reported: 'reported', // 已上报疑似辍学
  back: 'back', // 已返校
} as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];
export const ALERT_STATUSES = Object.values(AlertStatus) as [AlertStatus, ...AlertStatus[]];
export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = {
  open: '待联系家长',
  contacted: '已联系家长',
  reported: '已上报',
  back: '已返校',
};

/** 学籍异动. */
export const PupilChangeKind = {
  transferOut: 'transfer_out', // 转学: to a named school, which confirms
  suspension: 'suspension', // 休学: approved by the county, with a document
  movedAway: 'moved_away', // 随迁外出/迁出本县
} as const;
export type PupilChangeKind = (typeof PupilChangeKind)[keyof typeof PupilChangeKind];
export const PUPIL_CHANGE_KINDS = Object.values(PupilChangeKind) as [PupilChangeKind, ...PupilChangeKind[]];
export const PUPIL_CHANGE_KIND_LABELS: Record<PupilChangeKind, string> = {
  transfer_out: '转出',
  suspension: '休学',
  moved_away: '迁出本县',
};

export const PupilChangeStatus = {
  pending: 'pending', // 待接收学校确认 / 待县教育局审批
  effective: 'effective', // 已生效
  refused: 'refused', // 未通过
} as const;
export type PupilChangeStatus = (typeof PupilChangeStatus)[keyof typeof PupilChangeStatus];
export const PUPIL_CHANGE_STATUSES = Object.values(PupilChangeStatus) as [PupilChangeStatus, ...PupilChangeStatus[]];
export const PUPIL_CHANGE_STATUS_LABELS: Record<PupilChangeStatus, string> = {
  pending: '待确认',
  effective: '已生效',
  refused: '未通过',
};

/**
 * A class as people name it: 三年级2班, 初一3班 (grade labels as the roster's); a pupil the roster
 * places in a grade but no class (an alert's class name '') reads 三年级（未分班）.
 */
export function classLabel(grade: number, className: string): string {
  return `${gradeLabel(grade)}${className || '（未分班）'}`;
}

/** How far back a roll call first sent from a phone that was offline may be dated (calendar days). */
export const ROLL_CALL_LATE_DAYS = 7;
