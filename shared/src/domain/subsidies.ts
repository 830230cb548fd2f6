/**
 * Student aid 资助 (BRIEF §6). Rates are data with effective dates, stored in the database and
 * passed in here; this file only knows how to apply them. Money is counted in fen (分) so that
 * half of 625 元 stays exact.
 */
import type { SchoolStage } from './schools';

/** 学期: the autumn semester of `year` opens school year `year`; the spring semester of `year` closes school year `year - 1`. */
export type Term = 'autumn' | 'spring';
export interface Semester {
  year: number;
  term: Term;
}

export const TERM_LABELS: Record<Term, string> = { autumn: '秋季学期', spring: '春季学期' };

/** `2023-autumn`, `2024-spring`: how a semester is written in requests and rows. */
export type SemesterKey = `${number}-${Term}`;

export function semesterKey(semester: Semester): SemesterKey {
  return `${semester.year}-${semester.term}`;
}

export function parseSemesterKey(key: string): Semester | null {
  const match = /^(\d{4})-(autumn|spring)$/.exec(key);
  return match ? { year: Number(match[1]), term: match[2] as Term } : null;
}

export function semesterLabel(semester: Semester): string {
  return `${semester.year}年${TERM_LABELS[semester.term]}`;
}

/** The school year (named by the year it starts in) a semester belongs to. */
export function semesterSchoolYear(semester: Semester): number {
  return semester.term === 'autumn' ? semester.year : semester.year - 1;
}

export function semestersOfSchoolYear(schoolYear: number): [Semester, Semester] {
  return [
    { year: schoolYear, term: 'autumn' },
    { year: schoolYear + 1, term: 'spring' },
  ];
}

/** `2024—2025学年`. */
export function schoolYearLabel(schoolYear: number): string {
  return `${schoolYear}—${schoolYear + 1}学年`;
}

/**
 * The nominal first day of a semester (spring 1 March, autumn 1 September). A policy applies to a
 * semester when its effective period contains this day: "from the 2024 spring semester" is a
 * policy effective from 2024-01-01.
 */
export function semesterStartDate(semester: Semester): string {
  return `${semester.year}-${semester.term === 'autumn' ? '09' : '03'}-01`;
}

/** The semester a day (YYYY-MM-DD) falls in; the summer holidays count with the spring semester before them. */
export function semesterOfDate(isoDate: string): Semester {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  if (month >= 9) return { year, term: 'autumn' };
  if (month <= 2) return { year: year - 1, term: 'autumn' };
  return { year, term: 'spring' };
}

/**
 * Why a family counts as in economic difficulty (家庭经济困难) for the living allowance: the
 * categories of the poor-household list, and any other difficulty the school confirms.
 */
export const SUBSIDY_CATEGORIES = {
  registered_poor: '脱贫户',
  monitored: '监测户',
  subsistence: '低保',
  extreme_poverty: '特困',
  orphan: '孤儿',
  disabled: '残疾',
  other: '其他家庭经济困难',
} as const;
export type SubsidyCategory = keyof typeof SUBSIDY_CATEGORIES;

export const SUBSIDY_POLICY_KINDS = {
  living_allowance: '家庭经济困难学生生活补助（一补）',
  top_up: '县级补助',
  nutrition: '营养改善计划',
} as const;
export type SubsidyPolicyKind = keyof typeof SUBSIDY_POLICY_KINDS;

/** Stages the living allowance distinguishes: 九年一贯制 pupils count by their grade. */
export type AidStage = Exclude<SchoolStage, 'both'>;
export const AID_STAGES: [AidStage, AidStage] = ['primary', 'junior'];

/** One rate with its effective period. National rows have no county; a county's rows add to them. */
export interface SubsidyPolicy {
  id: string;
  kind: SubsidyPolicyKind;
  /** null: national; otherwise only pupils of this county. */
  countyCode: string | null;
  label: string;
  /** null: both stages. */
  stage: AidStage | null;
  /** null: boarding and non-boarding pupils alike. */
  boarding: boolean | null;
  /** null: every eligible pupil; otherwise only these categories (a county's top-up for orphans). */
  categories: SubsidyCategory[] | null;
  /** Living allowance and top-ups: the amount for a whole school year, paid half per semester. Nutrition: per school day. */
  amountFen: number;
  /** YYYY-MM-DD, inclusive. */
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** A pupil's eligibility, confirmed each autumn for one school year. */
export interface SubsidyEligibility {
  schoolYear: number;
  category: SubsidyCategory;
  stage: AidStage;
  boarding: boolean;
}

export interface EntitlementLine {
  policyId: string;
  kind: SubsidyPolicyKind;
  label: string;
  amountFen: number;
}

export interface SemesterEntitlement {
  semester: Semester;
  lines: EntitlementLine[];
  totalFen: number;
}

export function policyInForce(policy: Pick<SubsidyPolicy, 'effectiveFrom' | 'effectiveTo'>, isoDate: string): boolean {
  return policy.effectiveFrom <= isoDate && (policy.effectiveTo === null || isoDate <= policy.effectiveTo);
}

function appliesTo(policy: SubsidyPolicy, countyCode: string, eligibility: SubsidyEligibility, day: string): boolean {
  return (
    (policy.countyCode === null || policy.countyCode === countyCode) &&
    policyInForce(policy, day) &&
    (policy.stage === null || policy.stage === eligibility.stage) &&
    (policy.boarding === null || policy.boarding === eligibility.boarding) &&
    (policy.categories === null || policy.categories.includes(eligibility.category))
  );
}

/**
 * What a pupil is entitled to for one semester: half of the year's national base standard for
 * their stage and boarding status, plus every county top-up in force, provided they were confirmed
 * eligible for that school year. Not eligible: nothing.
 */
export function semesterEntitlement(
  semester: Semester,
  eligibility: SubsidyEligibility | null,
  countyCode: string,
  policies: readonly SubsidyPolicy[],
): SemesterEntitlement {
  if (!eligibility || eligibility.schoolYear !== semesterSchoolYear(semester)) return { semester, lines: [], totalFen: 0 };
  const day = semesterStartDate(semester);
  const applicable = policies.filter((p) => p.kind !== 'nutrition' && appliesTo(p, countyCode, eligibility, day));
  // One base standard: should periods ever overlap in the data, the most recent one holds.
  const base = applicable
    .filter((p) => p.kind === 'living_allowance')
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || (a.countyCode === null ? 1 : -1))[0];
  const chosen = [...(base ? [base] : []), ...applicable.filter((p) => p.kind === 'top_up')];
  const lines = chosen.map((p) => ({ policyId: p.id, kind: p.kind, label: p.label, amountFen: Math.round(p.amountFen / 2) }));
  return { semester, lines, totalFen: lines.reduce((sum, line) => sum + line.amountFen, 0) };
}

