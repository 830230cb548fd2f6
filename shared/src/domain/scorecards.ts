import type { CountySettings } from './county-settings';

/**
 * Scorecards 考核排名 (BRIEF §5a, issue 18 part 4): how each township, school or county did its case
 * work in a period. Every figure is a numerator over a denominator (or a median over a count, or a
 * plain count) with the formula shown beside it; units are ranked per figure and overall.
 */
export const ScorecardFigure = {
  acknowledgeHours: 'acknowledge_hours', // median hours from a case opening (a tip received) to its acceptance
  verifiedOnTime: 'verified_on_time', // share of verifications finished within the county's limit
  firstVisitOnTime: 'first_visit_on_time', // share of first home visits within the county's limit
  overdueNow: 'overdue_now', // open cases past their due time now (the dispatch list's rule)
  returned: 'returned', // children back in school in the period
  relapses: 'relapses', // children who dropped out again after a return
  tipsConfirmed: 'tips_confirmed', // share of supervisors' tips confirmed as dropouts
  spotCheckProblems: 'spot_check_problems', // 督导 spot-check problems found in the period, plus 整改 items overdue now
} as const;
export type ScorecardFigure = (typeof ScorecardFigure)[keyof typeof ScorecardFigure];
export const SCORECARD_FIGURES = Object.values(ScorecardFigure) as [ScorecardFigure, ...ScorecardFigure[]];

/** Which way a figure is better; a share or a count is ranked by its value. */
export const SCORECARD_BETTER: Record<ScorecardFigure, 'lower' | 'higher'> = {
  acknowledge_hours: 'lower',
  verified_on_time: 'higher',
  first_visit_on_time: 'higher',
  overdue_now: 'lower',
  returned: 'higher',
  relapses: 'lower',
  tips_confirmed: 'higher',
  spot_check_problems: 'lower',
};

export const SCORECARD_LABELS: Record<ScorecardFigure, string> = {
  acknowledge_hours: '受理用时（中位数）',
  verified_on_time: '按时核查率',
  first_visit_on_time: '首次家访及时率',
  overdue_now: '当前逾期事项',
  returned: '返校人数',
  relapses: '返校后再次辍学',
  tips_confirmed: '监督员线索确认率',
  spot_check_problems: '督导抽查问题',
};

/** How a figure reads: hours, a share, or a number of cases or children. */
export const SCORECARD_KINDS: Record<ScorecardFigure, 'hours' | 'share' | 'count'> = {
  acknowledge_hours: 'hours',
  verified_on_time: 'share',
  first_visit_on_time: 'share',
  overdue_now: 'count',
  returned: 'count',
  relapses: 'count',
  tips_confirmed: 'share',
  spot_check_problems: 'count',
};

/** The limits a scorecard measures against: one county's, or null where the counties of a region differ. */
export type ScorecardLimits = Pick<CountySettings, 'verifyDays' | 'firstVisitDays'> | null;

/** The formula of each figure, in the words officials read (with the county's limits when there is one). */
export function scorecardFormulas(limits: ScorecardLimits): Record<ScorecardFigure, string> {
  const verify = limits ? `${limits.verifyDays}天` : '本县规定时限';
  const visit = limits ? `${limits.firstVisitDays}天` : '本县规定时限';
  return {
    acknowledge_hours: '期间内新立案件（收到线索）从立案到乡镇受理所用小时数的中位数；分母为其中已受理的案件数',
    verified_on_time: `受理后${verify}内得出核查结论（确认辍学或不是辍学）的案件数 ÷ 期间内受理、且已得出结论或已超过核查时限的案件数`,
    first_visit_on_time: `确认辍学后${visit}内登记首次家访的案件数 ÷ 期间内确认辍学、且已家访或已超过家访时限的案件数`,
    overdue_now: '此刻仍在办、且当前步骤已超过时限的案件数（与调度清单的“逾期”相同）',
    returned: '返校日期在期间内、现为已返校或已销号的儿童人数',
    relapses: '期间内返校后再次辍学的儿童人数：已返校或销号的案件被重新打开，或曾返校的儿童又被确认辍学',
    tips_confirmed: '期间内收到、经核查确认为辍学的监督员线索数 ÷ 期间内收到、已有核查结论的监督员线索数',
    spot_check_problems:
      '期间内督导抽查发现问题（孩子未在校，或在校但记录与实际不符）的销号案件数 ＋ 此刻已超过整改期限仍未整改的整改事项数',
  };
}

/** How the overall rank is made, as shown under the table. */
export const SCORECARD_RANKING_RULE =
  '各项指标分别排名（并列同名次；无数据的指标按最后一名计），综合名次按各项名次之和从小到大排列，和相同者并列。';

/** One figure of one unit: its value, what it is computed from, and its rank among the units. */
export interface ScorecardValue {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  rank: number | null;
}

/** Competition ranks (1, 2, 2, 4) of values by which way is better; null values stay unranked. */
export function competitionRanks(values: ReadonlyArray<number | null>, better: 'lower' | 'higher'): Array<number | null> {
  const sign = better === 'lower' ? 1 : -1;
  return values.map((value) => {
    if (value === null) return null;
    return 1 + values.filter((other) => other !== null && sign * (other - value) < 0).length;
  });
}

/**
 * Ranks units (`SCORECARD_RANKING_RULE`): each figure ranked on its own, then the overall rank by the
 * sum of a unit's ranks, a figure without data counting as the last place (the number of units).
 */
export function rankScorecard<T extends { figures: Record<ScorecardFigure, Omit<ScorecardValue, 'rank'>> }>(
  units: readonly T[],
): Array<Omit<T, 'figures'> & { figures: Record<ScorecardFigure, ScorecardValue>; score: number; rank: number }> {
  const perFigure = new Map(
    SCORECARD_FIGURES.map((figure) => [
      figure,
      competitionRanks(
        units.map((unit) => unit.figures[figure].value),
        SCORECARD_BETTER[figure],
      ),
    ]),
  );
  const scored = units.map((unit, index) => {
    const figures = Object.fromEntries(
      SCORECARD_FIGURES.map((figure) => [figure, { ...unit.figures[figure], rank: perFigure.get(figure)![index] ?? null }]),
    ) as Record<ScorecardFigure, ScorecardValue>;
    const score = SCORECARD_FIGURES.reduce((sum, figure) => sum + (figures[figure].rank ?? units.length), 0);
    return { ...unit, figures, score };
  });
  const overall = competitionRanks(
    scored.map((unit) => unit.score),
    'lower',
  );
  return scored.map((unit, index) => ({ ...unit, rank: overall[index]! })).sort((a, b) => a.rank - b.rank);
}
