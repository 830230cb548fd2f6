import { z } from 'zod';
import { CIRCULAR_COMMENT_MAX, CIRCULAR_TABLES, CIRCULAR_TITLE_MAX, type CircularTable } from '../../domain/circulars';
import { pageOf, pageQuery, textField } from '../fields';
import { scorecardResponse } from './scorecards';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (day: string) => DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
const dayField = (label: string) => z.string({ error: `请选择${label}` }).refine(isRealDay, `${label}应为有效日期（如 2026-09-01）`);
const tables = Object.keys(CIRCULAR_TABLES) as [CircularTable, ...CircularTable[]];

/**
 * Publishing a 通报 from the scorecard of a period: the county's townships or schools, `from` to
 * `to` (China days, inclusive). The comment (批评、表扬) is optional. The phone sends one idempotency
 * key per submission, so a retry publishes nothing twice.
 */
export const publishCircularRequest = z
  .object({
    title: textField('通报标题', CIRCULAR_TITLE_MAX, 2),
    comment: z.string({ error: '通报意见应为文字' }).trim().max(CIRCULAR_COMMENT_MAX, `通报意见最多${CIRCULAR_COMMENT_MAX}个字`).optional(),
    by: z.enum(tables, { error: '请选择按乡镇或学校排名' }),
    from: dayField('开始日期'),
    to: dayField('结束日期'),
    idempotencyKey: z.uuid({ error: '缺少提交编号，请重新提交' }),
  })
  .refine((body) => body.from <= body.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type PublishCircularRequest = z.input<typeof publishCircularRequest>;

/** A 通报 in a list: its number, title and period, without the table. */
export const circularSummary = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  by: z.enum(tables),
  from: z.string(),
  to: z.string(),
  countyName: z.string(),
  publishedAt: z.string(),
  /** Accounts it was sent to. */
  recipients: z.number(),
  /** The first-ranked unit(s) of the table, for the list. */
  firstRanked: z.array(z.string()),
  /** A recipient's own copy: when they read it (null: unread); absent in the county's list. */
  readAt: z.string().nullable().optional(),
});
export type CircularSummary = z.infer<typeof circularSummary>;

/** A 通报 whole: the scorecard exactly as it stood when published, and the comment. */
export const circularView = circularSummary.extend({
  comment: z.string().nullable(),
  publishedByName: z.string().nullable(),
  scorecard: scorecardResponse,
});
export type CircularView = z.infer<typeof circularView>;

export const circularPageResponse = pageOf(circularSummary);
export const listCircularsQuery = pageQuery;
