import type { RoutingView } from '@baoxue/shared';

/** Why a case went where it did, as the routing history shows it. */
export const ROUTING_RULE_LABELS: Record<RoutingView['rule'], string> = {
  village: '按居住村自动分派',
  township: '按居住乡镇自动分派',
  no_place: '居住地不清楚，转县级分派',
  outside_served: '居住地不在本系统服务的县，转县级分派',
  manual: '县教育局人工分派',
  returned_by_township: '乡镇退回县级分派',
  merged: '合并案件',
};

/** What a case detail's `actions` may offer the caller: the transitions it may make now, and other edits. */
export const CaseAction = {
  accept: 'accept',
  startVerification: 'start_verification',
  closeNotDropout: 'close_not_dropout',
  confirm: 'confirm',
  logVisit: 'log_visit',
  escalate: 'escalate',
  recordReturn: 'record_return',
  close: 'close',
  reopen: 'reopen',
  route: 'route',
  returnToTriage: 'return_to_triage',
  setCauses: 'set_causes',
  setAssignee: 'set_assignee',
  transfer: 'transfer',
  merge: 'merge',
  revealTipster: 'reveal_tipster',
  split: 'split',
  recordAttendance: 'record_attendance',
  confirmEnrolment: 'confirm_enrolment',
} as const;
export type CaseAction = (typeof CaseAction)[keyof typeof CaseAction];

/** Who an overdue step has climbed to (一日一调度: one level of the hierarchy at a time). */
export const ESCALATED_TO_LABELS: Record<'leader' | 'county', string> = {
  leader: '乡镇负责人',
  county: '县教育局',
};
