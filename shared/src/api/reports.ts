import { z } from 'zod';
import { CASE_SOURCES, DROPOUT_CAUSES, PLACEMENT_MODES, PRIORITY_GROUPS } from '../domain/cases';
import {
  REPORT_ACTIONS,
  REPORT_COMMENT_MAX,
  REPORT_EXPLANATION_MAX,
  REPORT_KIND_LIST,
  REPORT_REASON_MIN,
  REPORT_STATUS_LIST,
  isReportPeriod,
  type ReportKind,
} from '../domain/reports';
import { textField } from './fields';

/**
 * Periodic reports with approval (BRIEF §5a): the contract of the `/reports` routes. A unit's report
 * is one row per (kind, unit, period); its figures are counts only, never a child.
 */

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];
const countsOf = <T extends Record<string, string>>(record: T) =>
  z.object(Object.fromEntries(Object.keys(record).map((key) => [key, z.number()])) as Record<keyof T & string, z.ZodNumber>);

export const reportKindField = z.enum(REPORT_KIND_LIST, { error: '请选择报告类型（学校月报、乡镇月报或县季报）' });
export const reportStatusField = z.enum(REPORT_STATUS_LIST);
export const reportActionField = z.enum(keys(REPORT_ACTIONS));

const periodField = z.string({ error: '请选择报告期' }).trim();
const periodRefine = <T extends { kind?: ReportKind; period?: string }>(value: T, ctx: z.RefinementCtx) => {
  if (value.kind && value.period !== undefined && !isReportPeriod(value.kind, value.period))
    ctx.addIssue({
      code: 'custom',
      path: ['period'],
      message: value.kind === 'county_quarterly' ? '报告期应为季度（如 2026-Q4）' : '报告期应为月份（如 2026-11）',
    });
};

/** The figures of a report (see `ReportFigures` in the domain). */
export const reportFigures = z.object({
  enrolment: z.object({ primary: z.number(), junior: z.number() }),
  newCases: countsOf(CASE_SOURCES),
  confirmed: z.number(),
  returned: z.number(),
  closed: z.number(),
  stillOut: z.number(),
  overdue: z.number(),
  homeVisits: z.number(),
  placements: countsOf(PLACEMENT_MODES),
  causes: countsOf(DROPOUT_CAUSES),
  priorityGroups: countsOf(PRIORITY_GROUPS),
  consolidation: z
    .object({
      graduatingYear: z.number(),
      rate: z.number().nullable(),
      graduates: z.number().nullable(),
      intake: z.number().nullable(),
      transfersIn: z.number(),
      transfersOut: z.number(),
    })
    .nullable(),
});
export type ReportFiguresView = z.infer<typeof reportFigures>;

/** The unit a report is of: a school (by id), a township or a county (by division code). */
export const reportUnit = z.object({
  level: z.enum(['school', 'township', 'county']),
  /** The school's id, or the division code of the township or county. */
  id: z.string(),
  name: z.string(),
});
export type ReportUnit = z.infer<typeof reportUnit>;

/** One step of a report's history: generated, submitted, approved, returned, reopened. */
export const reportEvent = z.object({
  action: z.enum(['generate', 'refresh', 'edit', 'submit', 'approve', 'return', 'reopen']),
  at: z.string(),
  byName: z.string().nullable(),
  /** The explanation, the return comment or the reopening reason. */
  comment: z.string().nullable(),
});

