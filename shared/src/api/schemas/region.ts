import { z } from 'zod';
import { consolidationRow, dropoutRow } from './registry';

/** The rates of one stage as the county sees them (the statistics' cell: counts, rate, target, colour). */
const rateCell = dropoutRow.shape.primary;

/**
 * The 巩固率 of the cohort graduating in the school year (BRIEF §5): for a county, its own figure (as
 * its statistics show it); for a prefecture or the region, the parts summed over the counties that
 * entered the cohort's intake, the others counted in `countiesWithoutIntake` and left out whole.
 */
export const regionConsolidation = consolidationRow.omit({ code: true, name: true }).extend({
  countiesCounted: z.number(),
  countiesWithoutIntake: z.number(),
});
export type RegionConsolidation = z.infer<typeof regionConsolidation>;

export const regionOverviewQuery = z.object({
  schoolYear: z.coerce.number({ error: '请选择学年' }).int('学年不正确').min(2015, '学年不正确').max(2100, '学年不正确'),
});

/**
 * One unit's figures above the county (BRIEF §5, §5a): pupils enrolled and children confirmed dropped
 * out by stage and of poor households, with the rates against the targets, the case work — open,
 * overdue, returned to school in the school year — and the 巩固率. Counts only: no child, parent or tipster.
 */
export const regionFiguresRow = z.object({
  code: z.string(),
  name: z.string(),
  primary: rateCell,
  junior: rateCell,
  poor: rateCell,
  open: z.number(),
  overdue: z.number(),
  returned: z.number(),
  consolidation: regionConsolidation,
});
export type RegionFiguresRow = z.infer<typeof regionFiguresRow>;

export const regionOverviewResponse = z.object({
  schoolYear: z.number(),
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(['province', 'prefecture']) }),
  /** The whole region: the sum of its counties. */
  total: regionFiguresRow,
  /** A province's prefectures, each the sum of its counties (empty for a prefecture). */
  prefectures: z.array(regionFiguresRow),
  /** Every county of the region the deployment serves, by code. */
  counties: z.array(regionFiguresRow.extend({ prefectureCode: z.string() })),
});
export type RegionOverviewResponse = z.infer<typeof regionOverviewResponse>;
