import { z } from 'zod';
import {
  DEFERRAL_STATUSES,
  ENROLMENT_KINDS,
  ENROLMENT_NOTICE_STATES,
  GUARDIAN_RELATIONS,
  SCHOOL_NOTICE_AUDIENCES,
} from '../../domain/parents';
import { CHILD_SEXES } from '../../domain/tips';
import { divisionCodeField, entityId, nameField, pageOf, pageQuery, textField, typedCodeField } from '../fields';
import { isoDate } from './case-handling';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

const grade = z.coerce.number({ error: '请选择年级' }).int('年级不正确').min(1, '年级应为一年级到初三').max(9, '年级应为一年级到初三');

// ── Binding a child ──────────────────────────────────────────────────────────────────────────

/** The code printed on the paper notice (or given by the school) plus the child's name: never an ID number alone. */
export const bindChildRequest = z.object({
  bindingCode: typedCodeField('绑定码'),
  childName: nameField('孩子姓名', 20),
  relation: z.enum(keys(GUARDIAN_RELATIONS), { error: '请选择您与孩子的关系' }),
});
export type BindChildRequest = z.input<typeof bindChildRequest>;

/** A child as their own guardian sees them in the app. */
export const boundChildView = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(keys(CHILD_SEXES)),
  birthYear: z.number().nullable(),
  idNumberMasked: z.string().nullable(),
  schoolId: z.string().nullable(),
  schoolName: z.string().nullable(),
  grade: z.number().nullable(),
  className: z.string().nullable(),
  /** How the caller is related to the child (父亲, 母亲, …). */
  relation: z.string(),
  boundAt: z.string(),
});
export type BoundChildView = z.infer<typeof boundChildView>;
export const myChildrenResponse = z.object({ items: z.array(boundChildView) });

/** A child's guardians as officials in scope see them: the roster's and the accounts bound in the app. */
export const childGuardiansResponse = z.object({
  child: z.object({ id: z.string(), name: z.string(), schoolName: z.string().nullable(), place: z.string().nullable() }),
  roster: z.array(z.object({ name: z.string(), relation: z.string().nullable(), phone: z.string().nullable() })),
  accounts: z.array(z.object({ displayName: z.string(), relation: z.string(), boundAt: z.string() })),
});

// ── Enrolment notices 入学通知书 ───────────────────────────────────────────────────────────────

export const issueEnrolmentRequest = z
  .object({
    kind: z.enum(keys(ENROLMENT_KINDS), { error: '请选择通知类型' }),
    /** The autumn the children start (2027 for the 2027—2028 school year). */
    schoolYear: z.coerce.number({ error: '请填写入学年份' }).int('入学年份不正确').min(2020, '入学年份不正确').max(2100, '入学年份不正确'),
    /** The school the children report to. */
    schoolId: entityId,
    /** New entrants: the catchment (townships or villages) whose children turning 6 are notified. */
    catchment: z.array(divisionCodeField).max(200, '一次最多选择200个村或乡镇').default([]),
    /** Graduates: the primary schools whose sixth-graders go on to `schoolId`. */
    fromSchoolIds: z.array(entityId).max(50, '一次最多选择50所小学').default([]),
    reportOn: isoDate,
    reportTime: textField('报到时间', 40),
    reportPlace: textField('报到地点', 100),
    bring: textField('需携带的材料', 300),
    contact: textField('联系人及电话', 60),
    /** Guardians acknowledge (回执) by this day; who has not is followed up. */
    acknowledgeBy: isoDate,
    /** Only count who would be notified. */
    dryRun: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'new_entrants' && v.catchment.length === 0)
      ctx.addIssue({ code: 'custom', path: ['catchment'], message: '请选择招生范围（乡镇或村）' });
    if (v.kind === 'graduates' && v.fromSchoolIds.length === 0)
      ctx.addIssue({ code: 'custom', path: ['fromSchoolIds'], message: '请选择毕业生所在的小学' });
    if (v.acknowledgeBy > v.reportOn) ctx.addIssue({ code: 'custom', path: ['acknowledgeBy'], message: '回执截止日期不能晚于报到日期' });
  });
