import { z } from 'zod';
import {
  AID_STAGES,
  COMPLAINT_STATUS_KEYS,
  ComplaintTransition,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  parseSemesterKey,
  SUBSIDY_CATEGORIES,
  SUBSIDY_POLICY_KINDS,
  type SemesterKey,
} from '../../domain/subsidies';
import { divisionCodeField, entityId, pageOf, pageQuery, textField } from '../fields';
import { isoDate } from './case-handling';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

export const semesterKeyField = z
  .string({ error: '请选择学期' })
  .refine((v) => parseSemesterKey(v) !== null, '学期格式应为“2024-spring”或“2024-autumn”')
  .transform((v) => v as SemesterKey);

const schoolYear = z.coerce.number({ error: '请填写学年' }).int('学年不正确').min(2000, '学年不正确').max(2100, '学年不正确');

// ── Policies ─────────────────────────────────────────────────────────────────────────────────

export const policyView = z.object({
  id: z.string(),
  kind: z.enum(keys(SUBSIDY_POLICY_KINDS)),
  /** null: a national standard. */
  countyCode: z.string().nullable(),
  label: z.string(),
  stage: z.enum(AID_STAGES).nullable(),
  boarding: z.boolean().nullable(),
  categories: z.array(z.enum(keys(SUBSIDY_CATEGORIES))).nullable(),
  amountFen: z.number(),
  /** 1250元/学年, 5元/在校日. */
  amountLabel: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});
export type PolicyView = z.infer<typeof policyView>;
export const policyListResponse = z.object({ items: z.array(policyView) });

/** A county's own rate: a top-up to the living allowance, or its 营养改善计划 meal allowance. */
export const createPolicyRequest = z
  .object({
    kind: z.enum(['top_up', 'nutrition'], { error: '请选择类型（县级补助或营养改善计划）' }),
    label: textField('名称', 40, 2),
    stage: z.enum(AID_STAGES, { error: '学段不正确' }).nullable().default(null),
    boarding: z.boolean({ error: '请选择是否寄宿' }).nullable().default(null),
    categories: z
      .array(z.enum(keys(SUBSIDY_CATEGORIES), { error: '困难类别不正确' }))
      .min(1, '请至少选择一个困难类别')
      .nullable()
      .default(null),
    /** Yuan per school year (top-up) or per school day (nutrition), at most two decimals. */
    amountYuan: z
      .number({ error: '请填写金额' })
      .positive('金额应大于0')
      .max(100_000, '金额过大')
      .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多保留两位小数'),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable().default(null),
  })
  .refine((v) => v.effectiveTo === null || v.effectiveTo >= v.effectiveFrom, {
    path: ['effectiveTo'],
    message: '截止日期不能早于开始日期',
  });

export const endPolicyRequest = z.object({ effectiveTo: isoDate });

// ── Eligibility ──────────────────────────────────────────────────────────────────────────────

export const eligibilityView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  schoolName: z.string().nullable(),
  grade: z.number().nullable(),
  schoolYear: z.number(),
  category: z.enum(keys(SUBSIDY_CATEGORIES)),
  stage: z.enum(AID_STAGES),
  boarding: z.boolean(),
  source: z.enum(['manual', 'import']),
  confirmedAt: z.string(),
});
export type EligibilityView = z.infer<typeof eligibilityView>;

export const listEligibilityQuery = pageQuery.extend({
  schoolYear: schoolYear.optional(),
  schoolId: entityId.optional(),
  under: divisionCodeField.optional(),
});
export const eligibilityPageResponse = pageOf(eligibilityView);

export const setEligibilityRequest = z.object({
  childId: entityId,
  schoolYear,
  category: z.enum(keys(SUBSIDY_CATEGORIES), { error: '请选择困难类别' }),
  boarding: z.boolean({ error: '请选择是否寄宿' }),
  /** Taken from the pupil's grade when omitted. */
  stage: z.enum(AID_STAGES, { error: '学段不正确' }).nullable().default(null),
});

/** What an import did: re-importing the same file changes nothing. */
export const subsidyImportResponse = z.object({
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** Payments newly marked paid, whose guardians were told. */
  notified: z.number(),
});

// ── Payments ─────────────────────────────────────────────────────────────────────────────────

export const paymentView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  semester: z.string(),
  semesterLabel: z.string(),
  amountFen: z.number(),
  status: z.enum(keys(PAYMENT_STATUSES)),
  channel: z.enum(keys(PAYMENT_CHANNELS)),
  /** The last four digits of the card; the full number is never stored. */
  cardTail: z.string().nullable(),
  failureReason: z.string().nullable(),
  /** The day the money was paid out (已到账), YYYY-MM-DD. */
  paidOn: z.string().nullable(),
  /** The county's batch or voucher number. */
  reference: z.string(),
  updatedAt: z.string(),
});
export type PaymentView = z.infer<typeof paymentView>;

