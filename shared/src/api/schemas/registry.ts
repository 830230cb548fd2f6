import { z } from 'zod';
import { DROPOUT_CAUSES } from '../../domain/cases';
import { CONSOLIDATION_GAPS, IMPORT_STATUSES, INTAKE_YEARS, REGISTRY_KINDS } from '../../domain/registry';
import { divisionCodeField, entityId, pageOf, pageQuery } from '../fields';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

export const registryKindParam = z.object({ kind: z.enum(keys(REGISTRY_KINDS), { error: '名册类型不正确' }) });
export const registryImportQuery = z.object({ kind: z.enum(keys(REGISTRY_KINDS), { error: '名册类型不正确' }) });

export const importView = z.object({
  id: z.string(),
  kind: z.enum(keys(REGISTRY_KINDS)),
  fileName: z.string(),
  status: z.enum(keys(IMPORT_STATUSES)),
  /** Rows read so far (the progress of a running import). */
  processed: z.number(),
  total: z.number().nullable(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** Problems by row and column; nothing is imported while there are any. */
  errors: z.array(z.object({ line: z.number(), column: z.string().optional(), message: z.string() })),
  errorCount: z.number(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportView = z.infer<typeof importView>;
export const importPageResponse = pageOf(importView);
export const listImportsQuery = pageQuery.extend({ kind: z.enum(keys(REGISTRY_KINDS), { error: '名册类型不正确' }).optional() });

export const crosscheckRunView = z.object({
  id: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  schoolYear: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  startedByName: z.string().nullable(),
  counts: z.object({
    /** 户籍 children of compulsory age checked. */
    householdChecked: z.number(),
    matchedById: z.number(),
    matchedByName: z.number(),
    /** Uncertain pairs waiting for an official. */
    review: z.number(),
    /** 失学: of school age, not on any roster — new cases opened. */
    notEnrolled: z.number(),
    /** Already followed by an open case: not opened twice. */
    alreadyFollowed: z.number(),
    /** 辍学: enrolled but absent by the county's rules — new cases opened. */
    absent: z.number(),
    /** Children flagged from the poor-household list. */
    priorityFlagged: z.number(),
  }),
  error: z.string().nullable(),
});
export type CrosscheckRunView = z.infer<typeof crosscheckRunView>;
export const crosscheckRunListResponse = z.object({ items: z.array(crosscheckRunView) });
export const startCrosscheckRequest = z.object({
  schoolYear: z.number({ error: '请选择学年' }).int().min(2015, '学年不正确').max(2100, '学年不正确'),
});

export const reviewPairView = z.object({
  id: z.string(),
  runId: z.string(),
  status: z.enum(['pending', 'same', 'different']),
  /** Why the pair is uncertain, in Chinese. */
  reason: z.string(),
  household: z.object({
    name: z.string(),
    birthDate: z.string(),
    villageName: z.string().nullable(),
    idNumberMasked: z.string().nullable(),
  }),
  pupil: z.object({
    name: z.string(),
    birthDate: z.string().nullable(),
    villageName: z.string().nullable(),
    schoolName: z.string().nullable(),
    grade: z.number().nullable(),
    studentNumberMasked: z.string().nullable(),
  }),
  decidedByName: z.string().nullable(),
});
export type ReviewPairView = z.infer<typeof reviewPairView>;
export const reviewPageResponse = pageOf(reviewPairView);
export const listReviewsQuery = pageQuery.extend({
  status: z.enum(['pending', 'same', 'different'], { error: '状态不正确' }).default('pending'),
});
export const decideReviewRequest = z.object({
  decision: z.enum(['same', 'different'], { error: '请选择是否为同一人' }),
});

export const statsQuery = z.object({
  schoolYear: z.coerce.number({ error: '请选择学年' }).int().min(2015).max(2100),
  /** The unit to report on (default: the caller's). */
  under: divisionCodeField.optional(),
  /** The level of the rows: the units one level down, or schools. */
  by: z.enum(['township', 'village', 'school'], { error: '统计层级不正确' }).default('township'),
});

const rateCell = z.object({
  enrolled: z.number(),
  dropouts: z.number(),
  rate: z.number(),
  target: z.number(),
  rag: z.enum(['green', 'amber', 'red']),
});

export const dropoutRow = z.object({
  code: z.string(),
  name: z.string(),
  primary: rateCell,
  junior: rateCell,
  poor: rateCell,
});
export type DropoutRow = z.infer<typeof dropoutRow>;

/** 巩固率 of one unit for the cohort graduating in the school year, with the formula's parts. */
export const consolidationRow = z.object({
  code: z.string(),
  name: z.string(),
  graduates: z.number().nullable(),
  intake: z.number().nullable(),
  transfersIn: z.number(),
  transfersOut: z.number(),
  rate: z.number().nullable(),
  target: z.number(),
  rag: z.enum(['green', 'amber', 'red']).nullable(),
  gap: z.enum(keys(CONSOLIDATION_GAPS)).nullable(),
  /** Why the rate is absent, in Chinese. */
  gapLabel: z.string().nullable(),
  formula: z.string(),
});
export type ConsolidationRow = z.infer<typeof consolidationRow>;

export const consolidationView = z.object({
  /** The school year the cohort graduates from grade 9, and the year it entered grade 1 (Y − 8). */
  graduatingYear: z.number(),
  entryYear: z.number(),
  /** Where the intake came from (the county's note), null when none was entered. */
  source: z.string().nullable(),
  total: consolidationRow,
  /** Per township, only where the county entered the township's intake. */
  rows: z.array(consolidationRow),
});
export type ConsolidationView = z.infer<typeof consolidationView>;

export const statsResponse = z.object({
  schoolYear: z.number(),
  unitName: z.string(),
  total: dropoutRow,
  rows: z.array(dropoutRow),
  consolidation: consolidationView,
  cases: z.object({
    open: z.number(),
    overdue: z.number(),
    returned: z.number(),
    /** Median days from the report to the return to school, for cases that returned. */
    medianDaysToReturn: z.number().nullable(),
    byCause: z.array(z.object({ cause: z.enum(keys(DROPOUT_CAUSES)), label: z.string(), count: z.number() })),
  }),
});
export type StatsResponse = z.infer<typeof statsResponse>;

export const reviewIdParam = z.object({ id: entityId });

const intakeCount = (label: string) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(10_000_000, `${label}过大`);

/** The school year a grade-1 intake was entered for (2018 = the 2018–2019 school year). */
export const intakeYearParam = z.object({
  entryYear: z.coerce
    .number({ error: '请选择入学学年' })
    .int('入学学年不正确')
    .min(INTAKE_YEARS.min, `入学学年不能早于${INTAKE_YEARS.min}年`)
    .max(INTAKE_YEARS.max, `入学学年不能晚于${INTAKE_YEARS.max}年`),
});

/**
 * The county's grade-1 intake of a school year from its own statistics (e.g. 教育事业统计年报), and
 * optionally per township, counted where the children live (as the dropout rates count them).
 */
export const intakeRequest = z.object({
  intake: intakeCount('一年级入学人数'),
  source: z.string({ error: '请填写数据来源' }).trim().min(2, '请填写数据来源').max(100, '数据来源最多100字'),
  townships: z
    .array(z.object({ code: divisionCodeField, intake: intakeCount('乡镇入学人数') }))
    .max(200, '乡镇最多200个')
    .default([]),
});

export const intakeView = z.object({
  entryYear: z.number(),
  /** The school year this cohort graduates from grade 9. */
  graduatingYear: z.number(),
  intake: z.number(),
  source: z.string(),
  townships: z.array(z.object({ code: z.string(), name: z.string(), intake: z.number() })),
  updatedAt: z.string(),
});
export type IntakeView = z.infer<typeof intakeView>;
export const intakeListResponse = z.object({ items: z.array(intakeView) });