export type IssueEnrolmentRequest = z.input<typeof issueEnrolmentRequest>;

const noticeCounts = z.object({
  total: z.number(),
  acknowledged: z.number(),
  deferred: z.number(),
  /** Neither acknowledged nor deferred. */
  pending: z.number(),
  /** Pending after the acknowledgement deadline. */
  overdue: z.number(),
  deferralsToDecide: z.number(),
});

export const enrolmentBatchView = z.object({
  id: z.string(),
  kind: z.enum(keys(ENROLMENT_KINDS)),
  schoolYear: z.number(),
  schoolId: z.string(),
  schoolName: z.string(),
  reportOn: z.string(),
  reportTime: z.string(),
  reportPlace: z.string(),
  bring: z.string(),
  contact: z.string(),
  acknowledgeBy: z.string(),
  issuerName: z.string(),
  issuedAt: z.string(),
  counts: noticeCounts,
});
export type EnrolmentBatchView = z.infer<typeof enrolmentBatchView>;

export const issueEnrolmentResponse = z.object({
  /** null for a dry run. */
  batch: enrolmentBatchView.nullable(),
  /** Children who get a notice (or would, for a dry run). */
  notified: z.number(),
  /** Children left out because they already have a notice for that school year. */
  alreadyNoticed: z.number(),
  /** Notified children no guardian has bound yet: their notice goes on paper with the binding code. */
  withoutApp: z.number(),
});

export const enrolmentBatchListResponse = z.object({ items: z.array(enrolmentBatchView) });

export const followUpQuery = z.object({
  batchId: entityId.optional(),
  /** A township or village inside the caller's scope. */
  under: divisionCodeField.optional(),
  schoolId: entityId.optional(),
});

export const followUpResponse = z.object({
  asOf: z.string(),
  /** Per receiving school and village. */
  groups: z.array(
    z.object({
      schoolId: z.string(),
      schoolName: z.string(),
      villageCode: z.string().nullable(),
      villageName: z.string().nullable(),
      counts: noticeCounts,
    }),
  ),
  /** Who has not acknowledged yet (deferred children excepted), overdue first. */
  items: z.array(
    z.object({
      noticeId: z.string(),
      batchId: z.string(),
      childName: z.string(),
      villageName: z.string().nullable(),
      schoolName: z.string(),
      state: z.enum(keys(ENROLMENT_NOTICE_STATES)),
      acknowledgeBy: z.string(),
      overdue: z.boolean(),
      /** Guardians bound in the app (0: the village delivers the paper notice). */
      guardiansInApp: z.number(),
      lastRemindedAt: z.string().nullable(),
    }),
  ),
  /** More children are pending than listed. */
  truncated: z.boolean(),
});

export const remindRequest = z.object({ under: divisionCodeField.nullable().default(null) });
export const remindResponse = z.object({
  /** Notices whose guardians were reminded. */
  reminded: z.number(),
  /** Guardians who received the reminder. */
  guardians: z.number(),
  /** Pending notices without a guardian in the app: the village follows up in person. */
  withoutApp: z.number(),
  /** Notices reminded in the last 24 hours, skipped. */
  skippedRecent: z.number(),
});

export const deferralView = z.object({
  id: z.string(),
  noticeId: z.string(),
  childName: z.string(),
  villageName: z.string().nullable(),
  schoolName: z.string(),
  schoolYear: z.number(),
  reason: z.string(),
  /** A short-lived link to the document photo (e.g. a hospital certificate). */
  photoUrl: z.string().nullable(),
  appliedAt: z.string(),
  status: z.enum(keys(DEFERRAL_STATUSES)),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The unit that decided: a township government or the county education bureau. */
  decidedBy: z.string().nullable(),
});
export type DeferralView = z.infer<typeof deferralView>;

