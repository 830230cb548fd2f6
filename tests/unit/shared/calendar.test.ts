import {
  addDays,
  chinaDay,
  chinaMinute,
  endOfChinaDay,
  isCalendarDay,
  isSchoolDay,
  isWeekday,
  parseBirthDate,
  schoolDaysUpTo,
  startOfChinaDay,
  WEEKDAYS_ONLY,
  type SchoolCalendar,
} from '@baoxue/shared';

describe('the China calendar (UTC+8)', () => {
  it('names the day an instant falls on in China, across midnight in China', () => {
    expect(chinaDay(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(chinaDay(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
    // a UTC evening is already tomorrow in China
    expect(chinaDay(new Date('2026-03-01T23:00:00Z'))).toBe('2026-03-02');
    expect(chinaDay(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });

  it('turns over months, years and leap days at China midnight', () => {
    expect(chinaDay(new Date('2024-02-28T16:00:00Z'))).toBe('2024-02-29');
    expect(chinaDay(new Date('2024-02-29T16:00:00Z'))).toBe('2024-03-01');
    expect(chinaDay(new Date('2023-02-28T16:00:00Z'))).toBe('2023-03-01');
    expect(chinaDay(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(chinaDay(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('gives the minute in China as WeChat time fields show it', () => {
    expect(chinaMinute(new Date('2026-11-23T12:15:30Z'))).toBe('2026-11-23 20:15');
    expect(chinaMinute(new Date('2026-12-31T16:05:00Z'))).toBe('2027-01-01 00:05');
  });

  it('bounds a China day from 00:00 to 23:59:59.999 UTC+8', () => {
    expect(startOfChinaDay('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(endOfChinaDay('2026-03-02').toISOString()).toBe('2026-03-02T15:59:59.999Z');
    expect(startOfChinaDay('2024-03-01').toISOString()).toBe('2024-02-29T16:00:00.000Z');
    expect(endOfChinaDay('2024-12-31').toISOString()).toBe('2024-12-31T15:59:59.999Z');
    expect(startOfChinaDay('2025-01-01').toISOString()).toBe('2024-12-31T16:00:00.000Z');
    // the bounds and the day agree at both edges
    for (const day of ['2024-02-29', '2025-12-31', '2026-01-01']) {
      expect(chinaDay(startOfChinaDay(day))).toBe(day);
      expect(chinaDay(endOfChinaDay(day))).toBe(day);
      expect(chinaDay(new Date(endOfChinaDay(day).getTime() + 1))).toBe(addDays(day, 1));
      expect(chinaDay(new Date(startOfChinaDay(day).getTime() - 1))).toBe(addDays(day, -1));
    }
  });

  it('adds days across month ends, year ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2026-05-20', 0)).toBe('2026-05-20');
  });

  it('refuses a day that is not one', () => {
    for (const bad of ['2023-02-29', '2026-13-01', '2026-04-31', '2026-4-1', '20260401', '', 'today']) {
      expect(isCalendarDay(bad)).toBe(false);
      expect(() => addDays(bad, 1)).toThrow(RangeError);
      expect(() => startOfChinaDay(bad)).toThrow(RangeError);
    }
    expect(isCalendarDay('2024-02-29')).toBe(true);
  });

  it('tells weekdays from weekends', () => {
    // 2026-03-02 is a Monday
    expect(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].every(isWeekday)).toBe(true);
    expect(isWeekday('2026-03-07')).toBe(false);
    expect(isWeekday('2026-03-08')).toBe(false);
    expect(isWeekday('2024-02-29')).toBe(true);
  });

  it('a birth date may be today in China, even before 08:00 when UTC is still yesterday', () => {
    const earlyMorningInChina = new Date('2026-03-01T17:00:00Z'); // 2026-03-02 01:00 in China
    expect(parseBirthDate('20260302', earlyMorningInChina)).toEqual({ year: 2026, month: 3, day: 2 });
    expect(parseBirthDate('20260303', earlyMorningInChina)).toBeNull();
  });
});

describe('school days', () => {
  it('are weekdays by default', () => {
    expect(isSchoolDay('2026-03-06')).toBe(true);
    expect(isSchoolDay('2026-03-07', WEEKDAYS_ONLY)).toBe(false);
  });

  it('counts back over weekends, oldest first, including the last day when it is one', () => {
    expect(schoolDaysUpTo('2026-03-09', 3)).toEqual(['2026-03-05', '2026-03-06', '2026-03-09']);
    // from a Sunday: the Friday before is the latest
    expect(schoolDaysUpTo('2026-03-08', 2)).toEqual(['2026-03-05', '2026-03-06']);
    expect(schoolDaysUpTo('2024-03-01', 2)).toEqual(['2024-02-29', '2024-03-01']);
    // across the year end (weekdays only: 元旦 off is the school calendar's to say)
    expect(schoolDaysUpTo('2026-01-01', 3)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
    expect(schoolDaysUpTo('2026-01-05', 3)).toEqual(['2026-01-01', '2026-01-02', '2026-01-05']);
    expect(schoolDaysUpTo('2026-03-09', 0)).toEqual([]);
    expect(schoolDaysUpTo('2026-03-09', 30)).toHaveLength(30);
  });

  it('follow a school calendar: holidays off, 调休 make-up Saturdays on', () => {
    const calendar: SchoolCalendar = { daysOff: new Set(['2026-10-01', '2026-10-02']), makeUpDays: new Set(['2026-09-26']) };
    expect(isSchoolDay('2026-10-01', calendar)).toBe(false);
    expect(isSchoolDay('2026-09-26', calendar)).toBe(true);
    expect(schoolDaysUpTo('2026-10-05', 3, calendar)).toEqual(['2026-09-29', '2026-09-30', '2026-10-05']);
    expect(schoolDaysUpTo('2026-09-28', 2, calendar)).toEqual(['2026-09-26', '2026-09-28']);
  });
});
