import { compulsoryBirthDates, DROPOUT_TARGETS, expectedGrade, isCompulsoryAge, ragFor } from '@baoxue/shared';

describe('compulsory-school age', () => {
  it('is 6 by 31 August before the school year and not yet 16 then', () => {
    expect(compulsoryBirthDates(2026)).toEqual({ after: '2010-08-31', through: '2020-08-31' });
    expect(isCompulsoryAge('2020-08-31', 2026)).toBe(true); // six on the cut-off day
    expect(isCompulsoryAge('2020-09-01', 2026)).toBe(false); // six a day too late
    expect(isCompulsoryAge('2010-09-01', 2026)).toBe(true); // fifteen on the cut-off day
    expect(isCompulsoryAge('2010-08-31', 2026)).toBe(false); // sixteen on the cut-off day
    expect(isCompulsoryAge('2012-02-29', 2026)).toBe(true);
  });
});

describe('red, amber or green against a dropout target', () => {
  it('is green without a dropout and compares the rate otherwise, amber up to half again above the target', () => {
    expect(ragFor(0, 0, DROPOUT_TARGETS.primary)).toBe('green');
    expect(ragFor(0, 500, DROPOUT_TARGETS.primary)).toBe('green');
    expect(ragFor(3, 500, DROPOUT_TARGETS.primary)).toBe('green'); // 0.6 %, on the target
    expect(ragFor(4, 500, DROPOUT_TARGETS.primary)).toBe('amber'); // 0.8 %
    expect(ragFor(5, 500, DROPOUT_TARGETS.primary)).toBe('red'); // 1.0 % > 0.9 %
    expect(ragFor(9, 500, DROPOUT_TARGETS.junior)).toBe('green'); // 1.8 %
    expect(ragFor(14, 500, DROPOUT_TARGETS.junior)).toBe('red'); // 2.8 % > 2.7 %
  });

  it('is red at the first dropout against a zero target, whatever the enrolment', () => {
    expect(ragFor(1, 0, DROPOUT_TARGETS.poor)).toBe('red'); // no poor-household pupil enrolled, one dropped out
    expect(ragFor(1, 100_000, DROPOUT_TARGETS.poor)).toBe('red');
    expect(ragFor(0, 0, DROPOUT_TARGETS.poor)).toBe('green');
  });

  it('is red for dropouts where nobody is enrolled, whatever the target', () => {
    expect(ragFor(1, 0, DROPOUT_TARGETS.primary)).toBe('red');
    expect(ragFor(2, 0, DROPOUT_TARGETS.junior)).toBe('red');
  });
});

describe('the grade expected of a child whose grade is not known', () => {
  it('is the age reached by 31 August before the school year, minus 5', () => {
    expect(expectedGrade(2026, null, '2020-08-31')).toBe(1); // six on the cut-off day
    expect(expectedGrade(2026, null, '2020-09-01')).toBeNull(); // six a day too late
    expect(expectedGrade(2026, null, '2016-03-15')).toBe(5);
    expect(expectedGrade(2026, null, '2012-12-01')).toBe(8); // thirteen on 31 August
    expect(expectedGrade(2026, null, '2011-08-31')).toBe(9); // fifteen: still of compulsory age, in grade 9
    expect(expectedGrade(2026, null, '2010-09-01')).toBe(9);
    expect(expectedGrade(2026, null, '2010-08-31')).toBeNull(); // sixteen
  });

  it('takes an estimated birth year as a birthday before September', () => {
    expect(expectedGrade(2026, 2020)).toBe(1);
    expect(expectedGrade(2026, 2016)).toBe(5);
    expect(expectedGrade(2026, 2012)).toBe(9);
    expect(expectedGrade(2026, 2011)).toBe(9);
    expect(expectedGrade(2026, 2021)).toBeNull();
    expect(expectedGrade(2026, 2010)).toBeNull();
    expect(expectedGrade(2026, null)).toBeNull();
    // the same child a year later is a grade higher
    expect(expectedGrade(2027, 2016)).toBe(6);
  });

  it('agrees with compulsory age: a grade exactly for the children of compulsory age', () => {
    for (const birthDate of ['2009-12-31', '2010-08-31', '2010-09-01', '2015-06-01', '2020-08-31', '2020-09-01', '2021-01-01'])
      expect(expectedGrade(2026, null, birthDate) !== null).toBe(isCompulsoryAge(birthDate, 2026));
  });
});