export const listPaymentsQuery = pageQuery.extend({
  semester: semesterKeyField.optional(),
  status: z.enum(keys(PAYMENT_STATUSES), { error: '状态不正确' }).optional(),
  schoolId: entityId.optional(),
});
export const paymentPageResponse = pageOf(paymentView);

// ── A child's subsidy record ─────────────────────────────────────────────────────────────────

export const semesterEntitlementView = z.object({
  semester: z.string(),
  label: z.string(),
  lines: z.array(z.object({ kind: z.enum(keys(SUBSIDY_POLICY_KINDS)), label: z.string(), amountFen: z.number() })),
  totalFen: z.number(),
  /** Paid out (已到账) for this semester so far. */
  paidFen: z.number(),
});

export const childSubsidiesResponse = z.object({
  child: z.object({ id: z.string(), name: z.string(), schoolName: z.string().nullable(), grade: z.number().nullable() }),
  eligibility: z.array(
    z.object({
      schoolYear: z.number(),
      schoolYearLabel: z.string(),
      category: z.enum(keys(SUBSIDY_CATEGORIES)),
      stage: z.enum(AID_STAGES),
      boarding: z.boolean(),
    }),
  ),
  /** Entitlements by semester, newest first. */
  entitlements: z.array(semesterEntitlementView),
  /** Every payment, newest first; a guardian is not shown the county's internal batch number (`reference` null). */
  payments: z.array(paymentView.extend({ reference: z.string().nullable() })),
  /** Shown, not paid: 营养改善计划 meals at school. */
  benefitsInKind: z.array(z.object({ label: z.string(), description: z.string(), dailyFen: z.number(), since: z.string() })),
  complaints: z.array(z.object({ id: z.string(), status: z.enum(COMPLAINT_STATUS_KEYS), createdAt: z.string(), subject: z.string() })),
});
export type ChildSubsidiesResponse = z.infer<typeof childSubsidiesResponse>;

// ── Complaints 资助投诉 ─────────────────────────────────────────────────────────────────────────

export const createComplaintRequest = z
  .object({
    childId: entityId,
    /** The payment complained about… */
    paymentId: entityId.nullable().default(null),
    /** …or the semester whose entitlement did not arrive. */
    semester: semesterKeyField.nullable().default(null),
    text: textField('反映的问题', 500, 5),
  })
  .refine((v) => (v.paymentId === null) !== (v.semester === null), {
    path: ['paymentId'],
    message: '请选择要反映的发放记录或学期（二选一）',
  });
export type CreateComplaintRequest = z.input<typeof createComplaintRequest>;

export const complaintEventView = z.object({
  at: z.string(),
  kind: z.string(),
  summary: z.string(),
  /** Who acted: the guardian, or the county's student-aid office (never an official's name to parents). */
  by: z.string(),
  text: z.string().nullable(),
});

export const complaintView = z.object({
  id: z.string(),
  version: z.number(),
  childId: z.string(),
  childName: z.string(),
  schoolName: z.string().nullable(),
  /** What it is about, in words: 2024年春季学期 生活补助 625元（发放失败）. */
  subject: z.string(),
  paymentId: z.string().nullable(),
  semester: z.string(),
  text: z.string(),
  status: z.enum(COMPLAINT_STATUS_KEYS),
  createdAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  events: z.array(complaintEventView),
  /** Transitions the caller may make now. */
  actions: z.array(z.enum(keys(ComplaintTransition))),
});
export type ComplaintView = z.infer<typeof complaintView>;

export const complaintListResponse = z.object({ items: z.array(complaintView) });

export const listComplaintsQuery = pageQuery.extend({
  status: z.enum(COMPLAINT_STATUS_KEYS, { error: '状态不正确' }).optional(),
  overdue: z.enum(['true', 'false'], { error: '应为 true 或 false' }).optional(),
});
export const complaintPageResponse = pageOf(complaintView).extend({ overdueCount: z.number() });

export const complaintTransitionRequest = z
  .object({
    transition: z.enum(keys(ComplaintTransition), { error: '操作类型不正确' }),
    version: z.number({ error: '缺少版本号，请刷新后重试' }).int().min(1),
    text: textField('说明', 1000).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.transition === 'answer' && (v.text === null || v.text.length < 5))
      ctx.addIssue({ code: 'custom', path: ['text'], message: '请填写答复内容（至少5个字）' });
    if (v.transition === 'reopen' && (v.text === null || v.text.length < 2))
      ctx.addIssue({ code: 'custom', path: ['text'], message: '请说明还有什么问题' });
  });
