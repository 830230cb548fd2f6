/**
 * What a supervisor sees of the case their tip fed: coarse milestones only, never the family's
 * details (BRIEF §3). Each milestone is reached once, in this order, except `unfounded`, which ends it.
 */
export const TIP_MILESTONES = {
  received: '已收到',
  assigned: '已受理',
  visited: '已家访',
  returned: '已复学',
  closed: '已销号',
  unfounded: '经核实非辍学',
} as const;
export type TipMilestone = keyof typeof TIP_MILESTONES;

export const CHILD_SEXES = { male: '男', female: '女', unknown: '不清楚' } as const;
export type ChildSex = keyof typeof CHILD_SEXES;

/** Grades of compulsory education: 1–6 primary, 7–9 junior. */
export const GRADE_LABELS: Record<number, string> = {
  1: '一年级',
  2: '二年级',
  3: '三年级',
  4: '四年级',
  5: '五年级',
  6: '六年级',
  7: '初一',
  8: '初二',
  9: '初三',
};

export const TIP_LIMITS = {
  observationMin: 10,
  observationMax: 500,
  contactMax: 50,
  locationNoteMax: 100,
  photoMaxBytes: 8 * 1024 * 1024,
} as const;
