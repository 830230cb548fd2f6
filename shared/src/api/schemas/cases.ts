import { z } from 'zod';
import {
  CASE_SOURCES,
  CASE_STATUSES,
  DROPOUT_CAUSES,
  ESCALATION_STEPS,
  NOT_DROPOUT_REASONS,
  PLACEMENT_MODES,
  PRIORITY_GROUPS,
} from '../../domain/cases';
import { CASE_ACTIONS } from '../../domain/policy';
import { attendanceSummary, caseFilters, noticeView, transferView, visitView } from './case-handling';
import { CHILD_SEXES } from '../../domain/tips';
import { divisionCodeField, entityId, pageOf, textField } from '../fields';
import { officialTipView } from './tips';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

export const caseChildView = z.object({
  name: z.string(),
  sex: z.enum(keys(CHILD_SEXES)),
  birthYear: z.number().nullable(),
  idNumberMasked: z.string().nullable(),
  priorityGroups: z.array(z.enum(keys(PRIORITY_GROUPS))),
  /** The child's place on a school roster (学籍), when the child is rostered. */
  roster: z.object({ schoolName: z.string().nullable(), grade: z.number().nullable(), className: z.string().nullable() }).nullable(),
});

/** One line of an inbox. */
export const caseListItem = z.object({
  id: z.string(),
  /** 案件编号, what people read and say: the county's yearly sequence, `光山-2026-000123`. */
  number: z.string(),
  status: z.enum(CASE_STATUSES),
  source: z.enum(keys(CASE_SOURCES)),
  child: caseChildView,
  /** Where the child lives, as precisely as known (county … village). */
  place: z.string().nullable(),
  /** The township responsible, or null while the case waits in the county's triage queue. */
  townshipCode: z.string().nullable(),
  townshipName: z.string().nullable(),
  schoolName: z.string().nullable(),
  openedAt: z.string(),
  /** When the current step is due (e.g. acceptance within 24 h). */
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  tipCount: z.number(),
  assigneeName: z.string().nullable(),
  /** Who an overdue step has climbed to. */
  escalatedTo: z.enum(['leader', 'county']).nullable(),
  /** A transfer to another unit waits for the receiver. */
  transferPending: z.boolean(),
});
export type CaseListItem = z.infer<typeof caseListItem>;

/** A calendar month, `2026-12`. */
const monthField = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-12');

export const listCasesQuery = caseFilters.extend({
  /** Part of the child's name, or a case number (`光山-2026-000123`). */
  q: z.string().trim().max(20, '搜索词最多20个字').optional(),
  status: z.enum(CASE_STATUSES, { error: '状态不正确' }).optional(),
  /** Only cases whose current step is overdue. */
  overdue: z.enum(['true', 'false'], { error: '应为 true 或 false' }).optional(),
  /** Only open cases (neither closed nor found not to be a dropout): a dashboard's 在办案件. */
  open: z.enum(['true'], { error: '应为 true' }).optional(),
  /** Only cases whose current step falls due later today (China time), not yet overdue. */
  dueToday: z.enum(['true'], { error: '应为 true' }).optional(),
  /** Only cases returned to school in this month (`2026-12`), as the statistics count returns. */
  returnedIn: monthField.optional(),
  /** Only cases closed (销号) in this month (`2026-12`, China time). */
  closedIn: monthField.optional(),
  /** How the cases came in, e.g. the children a cross-check found (四查三比对). */
  source: z.enum(keys(CASE_SOURCES), { error: '来源不正确' }).optional(),
});
export const casePageResponse = pageOf(caseListItem).extend({ overdueCount: z.number() });

export const routingView = z.object({
  at: z.string(),
  /** null: to the county's triage queue. */
  townshipCode: z.string().nullable(),
  townshipName: z.string().nullable(),
  schoolName: z.string().nullable(),
  rule: z.enum(['village', 'township', 'no_place', 'outside_served', 'manual', 'returned_by_township', 'merged']),
  byName: z.string().nullable(),
  reason: z.string().nullable(),
});
export type RoutingView = z.infer<typeof routingView>;

export const caseEventView = z.object({
  at: z.string(),
  kind: z.string(),
  /** A Chinese sentence describing the event. */
  summary: z.string(),
  byName: z.string().nullable(),
});

export const caseDetail = caseListItem.extend({
  version: z.number(),
  /** The child's record (its merges: `childrenMerges`). */
  childId: z.string(),
  villageCode: z.string().nullable(),
  countyCode: z.string(),
  assigneeId: z.string().nullable(),
  /** The child's school on the case (the one `schoolName` names): the return form starts from it. */
  schoolId: z.string().nullable(),
  tips: z.array(officialTipView),
  routings: z.array(routingView),
  events: z.array(caseEventView),
  /** The next required step and its due date. */
  nextStep: z.object({ kind: z.string(), label: z.string(), dueAt: z.string().nullable() }).nullable(),
  causes: z.array(z.object({ cause: z.enum(keys(DROPOUT_CAUSES)), label: z.string(), support: z.string() })),
  confirmedAt: z.string().nullable(),
  notDropoutReason: z.enum(keys(NOT_DROPOUT_REASONS)).nullable(),
  /** A transferred child: the receiving school that must confirm the enrolment. */
  confirmingSchoolName: z.string().nullable(),
  escalationSteps: z.array(z.enum(keys(ESCALATION_STEPS))),
  nextEscalationStep: z.enum(keys(ESCALATION_STEPS)).nullable(),
  visits: z.array(visitView),
  notices: z.array(noticeView),
  transfers: z.array(transferView),
  returned: z
    .object({ returnedOn: z.string(), schoolName: z.string().nullable(), grade: z.number(), placement: z.enum(keys(PLACEMENT_MODES)) })
    .nullable(),
  attendance: attendanceSummary.nullable(),
  /** What the caller may do now (the case policy): transitions and other actions. */
  actions: z.array(z.enum(CASE_ACTIONS)),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const acceptCaseRequest = z.object({
  /** The responsible cadre (包抓干部); the caller when omitted. */
  assigneeId: entityId.nullable().default(null),
  version: z.number({ error: '缺少版本号' }).int().min(0).optional(),
});

export const routeCaseRequest = z.object({
  townshipCode: divisionCodeField,
  reason: textField('分派原因', 200, 2),
});

export const returnToTriageRequest = z.object({ reason: textField('退回原因', 200, 5) });

export const mergeCaseRequest = z.object({
  intoCaseId: entityId,
  reason: textField('合并原因', 200, 2),
});

export const assigneeView = z.object({ id: z.string(), displayName: z.string(), position: z.string().nullable(), unitName: z.string() });
export const assigneeListResponse = z.object({ items: z.array(assigneeView) });
