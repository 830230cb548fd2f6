import { z } from 'zod';
import {
  RECTIFICATION_STATUSES,
  SPOT_CHECK_MAX_PER_TOWNSHIP,
  SPOT_CHECK_RESULTS,
  SPOT_CHECK_SEED_MAX,
  type RectificationStatus,
  type SpotCheckResult,
} from '../../domain/spot-checks';
import { divisionCodeField, pageOf, pageQuery, textField } from '../fields';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (day: string) => DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
const dayField = (label: string) => z.string({ error: `请选择${label}` }).refine(isRealDay, `${label}应为有效日期（如 2026-09-01）`);
const results = Object.keys(SPOT_CHECK_RESULTS) as [SpotCheckResult, ...SpotCheckResult[]];
const statuses = Object.keys(RECTIFICATION_STATUSES) as [RectificationStatus, ...RectificationStatus[]];

/** One township of a draw: how many of its closed cases to draw, as a number or a share (per cent). */
const townshipSample = z
  .object({
    townshipCode: divisionCodeField,
    size: z
      .number({ error: '抽查数量应为数字' })
      .int('抽查数量应为整数')
      .min(1, '抽查数量至少为1')
      .max(SPOT_CHECK_MAX_PER_TOWNSHIP, `每个乡镇最多抽查${SPOT_CHECK_MAX_PER_TOWNSHIP}件`)
      .optional(),
    share: z.number({ error: '抽查比例应为数字' }).gt(0, '抽查比例应大于0').max(100, '抽查比例不能超过100%').optional(),
  })
  .refine((t) => (t.size === undefined) !== (t.share === undefined), { message: '请填写抽查数量或抽查比例（二选一）', path: ['size'] });

/**
 * A draw (督导抽查): cases closed (销号) from `from` to `to` (China days, inclusive), per township a size
 * or a share. The seed makes it reproducible: the same seed over the same closed cases draws the same
 * sample; without one the server picks one and records it. One idempotency key per submission.
 */
