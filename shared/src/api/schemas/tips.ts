import { z } from 'zod';
import { CHILD_SEXES, TIP_LIMITS, TIP_MILESTONES } from '../../domain/tips';

import { divisionCodeField, entityId, idNumberField, nameField, pageOf, pageQuery, textField } from '../fields';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

/** The child as far as the tipster knows. */
export const reportedChild = z.object({
  name: nameField('孩子姓名', 20),
  sex: z.enum(keys(CHILD_SEXES), { error: '请选择性别（或“不清楚”）' }).default('unknown'),
  /** Approximate age in years. */
  age: z.coerce
    .number({ error: '年龄应为数字' })
    .int('年龄应为整数')
    .min(5, '义务教育阶段的孩子应在5岁以上')
    .max(17, '义务教育阶段的孩子应在17岁以下')
    .nullable()
    .default(null),
  grade: z.coerce
    .number({ error: '年级应为数字' })
    .int('年级不正确')
    .min(1, '年级应为一年级到初三')
    .max(9, '年级应为一年级到初三')
    .nullable()
    .default(null),
  /** Picked from the list when the school is known… */
  lastSchoolId: entityId.nullable().default(null),
  /** …or typed when it is not in the list. */
  lastSchoolName: textField('学校名称', 50).nullable().default(null),
  idNumber: idNumberField.nullable().default(null),
});

export const createTipRequest = z.object({
  /** A fresh UUID per tip, kept across retries: the same key never creates a second tip. */
  idempotencyKey: z.uuid({ error: '缺少提交编号，请重新提交' }),
  child: reportedChild,
  /** The most precise place known: a village, a township or a county; null when unknown (不清楚). */
  divisionCode: divisionCodeField.nullable().default(null),
  locationNote: textField('住址说明', TIP_LIMITS.locationNoteMax).nullable().default(null),
  observation: textField('观察到的情况', TIP_LIMITS.observationMax, TIP_LIMITS.observationMin),
  contact: textField('联系方式', TIP_LIMITS.contactMax).nullable().default(null),
  photoId: entityId.nullable().default(null),
});
export type CreateTipRequest = z.input<typeof createTipRequest>;

export const tipMilestone = z.object({
  kind: z.enum(keys(TIP_MILESTONES)),
  at: z.string(),
  /** For `unfounded`: the reason given. */
  note: z.string().nullable(),
});
export type TipMilestoneView = z.infer<typeof tipMilestone>;

/** A supervisor's own tip: what they wrote, and the coarse milestones of the case it fed. */
export const ownTipView = z.object({
  id: z.string(),
  createdAt: z.string(),
  child: z.object({
    name: z.string(),
    sex: z.enum(keys(CHILD_SEXES)),
    age: z.number().nullable(),
    grade: z.number().nullable(),
    schoolName: z.string().nullable(),
    idNumberMasked: z.string().nullable(),
  }),
  place: z.string().nullable(),
  locationNote: z.string().nullable(),
  observation: z.string(),
  contact: z.string().nullable(),
  /** A short-lived link to the evidence photo, when there is one. */
  photoUrl: z.string().nullable(),
  /** The child was already being followed when this tip arrived. */
  alreadyFollowed: z.boolean(),
  milestones: z.array(tipMilestone),
});
export type OwnTipView = z.infer<typeof ownTipView>;

export const createTipResponse = z.object({ tip: ownTipView, message: z.string() });

export const myTipsQuery = pageQuery;
export const myTipsResponse = pageOf(ownTipView).extend({
  /** The supervisor's own record. */
  stats: z.object({ sent: z.number(), confirmed: z.number(), returned: z.number() }),
});

/** A tip as officials see it: the tipster is hidden until revealed with a reason. */
export const officialTipView = z.object({
  id: z.string(),
  createdAt: z.string(),
  child: ownTipView.shape.child,
  place: z.string().nullable(),
  locationNote: z.string().nullable(),
  observation: z.string(),
  photoUrl: z.string().nullable(),
});
export type OfficialTipView = z.infer<typeof officialTipView>;

export const revealTipsterRequest = z.object({ reason: textField('查看原因', 200, 5) });
export const tipsterView = z.object({ name: z.string(), contact: z.string().nullable() });

export const splitTipRequest = z.object({ reason: textField('拆分原因', 200, 2) });
