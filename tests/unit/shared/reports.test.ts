import {
  countySettings,
  DEFAULT_COUNTY_SETTINGS,
  isReportLate,
  isReportPeriod,
  listReportsQuery,
  openReportRequest,
  previousReportPeriod,
  reportablePeriod,
  reportDueOn,
  reportFigureLines,
  reportPeriodLabel,
  reportPeriodRange,
  reportPeriodStarted,
  type ReportFigures,
} from '@baoxue/shared';

const zero = <K extends string>(keys: K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function figures(overrides: Partial<ReportFigures> = {}): ReportFigures {
  return {
    enrolment: { primary: 100, junior: 50 },
    newCases: zero(['tip', 'cross_check', 'absence', 'school', 'manual']),
    confirmed: 2,
    returned: 1,
    closed: 0,
    stillOut: 1,
    overdue: 0,
    homeVisits: 3,
    placements: zero(['regular_class', 'separate_class', 'vocational', 'home_teaching']),
    causes: zero([
      'learning_difficulty',
      'poverty',
      'distance',
      'lack_of_care',
      'migrant_work',
      'early_marriage',
      'health_disability',
      'religious_interference',
      'other',
    ]),
    priorityGroups: zero([
      'registered_poor',
      'monitored',
      'subsistence',
      'orphan',
      'unsupported',
      'disabled',
      'left_behind',
      'in_difficulty',
      'migrant',
    ]),
    consolidation: null,
    ...overrides,
  };
}

describe('periodic report periods and due days', () => {
  it('knows a month from a quarter, and the days, label and predecessor of each', () => {
    expect(isReportPeriod('school_monthly', '2026-11')).toBe(true);
    expect(isReportPeriod('school_monthly', '2026-13')).toBe(false);
    expect(isReportPeriod('township_monthly', '2026-Q4')).toBe(false);
    expect(isReportPeriod('county_quarterly', '2026-Q4')).toBe(true);
    expect(isReportPeriod('county_quarterly', '2026-Q5')).toBe(false);
    expect(reportPeriodRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(reportPeriodRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(reportPeriodRange('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(previousReportPeriod('2026-01')).toBe('2025-12');
    expect(previousReportPeriod('2026-11')).toBe('2026-10');
    expect(previousReportPeriod('2026-Q1')).toBe('2025-Q4');
    expect(previousReportPeriod('2026-Q3')).toBe('2026-Q2');
    expect(reportPeriodLabel('2026-11')).toBe('2026年11月');
    expect(reportPeriodLabel('2026-Q4')).toBe('2026年第四季度');
  });

  it('reports the month or quarter before today, and none not yet begun', () => {
    expect(reportablePeriod('school_monthly', '2026-12-06')).toBe('2026-11');
    expect(reportablePeriod('township_monthly', '2027-01-02')).toBe('2026-12');
    expect(reportablePeriod('county_quarterly', '2026-12-06')).toBe('2026-Q3');
    expect(reportablePeriod('county_quarterly', '2027-01-02')).toBe('2026-Q4');
    expect(reportPeriodStarted('2026-12', '2026-12-01')).toBe(true);
    expect(reportPeriodStarted('2027-01', '2026-12-31')).toBe(false);
  });

  it('dues a report on the county’s day of the month after its period, and calls it late past it unless submitted', () => {
    const settings = countySettings({});
    expect(DEFAULT_COUNTY_SETTINGS).toMatchObject({ reportSchoolDueDay: 5, reportTownshipDueDay: 10, reportCountyDueDay: 15 });
    expect(reportDueOn('school_monthly', '2026-11', settings)).toBe('2026-12-05');
    expect(reportDueOn('township_monthly', '2026-12', settings)).toBe('2027-01-10');
    expect(reportDueOn('county_quarterly', '2026-Q4', settings)).toBe('2027-01-15');
    expect(reportDueOn('county_quarterly', '2026-Q3', countySettings({ reportCountyDueDay: 20 }))).toBe('2026-10-20');
    // a day past the month's end falls on its last day
    expect(reportDueOn('school_monthly', '2027-01', { ...settings, reportSchoolDueDay: 31 })).toBe('2027-02-28');
    expect(isReportLate(null, '2026-12-05', '2026-12-06')).toBe(true);
    expect(isReportLate('draft', '2026-12-05', '2026-12-05')).toBe(false);
    expect(isReportLate('returned', '2026-12-05', '2026-12-06')).toBe(true);
    expect(isReportLate('submitted', '2026-12-05', '2026-12-06')).toBe(false);
    expect(isReportLate('approved', '2026-12-05', '2026-12-06')).toBe(false);
  });

  it('prints every figure with 本期 and 上期, and the 巩固率 of a county', () => {
    const lines = reportFigureLines(figures(), figures({ confirmed: 5 }));
    expect(lines.find((l) => l.key === 'confirmed')).toEqual({
      key: 'confirmed',
      section: '案件办理',
      label: '确认辍学',
      current: '2',
      previous: '5',
    });
    expect(lines.find((l) => l.key === 'causes.poverty')).toMatchObject({ label: '因贫', current: '0' });
    expect(lines.some((l) => l.section === '巩固率')).toBe(false);
    const county = reportFigureLines(
      figures({ consolidation: { graduatingYear: 2026, rate: 0.992, graduates: 992, intake: 1000, transfersIn: 0, transfersOut: 0 } }),
      null,
    );
    expect(county.at(-1)).toMatchObject({ section: '巩固率', current: '99.2%', previous: '—' });
  });

  it('names the field of a malformed period in Chinese', () => {
    const bad = openReportRequest.safeParse({ kind: 'county_quarterly', period: '2026-12' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['period'], message: '报告期应为季度（如 2026-Q4）' });
    expect(listReportsQuery.safeParse({ kind: 'school_monthly', period: '2026-Q1' }).success).toBe(false);
    expect(openReportRequest.safeParse({}).success).toBe(true);
    expect(listReportsQuery.safeParse({ kind: 'weekly' }).success).toBe(false);
  });
});