export const drawSpotCheckRequest = z
  .object({
    from: dayField('销号开始日期'),
    to: dayField('销号结束日期'),
    townships: z
      .array(townshipSample, { error: '请选择要抽查的乡镇' })
      .min(1, '请至少选择一个乡镇')
      .max(60, '一次最多抽查60个乡镇')
      .refine((list) => new Set(list.map((t) => t.townshipCode)).size === list.length, '同一乡镇只能填写一次'),
    seed: z
      .number({ error: '随机种子应为数字' })
      .int('随机种子应为整数')
      .min(1, '随机种子应为正整数')
      .max(SPOT_CHECK_SEED_MAX, `随机种子最大为${SPOT_CHECK_SEED_MAX}`)
      .optional(),
    idempotencyKey: z.uuid({ error: '缺少提交编号，请重新提交' }),
  })
  .refine((body) => body.from <= body.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type DrawSpotCheckRequest = z.input<typeof drawSpotCheckRequest>;

const townshipOfDraw = z.object({
  townshipCode: z.string(),
  townshipName: z.string(),
  /** Cases closed in the period in the township when drawn. */
  population: z.number(),
  /** How many were drawn. */
  drawn: z.number(),
  /** As asked: a size, or a share in per cent. */
  size: z.number().nullable(),
  share: z.number().nullable(),
});

export const spotCheckSummary = z.object({
  id: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  from: z.string(),
  to: z.string(),
  seed: z.number(),
  townships: z.array(townshipOfDraw),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  /** Sampled cases, how many have a finding, and how many of those are problems. */
  items: z.number(),
  checked: z.number(),
  problems: z.number(),
});
export type SpotCheckSummary = z.infer<typeof spotCheckSummary>;

export const spotCheckFinding = z.object({
  result: z.enum(results),
  resultLabel: z.string(),
  note: z.string(),
  checkedOn: z.string(),
  inspectorName: z.string().nullable(),
  /** The inspector's unit: 县教育局, or a prefecture's or province's bureau (a cross-county check). */
  inspectorUnit: z.string(),
  recordedAt: z.string(),
  /** Whether the finding reopened the case (the child was not attending and the case was still closed). */
  reopened: z.boolean(),
  rectificationId: z.string().nullable(),
});
export type SpotCheckFinding = z.infer<typeof spotCheckFinding>;

/**
 * A sampled case. A prefecture's or province's inspector sees the case number, township, school and
 * grade only (BRIEF §7: no child's personal data above the county): `caseId`, `childName` and
 * `villageName` are null for them.
 */
export const spotCheckItemView = z.object({
  id: z.string(),
  caseNumber: z.string(),
  caseId: z.string().nullable(),
  childName: z.string().nullable(),
  villageName: z.string().nullable(),
  townshipCode: z.string(),
  townshipName: z.string(),
  schoolName: z.string().nullable(),
  grade: z.number().nullable(),
  closedOn: z.string(),
  finding: spotCheckFinding.nullable(),
});
export type SpotCheckItemView = z.infer<typeof spotCheckItemView>;

export const spotCheckView = spotCheckSummary.extend({ sample: z.array(spotCheckItemView) });
export type SpotCheckView = z.infer<typeof spotCheckView>;

export const spotCheckPageResponse = pageOf(spotCheckSummary);
export const listSpotChecksQuery = pageQuery;

/** A draw's items of one township only (the list per township). */
export const spotCheckQuery = z.object({ township: divisionCodeField.optional() });

export const spotCheckItemParams = z.object({
  id: z.uuid({ error: '编号格式不正确' }),
  itemId: z.uuid({ error: '编号格式不正确' }),
});

/**
 * An inspector's finding for one sampled case: attending or not (or a record that does not match),
 * the evidence (what they saw, whom they asked), the day they checked; for a problem the 整改 deadline
 * (default: `RECTIFICATION_DEFAULT_DAYS` after the check).
 */
export const recordFindingRequest = z
  .object({
    result: z.enum(results, { error: '请选择核查结果' }),
    note: textField('核查情况（证据）', 500, 4),
    checkedOn: dayField('核查日期'),
    deadlineOn: dayField('整改期限').optional(),
  })
  .refine((body) => !body.deadlineOn || body.deadlineOn > body.checkedOn, {
    message: '整改期限应晚于核查日期',
    path: ['deadlineOn'],
  });
export type RecordFindingRequest = z.input<typeof recordFindingRequest>;

/** A 整改 item: the problem a spot check found in a township, its deadline and its course. */
export const rectificationView = z.object({
  id: z.string(),
  spotCheckId: z.string(),
  caseNumber: z.string(),
  /** The case, for the township and the county to open; null for a region's bureau. */
  caseId: z.string().nullable(),
  townshipCode: z.string(),
  townshipName: z.string(),
  result: z.enum(results),
  problem: z.string(),
  deadlineOn: z.string(),
  status: z.enum(statuses),
  statusLabel: z.string(),
  overdue: z.boolean(),
  reportNote: z.string().nullable(),
  reportedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** How many times the county returned it. */
  returns: z.number(),
  createdAt: z.string(),
  version: z.number(),
});
export type RectificationView = z.infer<typeof rectificationView>;

export const listRectificationsQuery = pageQuery.extend({
  status: z.enum(statuses, { error: '状态不正确' }).optional(),
});
export const rectificationPageResponse = pageOf(rectificationView);

/** The township records what it did. */
export const reportRectificationRequest = z.object({
  note: textField('整改情况', 1000, 4),
  version: z.number({ error: '缺少版本号，请刷新后重试' }).int(),
});

/** The county accepts the rectification or returns it (with what is still missing). */
export const reviewRectificationRequest = z
  .object({
    decision: z.enum(['accept', 'return'], { error: '请选择验收通过或退回' }),
    note: z.string({ error: '验收意见应为文字' }).trim().max(500, '验收意见最多500个字').optional(),
    version: z.number({ error: '缺少版本号，请刷新后重试' }).int(),
  })
  .refine((body) => body.decision === 'accept' || (body.note?.length ?? 0) >= 2, {
    message: '退回时请写明仍需整改的内容',
    path: ['note'],
  });
