import type { SchoolStage } from './schools';

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

/** A grade as people write it (一年级 … 六年级, 初一 … 初三): wherever a grade is shown, never a bare number. */
export function gradeLabel(grade: number): string {
  return GRADE_LABELS[grade] ?? `${grade}年级`;
}

/** The grades a school of a stage teaches (a nine-year school both); every grade when the stage is unknown. */
export function gradesOfStage(stage: SchoolStage | null | undefined): number[] {
  if (stage === 'primary') return [1, 2, 3, 4, 5, 6];
  if (stage === 'junior') return [7, 8, 9];
  return [1, 2, 3, 4, 5, 6, 7, 8, 9];
}

/** Grade choices for a picker, worded: `{ value: '7', label: '初一' }`. */
export function gradeChoices(stage: SchoolStage | null | undefined): Array<{ value: string; label: string }> {
  return gradesOfStage(stage).map((grade) => ({ value: String(grade), label: gradeLabel(grade) }));
}

export const TIP_LIMITS = {
  observationMin: 10,
  observationMax: 500,
  contactMax: 50,
  locationNoteMax: 100,
  photoMaxBytes: 8 * 1024 * 1024,
} as const;