/** A report in a list: who, which period, where it stands. */
export const reportSummary = z.object({
  id: z.string(),
  kind: reportKindField,
  period: z.string(),
  periodLabel: z.string(),
  unit: reportUnit,
  status: reportStatusField,
  /** The China day it is due, and whether it is late now (past due, not submitted). */
  dueOn: z.string(),
  late: z.boolean(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type ReportSummary = z.infer<typeof reportSummary>;

/**
 * A report whole: its figures (locked once approved: what was approved stays), last period's beside
 * them (that report's approved figures if it was approved, else generated now), and the printed
 * table of both (`lines`), the explanation, the approver's comment and the history.
 */
export const reportView = reportSummary.extend({
  /** To whom it goes: 乡镇, 县教育局, 市、省教育局. */
  toLabel: z.string(),
  from: z.string(),
  to: z.string(),
  figures: reportFigures,
  generatedAt: z.string(),
  previous: z.object({
    period: z.string(),
    periodLabel: z.string(),
    source: z.enum(['approved', 'generated']),
    figures: reportFigures,
  }),
  lines: z.array(z.object({ key: z.string(), section: z.string(), label: z.string(), current: z.string(), previous: z.string() })),
  explanation: z.string().nullable(),
  /** The comment of the last return (or the reason of the last reopening). */
  reviewComment: z.string().nullable(),
  submittedByName: z.string().nullable(),
  approvedByName: z.string().nullable(),
  history: z.array(reportEvent),
  /** What the caller may do with it now. */
  actions: z.array(reportActionField),
});
export type ReportView = z.infer<typeof reportView>;

/**
 * `POST /reports`: make (or refresh) the draft of a unit's report. The unit defaults to the caller's
 * own, the kind to the one it reports, the period to the one due now (last month, last quarter).
 */
export const openReportRequest = z
  .object({
    kind: reportKindField.optional(),
    period: periodField.optional(),
    /** A school's id, or a township's or county's division code; by default the caller's own unit. */
    unit: z.string({ error: '单位不正确' }).trim().min(1, '单位不正确').max(40, '单位不正确').optional(),
  })
  .superRefine(periodRefine);
export type OpenReportRequest = z.input<typeof openReportRequest>;

/** `PATCH /reports/:id`: the written explanation (说明) of a draft or returned report. */
export const updateReportRequest = z.object({
  explanation: z.string({ error: '说明应为文字' }).trim().max(REPORT_EXPLANATION_MAX, `说明最多${REPORT_EXPLANATION_MAX}个字`).nullable(),
});
export type UpdateReportRequest = z.input<typeof updateReportRequest>;

/** `POST /reports/:id/submit`: the figures are generated afresh and sent up, with an optional explanation. */
export const submitReportRequest = z.object({
  explanation: z.string({ error: '说明应为文字' }).trim().max(REPORT_EXPLANATION_MAX, `说明最多${REPORT_EXPLANATION_MAX}个字`).optional(),
});
export type SubmitReportRequest = z.input<typeof submitReportRequest>;

/** `POST /reports/:id/approve`: an optional comment. */
export const approveReportRequest = z.object({
  comment: z.string({ error: '审核意见应为文字' }).trim().max(REPORT_COMMENT_MAX, `审核意见最多${REPORT_COMMENT_MAX}个字`).optional(),
});
export type ApproveReportRequest = z.input<typeof approveReportRequest>;

/** `POST /reports/:id/return`: the comment is required (what to correct). */
export const returnReportRequest = z.object({ comment: textField('退回意见', REPORT_COMMENT_MAX, 2) });
export type ReturnReportRequest = z.input<typeof returnReportRequest>;

/** `POST /reports/:id/reopen`: the approver reopens an approved report, with a reason (audited). */
export const reopenReportRequest = z.object({ reason: textField('重新打开的原因', REPORT_COMMENT_MAX, REPORT_REASON_MIN) });
export type ReopenReportRequest = z.input<typeof reopenReportRequest>;

/**
 * `GET /reports`: the reports of a kind and period the caller sees — its units' side by side. The
 * kind defaults to the one the caller reviews (else its own), the period to the one due now.
 */
export const listReportsQuery = z
  .object({
    kind: reportKindField.optional(),
    period: periodField.optional(),
  })
  .superRefine(periodRefine);
export type ListReportsQuery = z.input<typeof listReportsQuery>;

/** The key figures of a unit in the side-by-side view. */
export const reportKeyFigures = z.object({
  newCases: z.number(),
  confirmed: z.number(),
  returned: z.number(),
  closed: z.number(),
  stillOut: z.number(),
  overdue: z.number(),
  homeVisits: z.number(),
  consolidationRate: z.number().nullable(),
});

/**
 * One unit in the side-by-side view: every unit the caller receives reports from (a township's
 * schools, a county's townships, a region's counties), with its report (null: not made yet), its
 * status (`missing` when none), whether it is late, and the key figures of the report as it stands.
 */
export const reportCompareRow = z.object({
  unit: reportUnit,
  reportId: z.string().nullable(),
  status: z.enum([...REPORT_STATUS_LIST, 'missing']),
  late: z.boolean(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  figures: reportKeyFigures.nullable(),
});
export type ReportCompareRow = z.infer<typeof reportCompareRow>;

export const reportListResponse = z.object({
  kind: reportKindField,
  period: z.string(),
  periodLabel: z.string(),
  /** The due day for the caller's county (null for a region: each county has its own). */
  dueOn: z.string().nullable(),
  rows: z.array(reportCompareRow),
  /** Counts of rows by status, and late ones. */
  totals: z.object({
    missing: z.number(),
    draft: z.number(),
    submitted: z.number(),
    approved: z.number(),
    returned: z.number(),
    late: z.number(),
  }),
});
export type ReportListResponse = z.infer<typeof reportListResponse>;

/**
 * `GET /reports/mine`: what the caller does with reports — the kind it submits for its own unit
 * (null for a region, which only receives), the period due now and its report; the kinds it
 * receives from the level below, with the period due now; and its recent reports.
 */
export const myReportsResponse = z.object({
  submits: z
    .object({
      kind: reportKindField,
      unit: reportUnit,
      period: z.string(),
      periodLabel: z.string(),
      dueOn: z.string(),
      report: reportSummary.nullable(),
    })
    .nullable(),
  reviews: z.array(z.object({ kind: reportKindField, period: z.string(), periodLabel: z.string() })),
  recent: z.array(reportSummary),
});
export type MyReportsResponse = z.infer<typeof myReportsResponse>;

/**
 * A report on the dispatch list (一日一调度) of the level above: a unit's report past its due day and
 * not submitted (`late`; `missing` when not even begun), or returned and not yet submitted again.
 */
export const dispatchReportItem = z.object({
  reportId: z.string().nullable(),
  kind: reportKindField,
  period: z.string(),
  periodLabel: z.string(),
  unit: reportUnit,
  status: z.enum(['missing', 'draft', 'returned']),
  dueOn: z.string(),
  late: z.boolean(),
});
export type DispatchReportItem = z.infer<typeof dispatchReportItem>;