/** 营养改善计划: the meal allowance per school day in force on a day in the pupil's county, or null. */
export function nutritionRate(countyCode: string, isoDate: string, policies: readonly SubsidyPolicy[]): SubsidyPolicy | null {
  return (
    policies
      .filter((p) => p.kind === 'nutrition' && (p.countyCode === null || p.countyCode === countyCode) && policyInForce(p, isoDate))
      .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ?? null
  );
}

/** 312.5元, 625元. */
export function formatYuan(fen: number): string {
  const yuan = fen / 100;
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2).replace(/0$/, '')}元`;
}

/** A payment's state (BRIEF §6): approved → sent → paid, or failed with a reason. */
export const PAYMENT_STATUSES = {
  approved: '已审批',
  sent: '已发放',
  paid: '已到账',
  failed: '发放失败',
} as const;
export type PaymentStatus = keyof typeof PAYMENT_STATUSES;

const PAYMENT_NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  approved: ['sent', 'paid', 'failed'],
  sent: ['paid', 'failed'],
  // after the card is fixed, the county sends again
  failed: ['approved', 'sent', 'paid'],
  paid: [],
};

/** Whether a payment may move from one state to another (staying put is always allowed). */
export function mayChangePaymentStatus(from: PaymentStatus, to: PaymentStatus): boolean {
  return from === to || PAYMENT_NEXT[from].includes(to);
}

/** The card the money goes to; which one varies by province. */
export const PAYMENT_CHANNELS = {
  social_security_card: '一卡通/社保卡',
  meal_card: '饭卡',
  bank_card: '银行卡',
} as const;
export type PaymentChannel = keyof typeof PAYMENT_CHANNELS;

/** 资助投诉: routed to the county's student-aid office and handled like a case. */
export const COMPLAINT_STATUSES = {
  open: '待处理',
  processing: '处理中',
  answered: '已答复',
  closed: '已办结',
} as const;
export type ComplaintStatus = keyof typeof COMPLAINT_STATUSES;
export const COMPLAINT_STATUS_KEYS = Object.keys(COMPLAINT_STATUSES) as [ComplaintStatus, ...ComplaintStatus[]];

export const ComplaintTransition = {
  accept: 'accept', // the aid office takes it up
  answer: 'answer', // and answers in the app
  reopen: 'reopen', // the parent is not satisfied
  close: 'close', // the parent (or, after the answer, the office) closes it
} as const;
export type ComplaintTransition = (typeof ComplaintTransition)[keyof typeof ComplaintTransition];

export const COMPLAINT_TRANSITIONS: Record<
  ComplaintTransition,
  { from: readonly ComplaintStatus[]; to: ComplaintStatus; by: ReadonlyArray<'parent' | 'county'>; label: string }
> = {
  accept: { from: ['open'], to: 'processing', by: ['county'], label: '受理' },
  answer: { from: ['open', 'processing'], to: 'answered', by: ['county'], label: '答复' },
  reopen: { from: ['answered'], to: 'processing', by: ['parent'], label: '继续反映' },
  close: { from: ['answered'], to: 'closed', by: ['parent', 'county'], label: '办结' },
};

export function nextComplaintStatus(status: ComplaintStatus, transition: ComplaintTransition): ComplaintStatus | null {
  const rule = COMPLAINT_TRANSITIONS[transition];
  return rule.from.includes(status) ? rule.to : null;
}

export function allowedComplaintTransitions(status: ComplaintStatus, by: 'parent' | 'county'): ComplaintTransition[] {
  return (Object.keys(COMPLAINT_TRANSITIONS) as ComplaintTransition[]).filter(
    (t) => COMPLAINT_TRANSITIONS[t].from.includes(status) && COMPLAINT_TRANSITIONS[t].by.includes(by),
  );
}
