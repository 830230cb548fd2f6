import { z } from 'zod';
import { SCORECARD_FIGURES } from '../../domain/scorecards';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (day: string) => DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
const dayField = (label: string) =>
  z
    .string({ error: `请选择${label}` })
    .refine(isRealDay, `${label}应为有效日期（如 2026-09-01）`)
    .optional();

/**
 * A scorecard (考核排名) for a period of China days, `from` to `to` inclusive (default: this school
 * year up to today); `by` the units ranked: the townships of the caller's county, its schools (the
 * school line: cases of each school's pupils), or the counties of a region. By default the caller's
 * own table: a region admin's counties, everyone else's townships.
 */
export const scorecardQuery = z
  .object({
    by: z.enum(['township', 'school', 'county'], { error: '请选择按乡镇、学校或县排名' }).optional(),
    from: dayField('开始日期'),
    to: dayField('结束日期'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['to'] });

const figureValue = z.object({
  /** Hours for the median, a share (0–1), or a count; null where the denominator is zero. */
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  /** Rank among the units on this figure (1 = best); null when the unit has no value. */
  rank: z.number().nullable(),
});

const figuresOf = z.object(
  Object.fromEntries(SCORECARD_FIGURES.map((figure) => [figure, figureValue])) as Record<
    (typeof SCORECARD_FIGURES)[number],
    typeof figureValue
  >,
);

/** One ranked unit: a township, school or county, by name and code only; counts, never a child. */
export const scorecardRow = z.object({
  code: z.string(),
  name: z.string(),
  rank: z.number(),
  /** The sum of the unit's figure ranks (the overall rank orders by it). */
  score: z.number(),
  figures: figuresOf,
});
export type ScorecardRow = z.infer<typeof scorecardRow>;

export const scorecardResponse = z.object({
  by: z.enum(['township', 'school', 'county']),
  from: z.string(),
  to: z.string(),
  /** The county (or region) ranked within. */
  unitName: z.string(),
  /** The figures in column order, each with its label, which way is better and its formula. */
  figures: z.array(
    z.object({
      key: z.enum(SCORECARD_FIGURES),
      label: z.string(),
      kind: z.enum(['hours', 'share', 'count']),
      better: z.enum(['lower', 'higher']),
      formula: z.string(),
    }),
  ),
  ranking: z.string(),
  rows: z.array(scorecardRow),
});
export type ScorecardResponse = z.infer<typeof scorecardResponse>;
