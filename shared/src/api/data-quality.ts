import { z } from 'zod';
import { DATA_QUALITY_ITEM_LABELS, DATA_QUALITY_RULE_CODES, type DataQualityItemKind } from '../domain/data-quality';

/**
 * Data-quality flags (数据质量, issue 18 item 6): the contract of `GET /data-quality`. Flags name case
 * numbers, event times and the account that logged them — what the county already sees on its cases —
 * and never a child's name, ID number or address.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (day: string) => DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
const dayField = (label: string) =>
  z
    .string({ error: `请选择${label}` })
    .refine(isRealDay, `${label}应为有效日期（如 2026-09-01）`)
    .optional();

/**
 * The flags of a period of China days, `from` to `to` inclusive (default: the last 30 days), by when
 * the flagged record was entered; `rule` limits the answer to one rule, `page` pages its records.
 */
export const dataQualityQuery = z
  .object({
    from: dayField('开始日期'),
    to: dayField('结束日期'),
    rule: z.enum(DATA_QUALITY_RULE_CODES, { error: '请选择一条数据质量规则' }).optional(),
    page: z.coerce.number({ error: '页码应为正整数' }).int('页码应为正整数').min(1, '页码应为正整数').max(10_000, '页码过大').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type DataQualityQuery = z.infer<typeof dataQualityQuery>;

const itemKinds = Object.keys(DATA_QUALITY_ITEM_LABELS) as [DataQualityItemKind, ...DataQualityItemKind[]];

/** One record a flag names: a visit, the return, the 销号, a roll-call absence, the opening, or another case's event. */
export const dataQualityItem = z.object({
  kind: z.enum(itemKinds),
  /** The visit's, event's or attendance day's id; null for the opening (the case itself). */
  id: z.string().nullable(),
  /** When it was entered (ISO time), where the system recorded it. */
  at: z.string().nullable(),
  /** The day it states (a visit's or return's date, a roll call's day), YYYY-MM-DD. */
  day: z.string().nullable(),
  /** Its case, when not the flag's own (another township's case); null when the caller cannot open that case. */
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  townshipName: z.string().nullable(),
  /** The account that entered it, by display name. */
  actorName: z.string().nullable(),
});
export type DataQualityItem = z.infer<typeof dataQualityItem>;

/** One flagged record: its case (by number, linking to the case page) and the records that trip the rule. */
export const dataQualityRecord = z.object({
  caseId: z.string(),
  caseNumber: z.string().nullable(),
  townshipName: z.string().nullable(),
  /** The account the flag is about (who logged the visits, who closed the case). */
  actorName: z.string().nullable(),
  items: z.array(dataQualityItem),
});
export type DataQualityRecord = z.infer<typeof dataQualityRecord>;

export const dataQualityRuleResult = z.object({
  code: z.enum(DATA_QUALITY_RULE_CODES),
  title: z.string(),
  /** The rule in words, with its thresholds. */
  rule: z.string(),
  /** Flagged records in the period (all pages). */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  records: z.array(dataQualityRecord),
});
export type DataQualityRuleResult = z.infer<typeof dataQualityRuleResult>;

export const dataQualityResponse = z.object({
  from: z.string(),
  to: z.string(),
  /** The county (or township) checked. */
  unitName: z.string(),
  rules: z.array(dataQualityRuleResult),
});
export type DataQualityResponse = z.infer<typeof dataQualityResponse>;
