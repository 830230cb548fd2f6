/** The registries a county imports (BRIEF §5), each with its own template. */
export const REGISTRY_KINDS = {
  household: '户籍适龄儿童',
  roster: '学籍花名册',
  absence: '缺勤记录',
  poverty: '困难家庭名单',
} as const;
export type RegistryKind = keyof typeof REGISTRY_KINDS;

/** Categories of the poor-household list, and the priority group each flags on a child. */
export const POVERTY_CATEGORIES = {
  registered_poor: '脱贫户（建档立卡）',
  monitored: '监测户',
  subsistence: '低保',
  extreme_poverty: '特困供养',
  orphan: '孤儿',
  disabled: '残疾',
} as const;
export type PovertyCategory = keyof typeof POVERTY_CATEGORIES;

export const IMPORT_STATUSES = { running: '导入中', completed: '已完成', failed: '未导入' } as const;
export type ImportStatus = keyof typeof IMPORT_STATUSES;

/** Dropout-rate targets (seed 001): primary ≤ 0.6 %, junior ≤ 1.8 %, children of registered poor households 0. */
export const DROPOUT_TARGETS = { primary: 0.006, junior: 0.018, poor: 0 } as const;
export type DropoutStage = keyof typeof DROPOUT_TARGETS;

export type Rag = 'green' | 'amber' | 'red';

/**
 * Red, amber or green against a target, from the counts rather than the rate: a group with no pupil
 * enrolled has no rate, yet its dropouts count. No dropout is green; a dropout against a zero target
 * (children of poor households) or where nobody is enrolled is red; otherwise amber up to half again
 * above the target.
 */
export function ragFor(dropouts: number, enrolled: number, target: number): Rag {
  if (dropouts <= 0) return 'green';
  if (target <= 0 || enrolled <= 0) return 'red';
  const rate = dropouts / enrolled;
  if (rate <= target) return 'green';
  if (rate <= target * 1.5) return 'amber';
  return 'red';
}

/** The school year starting in September of `year` (2025 → 2025-09-01 … 2026-08-31). */
export function schoolYearRange(year: number): { from: string; to: string } {
  return { from: `${year}-09-01`, to: `${year + 1}-08-31` };
}

/** The school year a date falls in. */
export function schoolYearOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  return Number(isoDate.slice(5, 7)) >= 9 ? year : year - 1;
}

/**
 * Compulsory-school age for a school year: 6 by 31 August before it starts, not yet 16 then. As
 * birth dates (ISO text, so a database can compare them too): after `after`, up to `through`.
 */
export function compulsoryBirthDates(schoolYear: number): { after: string; through: string } {
  return { after: `${schoolYear - 16}-08-31`, through: `${schoolYear - 6}-08-31` };
}

export function isCompulsoryAge(birthDate: string, schoolYear: number): boolean {
  const { after, through } = compulsoryBirthDates(schoolYear);
  return birthDate > after && birthDate <= through;
}

/**
 * The grade a child of compulsory age is expected to be in during a school year, for a child whose
 * grade nobody gave (tips often know only an age): the age reached by 31 August before the school
 * year starts (the cut-off of `compulsoryBirthDates`; from the birth year alone, as if born before
 * September) minus 5, so 6 → grade 1 … 14 → grade 9; a 15-year-old, still of compulsory age, is in
 * grade 9. Null outside compulsory age or with no birth year.
 */
export function expectedGrade(schoolYear: number, birthYear: number | null, birthDate: string | null = null): number | null {
  const year = birthDate ? Number(birthDate.slice(0, 4)) : birthYear;
  if (year === null || !Number.isFinite(year)) return null;
  const age = schoolYear - year - (birthDate && birthDate.slice(5) > '08-31' ? 1 : 0);
  if (age < 6 || age > 15) return null;
  return Math.min(age - 5, 9);
}

export function stageOfGrade(grade: number | null): 'primary' | 'junior' | null {
  if (grade === null) return null;
  if (grade >= 1 && grade <= 6) return 'primary';
  if (grade >= 7 && grade <= 9) return 'junior';
  return null;
}
