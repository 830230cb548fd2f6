import { z } from 'zod';
import { AUDIT_CATEGORY_KEYS } from '../../domain/audit';
import { ROLES } from '../../domain/roles';
import { entityId, pageOf, pageQuery } from '../fields';
import { isoDate } from './case-handling';

/**
 * The audit viewer (BRIEF §7): the county's log of who read, revealed or exported which child's
 * record, merged records, changed roles or settings and signed in, filtered by child, by person,
 * by kind of act and by date; and, for a parent, which units read their child's record.
 */
const auditFilterFields = {
  /** The child concerned (its record was read, revealed or changed); a merged record's acts count for its survivor. */
  childId: entityId.optional(),
  /** Who acted. */
  actorId: entityId.optional(),
  /** What kind of act. */
  category: z.enum(AUDIT_CATEGORY_KEYS, { error: '操作类别不正确' }).optional(),
  /** China days, inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
};
const datesInOrder = (v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to;
const DATES_IN_ORDER = { path: ['to'], message: '结束日期不能早于开始日期' };

export const auditExportQuery = z.object(auditFilterFields).refine(datesInOrder, DATES_IN_ORDER);
export const auditListQuery = pageQuery.extend(auditFilterFields).refine(datesInOrder, DATES_IN_ORDER);
export type AuditFilters = z.output<typeof auditExportQuery>;

export const auditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  category: z.enum(AUDIT_CATEGORY_KEYS),
  /** Who: null for the server's own work (retention). The unit is the one they held at the time. */
  actor: z
    .object({
      id: z.string(),
      name: z.string(),
      role: z.enum(ROLES).nullable(),
      /** e.g. 十里镇 包抓干部, 光山县十里镇中心小学 教职工, 光山县教育局. */
      unit: z.string().nullable(),
    })
    .nullable(),
  /** The child concerned, when the act was about one. */
  child: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** What was acted on, e.g. 案件, 台账（光山县）. */
  target: z.string(),
  /** The reason the person gave (revealing a tipster, exporting full ID numbers, merging records…). */
  reason: z.string().nullable(),
  /** What else was recorded, in words (counts, filters, whether full ID numbers were exported). */
  details: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const auditPageResponse = pageOf(auditEntryView);

/** One act on a parent's child: the unit and role, never the official's name; tipsters never appear. */
export const accessHistoryEntry = z.object({
  id: z.string(),
  at: z.string(),
  /** e.g. 十里镇 包抓干部. */
  unit: z.string(),
  action: z.string(),
  /** Why: the reason given, or the purpose of the act. */
  purpose: z.string(),
});
export type AccessHistoryEntry = z.infer<typeof accessHistoryEntry>;

export const accessHistoryResponse = pageOf(accessHistoryEntry).extend({
  child: z.object({ id: z.string(), name: z.string() }),
});
