import { compulsoryBirthDates, isCompulsoryAge } from '@baoxue/shared';

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
