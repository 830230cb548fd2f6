import { competitionRanks, rankScorecard, SCORECARD_FIGURES, scorecardFormulas, type ScorecardFigure } from '@baoxue/shared';

type Values = Partial<Record<ScorecardFigure, number | null>>;

/** A unit whose figures are `values` (every other figure without data). */
function unit(code: string, values: Values) {
  return {
    code,
    figures: Object.fromEntries(
      SCORECARD_FIGURES.map((figure) => [figure, { value: values[figure] ?? null, numerator: null, denominator: null }]),
    ) as Record<ScorecardFigure, { value: number | null; numerator: null; denominator: null }>,
  };
}

describe('scorecard ranking', () => {
  it('gives competition ranks by which way is better, leaving units without a value unranked', () => {
    expect(competitionRanks([3, 1, 3, null, 7], 'lower')).toEqual([2, 1, 2, null, 4]);
    expect(competitionRanks([0.5, 1, 0.5, null], 'higher')).toEqual([2, 1, 2, null]);
  });

  it('ranks overall by the sum of places, a figure without data counting as the last place', () => {
    const ranked = rankScorecard([
      unit('a', { acknowledge_hours: 30, overdue_now: 2, returned: 1 }),
      unit('b', { acknowledge_hours: 4, overdue_now: 0, returned: 1 }),
      unit('c', { overdue_now: 0, returned: 0 }),
    ]);
    // b: 1 + 1 + 1 + 3×5 missing = 18; a: 2 + 3 + 1 + 15 = 21; c: 3 (no median) + 1 + 3 + 15 = 22
    expect(ranked.map((r) => [r.code, r.score, r.rank])).toEqual([
      ['b', 18, 1],
      ['a', 21, 2],
      ['c', 22, 3],
    ]);
    expect(ranked[0]!.figures.acknowledge_hours.rank).toBe(1);
    expect(ranked[2]!.figures.acknowledge_hours.rank).toBeNull();
  });

  it('writes each formula in Chinese with the county limits, or the county rule where counties differ', () => {
    expect(scorecardFormulas({ verifyDays: 5, firstVisitDays: 2 }).verified_on_time).toContain('受理后5天内');
    expect(scorecardFormulas({ verifyDays: 5, firstVisitDays: 2 }).first_visit_on_time).toContain('确认辍学后2天内');
    expect(scorecardFormulas(null).verified_on_time).toContain('本县规定时限');
  });
});
