import { normalizePersonName, type ChildSex } from '@baoxue/shared';
import * as OpenCC from 'opencc-js/t2cn';
import type { ChildMatchReason } from './child-registry.entities';

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * The name as matched: full-width folded, no spaces or middle dots, traditional characters made
 * simplified (王梓軒 and 王梓轩 are one name; families and registries write either).
 */
export function nameKeyOf(name: string): string {
  return toSimplified(normalizePersonName(name)).slice(0, 32);
}

/** What a source says about who a child is. Unknown facts are null. */
export interface ChildReport {
  name: string;
  sex: ChildSex;
  idNumber: string | null;
  /** 全国学籍号, from a roster. */
  studentNumber: string | null;
  /** YYYY-MM-DD, from an ID number or a registry. */
  birthDate: string | null;
  birthYear: number | null;
  /** True when the birth year is known (from an ID number or a date), false when estimated from an age. */
  birthYearExact: boolean;
  villageCode: string | null;
  schoolId: string | null;
  grade: number | null;
  /** The county the report comes from, used when neither the village nor the school tells. */
  countyCode: string | null;
}

/** The facts of a known child the rules compare. */
export interface KnownChild {
  id: string;
  nameKey: string;
  idNumber: string | null;
  studentNumber: string | null;
  birthDate: string | null;
  birthYear: number | null;
  birthYearExact: boolean;
  villageCode: string | null;
  schoolId: string | null;
}

/** Which rule of BRIEF §3a made the match. */
export type MatchRule = 'id_number' | 'student_number' | 'birth_date' | 'birth_year';

export interface MatchOutcome {
  match: KnownChild | null;
  rule: MatchRule | null;
  /** Records close enough for an official to look at, with why. */
  reviews: Array<{ candidate: KnownChild; reason: ChildMatchReason }>;
}

/** Two records can only be one child if no identifier they both carry differs. */
function identifiersAgree(report: ChildReport, known: KnownChild): boolean {
  if (report.idNumber && known.idNumber && report.idNumber !== known.idNumber) return false;
  if (report.studentNumber && known.studentNumber && report.studentNumber !== known.studentNumber) return false;
  if (report.birthDate && known.birthDate && report.birthDate !== known.birthDate) return false;
  return true;
}

/** Two exact years must be equal; with an estimate on either side a year apart still matches. */
function birthYearsAgree(report: ChildReport, known: KnownChild): boolean {
  if (report.birthYear === null || known.birthYear === null) return false;
  if (report.birthYearExact && known.birthYearExact) return report.birthYear === known.birthYear;
  return Math.abs(report.birthYear - known.birthYear) <= 1;
}

function samePlace(report: ChildReport, known: KnownChild): boolean {
  return (!!report.villageCode && report.villageCode === known.villageCode) || (!!report.schoolId && report.schoolId === known.schoolId);
}

/**
 * Steps 2 and 3 of BRIEF §3a over the known children of the same normalised name near the report
 * (its village, its township, its school): the same birth date and village or school; else the same
 * birth year (±1 when estimated) and village. One candidate at a step is the child; several are
 * ambiguous and go to review with no match; near misses (a neighbouring village, a birth year one
 * off, an unknown birth year) go to review beside a new record.
 */
export function matchByName(report: ChildReport, candidates: KnownChild[]): MatchOutcome {
  const key = nameKeyOf(report.name);
  const named = candidates.filter((c) => c.nameKey === key && identifiersAgree(report, c));
  const byDate = report.birthDate ? named.filter((c) => c.birthDate === report.birthDate && samePlace(report, c)) : [];
  if (byDate.length === 1) return { match: byDate[0]!, rule: 'birth_date', reviews: [] };
  if (byDate.length > 1) return { match: null, rule: null, reviews: byDate.map((candidate) => ({ candidate, reason: 'ambiguous' })) };
  const inVillage = report.villageCode ? named.filter((c) => c.villageCode === report.villageCode) : [];
  const byYear = inVillage.filter((c) => birthYearsAgree(report, c));
  if (byYear.length === 1) return { match: byYear[0]!, rule: 'birth_year', reviews: [] };
  if (byYear.length > 1) return { match: null, rule: null, reviews: byYear.map((candidate) => ({ candidate, reason: 'ambiguous' })) };
  // a near miss: a year unknown on either side, or a year apart; further apart is another child
  const nearYear = (c: KnownChild) => report.birthYear === null || c.birthYear === null || Math.abs(report.birthYear - c.birthYear) <= 1;
  const reviews: MatchOutcome['reviews'] = [];
  for (const c of inVillage) if (nearYear(c)) reviews.push({ candidate: c, reason: 'near_birth_year' });
  const township = report.villageCode?.slice(0, 9) ?? null;
  for (const c of named) {
    if (inVillage.includes(c)) continue;
    const nearby = township !== null && !!c.villageCode?.startsWith(township);
    const sameSchool = !!report.schoolId && report.schoolId === c.schoolId;
    if ((nearby || sameSchool) && nearYear(c)) reviews.push({ candidate: c, reason: 'neighbouring_village' });
  }
  return { match: null, rule: null, reviews };
}

/** The county a child belongs to: its village's, else its school's, else the reporting county. */
export function countyOfReport(report: ChildReport, schoolCounty: string | null): string | null {
  if (report.villageCode) return `${report.villageCode.slice(0, 6)}000000`;
  return schoolCounty ?? report.countyCode;
}
