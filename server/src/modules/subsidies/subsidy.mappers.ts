import {
  allowedComplaintTransitions,
  formatYuan,
  parseSemesterKey,
  PAYMENT_STATUSES,
  schoolYearLabel,
  semesterLabel,
  type ChildSubsidiesResponse,
  type ComplaintStatus,
  type ComplaintView,
  type EligibilityView,
  type PaymentView,
  type PolicyView,
  type SubsidyPolicy,
} from '@baoxue/shared';
import type { SubsidyComplaint, SubsidyComplaintEvent, SubsidyEligibilityRow, SubsidyPayment, SubsidyPolicyRow } from './subsidy.entities';

// Pure mappers from subsidy rows to the contract's shapes. The services look names up (batched per
// page) and pass them in; nothing here reads the database or the clock.

type Names = ReadonlyMap<string, string>;

/** What subsidy views show of a child (looked up through the registry): never an ID number. */
export interface SubsidyChild {
  id: string;
  name: string;
  schoolId: string | null;
  grade: number | null;
}

/** The county's student-aid office, as parents read it: officials are never named to them. */
export const SUBSIDY_OFFICE = '县学生资助管理中心';

/** A complaint still waiting for the office: it can be overdue. */
export const OPEN_COMPLAINT_STATUSES: ComplaintStatus[] = ['open', 'processing'];

const COMPLAINT_EVENT_LABELS: Record<SubsidyComplaintEvent['kind'], string> = {
  submitted: '家长反映问题',
  accept: '已受理',
  answer: '已答复',
  reopen: '家长继续反映',
  close: '已办结',
};

/** A rate as the rules compute with it. */
export function toPolicy(row: SubsidyPolicyRow): SubsidyPolicy {
  return {
    id: row.id,
    kind: row.kind,
    countyCode: row.countyCode,
    label: row.label,
    stage: row.stage,
    boarding: row.boarding,
    categories: row.categories,
    amountFen: row.amountFen,
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo,
  };
}

/** A rate as the county reads it: the amount per school year, or per school day for meals. */
export function mapPolicy(row: SubsidyPolicyRow): PolicyView {
  return { ...toPolicy(row), amountLabel: `${formatYuan(row.amountFen)}/${row.kind === 'nutrition' ? '在校日' : '学年'}` };
}

export function mapPayment(payment: SubsidyPayment, childName: string): PaymentView {
  const semester = parseSemesterKey(payment.semester)!;
  return {
    id: payment.id,
    childId: payment.childId,
    childName,
    semester: payment.semester,
    semesterLabel: semesterLabel(semester),
    amountFen: payment.amountFen,
    status: payment.status,
    channel: payment.channel,
    cardTail: payment.cardTail,
    failureReason: payment.failureReason,
    paidOn: payment.paidOn,
    reference: payment.reference,
    updatedAt: payment.updatedAt.toISOString(),
  };
}

/**
 * An eligibility row with its child's name, grade and school; the school the row was confirmed at,
 * else the child's current one. A child forgotten since reads as an empty name.
 */
export function mapEligibility(
  row: SubsidyEligibilityRow,
  child: Omit<SubsidyChild, 'id'> | undefined,
  schoolNames: Names,
): EligibilityView {
  const schoolId = row.schoolId ?? child?.schoolId ?? null;
  return {
    id: row.id,
    childId: row.childId,
    childName: child?.name ?? '',
    schoolName: schoolId ? (schoolNames.get(schoolId) ?? null) : null,
    grade: child?.grade ?? null,
    schoolYear: row.schoolYear,
    category: row.category,
    stage: row.stage,
    boarding: row.boarding,
    source: row.source,
    confirmedAt: row.confirmedAt.toISOString(),
  };
}

/** `2024年春季学期 生活补助 625元（发放失败）` or `2024年春季学期 应享资助`. */
export function complaintSubject(complaint: Pick<SubsidyComplaint, 'semester'>, payment: SubsidyPayment | null): string {
  const label = semesterLabel(parseSemesterKey(complaint.semester)!);
  return payment ? `${label} 生活补助 ${formatYuan(payment.amountFen)}（${PAYMENT_STATUSES[payment.status]}）` : `${label} 应享资助`;
}

