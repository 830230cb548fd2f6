import {
  allowedComplaintTransitions,
  formatYuan,
  mayChangePaymentStatus,
  nextComplaintStatus,
  nutritionRate,
  parseSemesterKey,
  semesterEntitlement,
  semesterOfDate,
  semesterSchoolYear,
  semestersOfSchoolYear,
  type SubsidyEligibility,
  type SubsidyPolicy,
} from '@baoxue/shared';
import { NATIONAL_STANDARDS } from '../../../server/src/database/migrations/1764400000000-parents-and-subsidies';

/** The national standards exactly as the migration seeds them. */
const NATIONAL: SubsidyPolicy[] = NATIONAL_STANDARDS.map((p, i) => ({ ...p, id: `national-${i}`, countyCode: null, categories: null }));
const COUNTY = '411522000000';

function eligible(
  schoolYear: number,
  stage: 'primary' | 'junior',
  boarding: boolean,
  category: SubsidyEligibility['category'] = 'registered_poor',
) {
  return { schoolYear, stage, boarding, category };
}

describe('semester entitlement', () => {
  it('gives a boarding primary pupil 500 元 for the 2023 autumn semester (the pre-2024 standard)', () => {
    const result = semesterEntitlement({ year: 2023, term: 'autumn' }, eligible(2023, 'primary', true), COUNTY, NATIONAL);
    expect(result.totalFen).toBe(50_000);
    expect(result.lines).toEqual([expect.objectContaining({ kind: 'living_allowance', amountFen: 50_000 })]);
  });

  it('gives the same pupil 625 元 for the 2024 spring semester (the 2024 standard, same school year)', () => {
    expect(semesterEntitlement({ year: 2024, term: 'spring' }, eligible(2023, 'primary', true), COUNTY, NATIONAL).totalFen).toBe(62_500);
  });

  it('gives a non-boarding junior pupil 375 元 in the 2024 spring semester, and 312.5 元 before', () => {
    expect(semesterEntitlement({ year: 2024, term: 'spring' }, eligible(2023, 'junior', false), COUNTY, NATIONAL).totalFen).toBe(37_500);
    const before = semesterEntitlement({ year: 2023, term: 'spring' }, eligible(2022, 'junior', false), COUNTY, NATIONAL);
    expect(before.totalFen).toBe(31_250);
    expect(formatYuan(before.totalFen)).toBe('312.5元');
  });

  it('pays every 2024 figure of the brief: boarding 1250/1500, non-boarding 625/750 a year', () => {
    const year = (stage: 'primary' | 'junior', boarding: boolean) =>
      semestersOfSchoolYear(2024).reduce(
        (sum, s) => sum + semesterEntitlement(s, eligible(2024, stage, boarding), COUNTY, NATIONAL).totalFen,
        0,
      );
    expect([year('primary', true), year('junior', true), year('primary', false), year('junior', false)]).toEqual([
      125_000, 150_000, 62_500, 75_000,
    ]);
  });

  it('adds a county top-up only on its effective dates, only in its county, only for its categories', () => {
    const topUp: SubsidyPolicy = {
      id: 'top-up',
      kind: 'top_up',
      countyCode: COUNTY,
      label: '县级寄宿生补助',
      stage: null,
      boarding: true,
      categories: ['orphan', 'registered_poor'],
      amountFen: 20_000,
      effectiveFrom: '2024-09-01',
      effectiveTo: '2025-08-31',
    };
    const policies = [...NATIONAL, topUp];
    const autumn2024 = semesterEntitlement({ year: 2024, term: 'autumn' }, eligible(2024, 'primary', true), COUNTY, policies);
    expect(autumn2024.totalFen).toBe(62_500 + 10_000);
    expect(autumn2024.lines.map((l) => l.kind)).toEqual(['living_allowance', 'top_up']);
    // before it took effect, after it ended, in another county, for another category, for a day pupil
    expect(semesterEntitlement({ year: 2024, term: 'spring' }, eligible(2023, 'primary', true), COUNTY, policies).totalFen).toBe(62_500);
    expect(semesterEntitlement({ year: 2025, term: 'autumn' }, eligible(2025, 'primary', true), COUNTY, policies).totalFen).toBe(62_500);
    expect(semesterEntitlement({ year: 2024, term: 'autumn' }, eligible(2024, 'primary', true), '411521000000', policies).totalFen).toBe(
      62_500,
    );
    expect(
      semesterEntitlement({ year: 2024, term: 'autumn' }, eligible(2024, 'primary', true, 'subsistence'), COUNTY, policies).totalFen,
    ).toBe(62_500);
    expect(semesterEntitlement({ year: 2024, term: 'autumn' }, eligible(2024, 'primary', false), COUNTY, policies).totalFen).toBe(31_250);
  });

  it('gives a pupil who is not eligible nothing, nor one eligible for another school year', () => {
    expect(semesterEntitlement({ year: 2024, term: 'spring' }, null, COUNTY, NATIONAL)).toEqual({
      semester: { year: 2024, term: 'spring' },
      lines: [],
      totalFen: 0,
    });
    expect(semesterEntitlement({ year: 2024, term: 'autumn' }, eligible(2023, 'primary', true), COUNTY, NATIONAL).totalFen).toBe(0);
  });

  it('shows the 营养改善计划 at 5 元 per school day since autumn 2021, and 4 元 before', () => {
    expect(nutritionRate(COUNTY, '2021-09-01', NATIONAL)?.amountFen).toBe(500);
    expect(nutritionRate(COUNTY, '2026-11-23', NATIONAL)?.amountFen).toBe(500);
    expect(nutritionRate(COUNTY, '2021-06-30', NATIONAL)?.amountFen).toBe(400);
    expect(nutritionRate(COUNTY, '2010-01-01', NATIONAL)).toBeNull();
  });
});

