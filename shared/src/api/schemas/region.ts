import { z } from 'zod';
import { dropoutRow } from './registry';

/** The rates of one stage as the county sees them (the statistics' cell: counts, rate, target, colour). */
const rateCell = dropoutRow.shape.primary;

export const regionOverviewQuery = z.object({
  schoolYear: z.coerce.number({ error: '请选择学年' }).int('学年不正确').min(2015, '学年不正确').max(2100, '学年不正确'),
});

/**
 * One unit's figures above the county (BRIEF §5, §5a): pupils enrolled and children confirmed dropped
 * out by stage and of poor households, with the rates against the targets, and the case work — open,
 * overdue, returned to school in the school year. Counts only: no child, parent or tipster.
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