export const enrolmentNoticeView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  kind: z.enum(keys(ENROLMENT_KINDS)),
  schoolYear: z.number(),
  schoolName: z.string(),
  reportOn: z.string(),
  reportTime: z.string(),
  reportPlace: z.string(),
  bring: z.string(),
  contact: z.string(),
  acknowledgeBy: z.string(),
  issuerName: z.string(),
  issuedAt: z.string(),
  /** The notice as issued, with the law it cites. */
  text: z.string(),
  state: z.enum(keys(ENROLMENT_NOTICE_STATES)),
  readAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  deferral: deferralView.nullable(),
  /** What the caller may do: acknowledge, apply_deferral. */
  actions: z.array(z.string()),
});
export type EnrolmentNoticeView = z.infer<typeof enrolmentNoticeView>;
export const enrolmentNoticeListResponse = z.object({ items: z.array(enrolmentNoticeView) });

export const applyDeferralRequest = z.object({
  reason: textField('申请理由', 500, 5),
  /** The photo of a document (hospital certificate), uploaded first with purpose `deferral_document`. */
  photoId: entityId,
});

export const listDeferralsQuery = z.object({
  status: z.enum(keys(DEFERRAL_STATUSES), { error: '状态不正确' }).optional(),
});
export const deferralListResponse = z.object({ items: z.array(deferralView) });

export const decideDeferralRequest = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: '请选择批准或不批准' }),
    note: textField('审批意见', 200).nullable().default(null),
  })
  .refine((v) => v.decision === 'approve' || (v.note !== null && v.note.length >= 2), {
    path: ['note'],
    message: '不批准时请填写理由',
  });

// ── School notices ───────────────────────────────────────────────────────────────────────────

export const schoolNoticeAudience = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('school') }),
    z.object({ kind: z.literal('grade'), grade }),
    z.object({ kind: z.literal('class'), grade, className: textField('班级', 16) }),
  ],
  { error: '请选择发送范围（全校、年级或班级）' },
);

export const sendSchoolNoticeRequest = z.object({
  audience: schoolNoticeAudience,
  title: textField('标题', 40, 2),
  body: textField('内容', 2000, 2),
});
export type SendSchoolNoticeRequest = z.input<typeof sendSchoolNoticeRequest>;

/** A notice as the school sees it: to whom, and how many guardians have read it. */
export const schoolNoticeView = z.object({
  id: z.string(),
  schoolName: z.string(),
  audience: z.enum(keys(SCHOOL_NOTICE_AUDIENCES)),
  /** 全校, 三年级, 三年级2班. */
  audienceLabel: z.string(),
  title: z.string(),
  body: z.string(),
  sentAt: z.string(),
  sentByName: z.string().nullable(),
  /** Pupils in the audience, and those with at least one guardian in the app. */
  pupils: z.number(),
  pupilsReached: z.number(),
  /** Guardian accounts it went to, and how many of them have read it. */
  recipients: z.number(),
  read: z.number(),
});
export type SchoolNoticeView = z.infer<typeof schoolNoticeView>;

export const listSchoolNoticesQuery = pageQuery.extend({ schoolId: entityId.optional() });
export const schoolNoticePageResponse = pageOf(schoolNoticeView);

/** A school notice as a parent sees it. */
export const receivedSchoolNoticeView = z.object({
  id: z.string(),
  schoolName: z.string(),
  title: z.string(),
  body: z.string(),
  sentAt: z.string(),
  /** The caller's children it concerns. */
  childNames: z.array(z.string()),
  read: z.boolean(),
});
export type ReceivedSchoolNoticeView = z.infer<typeof receivedSchoolNoticeView>;
export const receivedSchoolNoticePageResponse = pageOf(receivedSchoolNoticeView).extend({ unread: z.number() });