describe('semesters', () => {
  it('reads keys, school years and the semester of a day', () => {
    expect(parseSemesterKey('2024-spring')).toEqual({ year: 2024, term: 'spring' });
    expect(parseSemesterKey('2024-summer')).toBeNull();
    expect(semesterSchoolYear({ year: 2024, term: 'spring' })).toBe(2023);
    expect(semesterSchoolYear({ year: 2024, term: 'autumn' })).toBe(2024);
    expect(semesterOfDate('2025-01-10')).toEqual({ year: 2024, term: 'autumn' });
    expect(semesterOfDate('2025-07-10')).toEqual({ year: 2025, term: 'spring' });
  });
});

describe('payment states and complaints', () => {
  it('moves payments forward only: approved → sent → paid, or failed and sent again; paid is final', () => {
    expect(mayChangePaymentStatus('approved', 'sent')).toBe(true);
    expect(mayChangePaymentStatus('sent', 'paid')).toBe(true);
    expect(mayChangePaymentStatus('sent', 'failed')).toBe(true);
    expect(mayChangePaymentStatus('failed', 'sent')).toBe(true);
    expect(mayChangePaymentStatus('paid', 'paid')).toBe(true);
    expect(mayChangePaymentStatus('paid', 'sent')).toBe(false);
    expect(mayChangePaymentStatus('sent', 'approved')).toBe(false);
  });

  it('lets the office accept and answer, the parent reopen or close', () => {
    expect(nextComplaintStatus('open', 'answer')).toBe('answered');
    expect(nextComplaintStatus('answered', 'reopen')).toBe('processing');
    expect(nextComplaintStatus('closed', 'reopen')).toBeNull();
    expect(allowedComplaintTransitions('open', 'county')).toEqual(['accept', 'answer']);
    expect(allowedComplaintTransitions('open', 'parent')).toEqual([]);
    expect(allowedComplaintTransitions('answered', 'parent')).toEqual(['reopen', 'close']);
  });
});
