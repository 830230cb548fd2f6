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

/** 巩固率 national goal (BRIEF §5); the national figure was 95.4 % in 2021. */
export const CONSOLIDATION_TARGET = 0.95;
/** The earliest and latest school years a grade-1 intake (一年级入学人数) may be entered for. */
export const INTAKE_YEARS = { min: 2000, max: 2100 } as const;

/** The school year a cohort entered grade 1, from the school year it graduates from grade 9 (Y ⇔ Y − 8). */
export function cohortEntryYear(graduatingYear: number): number {
  return graduatingYear - 8;
}

/** Why a 巩固率 is absent: no intake entered, no roster for the year, or nobody left in the cohort. */
export type ConsolidationGap = 'no_intake' | 'no_roster' | 'empty_cohort';
export const CONSOLIDATION_GAPS: Record<ConsolidationGap, string> = {
  no_intake: '未填报该届一年级入学人数',
  no_roster: '花名册只保存本学年的在籍学生，无法得到该学年的九年级人数',
  empty_cohort: '入学人数加转入减转出为零，无法计算',
};

export interface ConsolidationParts {
  /** The cohort's grade-9 pupils (九年级在籍学生), null when the roster does not hold the year. */
  graduates: number | null;
  /** The grade-1 intake of the cohort's entry year (一年级入学人数), null when not entered. */
  intake: number | null;
  /** Pupils of the cohort transferred in from outside the unit (转入). */
  transfersIn: number;
  /** Pupils of the cohort who moved away or transferred out of the unit (转出、迁出). */
  transfersOut: number;
}

export interface Consolidation {
  /** graduates ÷ (intake + transfersIn − transfersOut); null with the reason when it cannot be computed. */
  rate: number | null;
  gap: ConsolidationGap | null;
  rag: Rag | null;
  /** The formula with its figures, as officials write it. */
  formula: string;
}

/**
 * 巩固率 (BRIEF §5) = pupils of the graduating year's grade 9 ÷ the cohort's grade-1 intake nine
 * years earlier, adjusted for normal transfers (含正常流动生): intake + transferred in − transferred
 * out. Never a guess: no intake, no roster for the year or an empty cohort gives no rate, with the
 * reason. Green at or above the goal of 95 %, amber within 3 points below it, red further below.
 */
export function consolidationOf(parts: ConsolidationParts): Consolidation {
  const { graduates, intake, transfersIn, transfersOut } = parts;
  const base = intake === null ? null : intake + transfersIn - transfersOut;
  const formula = `九年级在籍 ${graduates ?? '？'} ÷（一年级入学 ${intake ?? '？'} + 转入 ${transfersIn} − 转出 ${transfersOut}）`;
  const gap: ConsolidationGap | null =
    intake === null ? 'no_intake' : graduates === null ? 'no_roster' : base !== null && base <= 0 ? 'empty_cohort' : null;
  if (gap || graduates === null || base === null) return { rate: null, gap, rag: null, formula };
  const rate = graduates / base;
  const rag: Rag = rate >= CONSOLIDATION_TARGET ? 'green' : rate >= CONSOLIDATION_TARGET - 0.03 ? 'amber' : 'red';
  return { rate, gap: null, rag, formula: `${formula} = ${(rate * 100).toFixed(1)}%` };
}

/** Counties' 巩固率 parts summed for a prefecture or province, and how many counties they cover. */
export interface RegionConsolidationParts extends ConsolidationParts {
  /** Counties whose parts are in the sum: those that entered the cohort's intake. */
  countiesCounted: number;
  /** Counties left out of the sum because they entered no intake for the cohort. */
  countiesWithoutIntake: number;
}

/**
 * The parts of a region's 巩固率 (BRIEF §5): grade-9 pupils, intakes and transfers in and out summed
 * over the counties that entered the cohort's intake, so the rate compares each counted county's
 * graduates with its own cohort and never counts a county's graduates without its intake; the other
 * counties are left out whole, and counted in `countiesWithoutIntake`. A move between two counted
 * counties is out of one and into the other, so it cancels in the sum. With no county counted
 * there is no intake (no rate) and no grade-9 figure; without a roster for the year, no grade-9 figure.
 */
export function sumConsolidationParts(counties: readonly ConsolidationParts[]): RegionConsolidationParts {
  const counted = counties.filter((county) => county.intake !== null);
  const sum = (pick: (parts: ConsolidationParts) => number) => counted.reduce((total, parts) => total + pick(parts), 0);
  const rosterHeld = counted.length > 0 && counted.every((county) => county.graduates !== null);
  return {
    graduates: rosterHeld ? sum((parts) => parts.graduates!) : null,
    intake: counted.length ? sum((parts) => parts.intake!) : null,
    transfersIn: sum((parts) => parts.transfersIn),
    transfersOut: sum((parts) => parts.transfersOut),
    countiesCounted: counted.length,
    countiesWithoutIntake: counties.length - counted.length,
  };
}