/**
 * A complaint with its timeline. A parent sees the office answering, never an official's name
 * (`userNames` stays empty for them); the actions are those of the caller's side.
 */
export function mapComplaint(
  complaint: SubsidyComplaint,
  related: {
    child: Omit<SubsidyChild, 'grade'>;
    payment: SubsidyPayment | null;
    events: SubsidyComplaintEvent[];
  },
  lookups: { schoolNames: Names; userNames: Names },
  viewer: { side: 'parent' | 'county'; now: Date },
): ComplaintView {
  const { child, payment, events } = related;
  const names = viewer.side === 'parent' ? new Map<string, string>() : lookups.userNames;
  return {
    id: complaint.id,
    version: complaint.version,
    childId: child.id,
    childName: child.name,
    schoolName: child.schoolId ? (lookups.schoolNames.get(child.schoolId) ?? null) : null,
    subject: complaintSubject(complaint, payment),
    paymentId: complaint.paymentId,
    semester: complaint.semester,
    text: complaint.text,
    status: complaint.status,
    createdAt: complaint.createdAt.toISOString(),
    dueAt: complaint.dueAt.toISOString(),
    overdue: OPEN_COMPLAINT_STATUSES.includes(complaint.status) && complaint.dueAt.getTime() < viewer.now.getTime(),
    answer: complaint.answer,
    answeredAt: complaint.answeredAt?.toISOString() ?? null,
    events: events.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      summary: COMPLAINT_EVENT_LABELS[e.kind],
      by: e.side === 'parent' ? '家长' : ((e.actorId && names.get(e.actorId)) ?? SUBSIDY_OFFICE),
      text: e.text,
    })),
    actions: allowedComplaintTransitions(complaint.status, viewer.side),
  };
}

type ChildSubsidies = ChildSubsidiesResponse;

/**
 * A child's subsidy record; entitlements and the meal rate come computed by the rules. `viewer`:
 * a guardian reads each payment without the county's batch number, an internal code of the office.
 */
export function mapChildSubsidies(
  viewer: 'guardian' | 'official',
  child: SubsidyChild,
  rows: { eligibility: SubsidyEligibilityRow[]; payments: SubsidyPayment[]; complaints: SubsidyComplaint[] },
  computed: {
    entitlements: ChildSubsidies['entitlements'];
    nutrition: { amountFen: number; effectiveFrom: string } | null;
  },
  schoolNames: Names,
): ChildSubsidies {
  const paymentById = new Map(rows.payments.map((p) => [p.id, p]));
  const { nutrition } = computed;
  return {
    child: {
      id: child.id,
      name: child.name,
      schoolName: child.schoolId ? (schoolNames.get(child.schoolId) ?? null) : null,
      grade: child.grade,
    },
    eligibility: rows.eligibility.map((e) => ({
      schoolYear: e.schoolYear,
      schoolYearLabel: schoolYearLabel(e.schoolYear),
      category: e.category,
      stage: e.stage,
      boarding: e.boarding,
    })),
    entitlements: computed.entitlements,
    payments: rows.payments.map((p) => ({ ...mapPayment(p, child.name), reference: viewer === 'guardian' ? null : p.reference })),
    benefitsInKind: nutrition
      ? [
          {
            label: '营养改善计划',
            description: `在校就餐，按每个在校日${formatYuan(nutrition.amountFen)}的标准由学校提供营养膳食，不发放现金。`,
            dailyFen: nutrition.amountFen,
            since: nutrition.effectiveFrom,
          },
        ]
      : [],
    complaints: rows.complaints.map((c) => ({
      id: c.id,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      subject: complaintSubject(c, c.paymentId ? (paymentById.get(c.paymentId) ?? null) : null),
    })),
  };
}
