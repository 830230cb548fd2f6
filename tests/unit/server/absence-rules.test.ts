import { DEFAULT_COUNTY_SETTINGS, schoolDaysUpTo, type SchoolCalendar } from '@baoxue/shared';
import { judgeAbsences } from '../../../server/src/modules/registry/absence-rules';

// 2026-03-13 is a Friday; defaults: alert at 3 in a row, a case at 7 in a row or 20 of the last 30
const TODAY = '2026-03-13';
const settings = DEFAULT_COUNTY_SETTINGS;
const lastSchoolDays = (count: number, upTo = TODAY) => schoolDaysUpTo(upTo, count);

describe('absence rules (judgeAbsences)', () => {
  it('nothing to say about a pupil without unexcused absences', () => {
    expect(judgeAbsences(new Set(), TODAY, settings)).toEqual({ streak: 0, streakStart: null, inWindow: 0, alert: false, openCase: false });
  });

  it('two days in a row: counted, no alert yet', () => {
    const verdict = judgeAbsences(new Set(lastSchoolDays(2)), TODAY, settings);
    expect(verdict).toMatchObject({ streak: 2, streakStart: '2026-03-12', inWindow: 2, alert: false, openCase: false });
  });

  it('three school days in a row alert the school; the streak runs over the weekend', () => {
    const days = ['2026-03-06', '2026-03-09', '2026-03-10']; // Friday, Monday, Tuesday
    const verdict = judgeAbsences(new Set(days), TODAY, settings);
    expect(verdict).toMatchObject({ streak: 3, streakStart: '2026-03-06', alert: true, openCase: false });
  });

  it('the streak ends with the latest absence, even days ago, and a present day breaks it', () => {
    const verdict = judgeAbsences(new Set(['2026-03-02', '2026-03-04', '2026-03-05', '2026-03-06']), TODAY, settings);
    expect(verdict).toMatchObject({ streak: 3, streakStart: '2026-03-04', inWindow: 4, alert: true });
  });

  it('seven in a row open a case', () => {
    expect(judgeAbsences(new Set(lastSchoolDays(6)), TODAY, settings).openCase).toBe(false);
    expect(judgeAbsences(new Set(lastSchoolDays(7)), TODAY, settings)).toMatchObject({
      streak: 7,
      streakStart: '2026-03-05',
      openCase: true,
    });
  });

  it('twenty of the last thirty school days open a case without a long streak', () => {
    const window = lastSchoolDays(30);
    const everyOtherThird = window.filter((_, i) => i % 3 !== 2); // 20 days, never 3 in a row
    const verdict = judgeAbsences(new Set(everyOtherThird), TODAY, settings);
    expect(verdict).toMatchObject({ inWindow: 20, openCase: true });
    expect(verdict.streak).toBeLessThan(3);
    expect(judgeAbsences(new Set(everyOtherThird.slice(1)), TODAY, settings)).toMatchObject({ inWindow: 19, openCase: false });
  });

  it('absences before the window do not count, and weekend records are not school days', () => {
    const before = lastSchoolDays(40).slice(0, 10);
    expect(judgeAbsences(new Set(before), TODAY, settings)).toMatchObject({ streak: 0, inWindow: 0 });
    expect(judgeAbsences(new Set(['2026-03-07', '2026-03-08']), TODAY, settings)).toMatchObject({ streak: 0, inWindow: 0 });
  });

  it('a streak counts back at most one window from its latest day', () => {
    const verdict = judgeAbsences(new Set(lastSchoolDays(60)), TODAY, settings);
    expect(verdict).toMatchObject({ streak: 30, streakStart: lastSchoolDays(30)[0], inWindow: 30, openCase: true });
  });

  it('follows the county settings', () => {
    const strict = { ...settings, absenceReportDays: 2, absenceCaseConsecutiveDays: 4, absenceCaseWindowDays: 10, absenceCaseMinDays: 5 };
    expect(judgeAbsences(new Set(lastSchoolDays(2)), TODAY, strict)).toMatchObject({ alert: true, openCase: false });
    expect(judgeAbsences(new Set(lastSchoolDays(4)), TODAY, strict)).toMatchObject({ openCase: true });
    const spread = lastSchoolDays(10).filter((_, i) => i % 2 === 0);
    expect(judgeAbsences(new Set(spread), TODAY, strict)).toMatchObject({ inWindow: 5, streak: 1, openCase: true });
  });

  it('a holiday in the school calendar does not break a streak', () => {
    const calendar: SchoolCalendar = { daysOff: new Set(['2026-03-11']), makeUpDays: new Set() };
    const absent = new Set(['2026-03-10', '2026-03-12', '2026-03-13']);
    expect(judgeAbsences(absent, TODAY, settings)).toMatchObject({ streak: 2, alert: false });
    expect(judgeAbsences(absent, TODAY, settings, calendar)).toMatchObject({ streak: 3, streakStart: '2026-03-10', alert: true });
  });

  it('days that count for nothing (excused, or no roll call of the class) neither lengthen nor break a streak', () => {
    const absent = new Set(['2026-03-10', '2026-03-12', '2026-03-13']);
    expect(judgeAbsences(absent, TODAY, settings, undefined, new Set(['2026-03-11']))).toMatchObject({
      streak: 3,
      streakStart: '2026-03-10',
      inWindow: 3,
      alert: true,
    });
    // a day present (in neither set) still ends it
    expect(judgeAbsences(absent, TODAY, settings, undefined, new Set(['2026-03-09']))).toMatchObject({ streak: 2, alert: false });
  });
});
