import {
  DEFAULT_COUNTY_SETTINGS,
  defaultTerms,
  isSchoolDay,
  nthSchoolDayAfter,
  schoolDaysBetween,
  schoolDaysFrom,
  schoolDaysUpTo,
  WEEKDAYS_ONLY,
  type SchoolCalendar,
} from '@baoxue/shared';
import { judgeAbsences } from '../../../server/src/modules/registry/absence-rules';
import { nationalSchedule } from '../../../server/src/modules/school-calendar/national-schedule';
import { countyCalendar, termsOfYear } from '../../../server/src/modules/school-calendar/school-calendars';

/**
 * Issue 14 item 1: school days by the real national schedules the `chinese-days` package ships
 * (国务院办公厅 2025 and 2026 holiday notices) and a county's terms. Without terms set, a school year
 * has the default ones: autumn 1 September – 20 January, spring from the first Monday a week after
 * the Spring Festival holiday (2026: 2 March) to 5 July.
 */
const schedule = nationalSchedule();
const calendar = countyCalendar(schedule, [], [], 2026);
/** The national schedule alone: holidays and 调休, no vacations. */
const nationalOnly: SchoolCalendar = { daysOff: schedule.holidayDays, makeUpDays: schedule.workdayDays };
const school = (days: string[], cal = calendar) => days.filter((day) => isSchoolDay(day, cal));

describe('the national schedule as the package ships it', () => {
  it('holds the 2025 and 2026 holidays and 调休 days, and knows 2027 is not published yet', () => {
    expect(schedule.holidays.get('2025-10-01')).toBe('国庆节');
    expect(schedule.holidays.get('2025-10-06')).toBe('中秋');
    expect(schedule.workdays.get('2025-09-28')).toBe('国庆节');
    expect(schedule.springFestivals.get(2026)).toEqual({ startsOn: '2026-02-15', endsOn: '2026-02-23' });
    expect(schedule.years.has(2025) && schedule.years.has(2026)).toBe(true);
    expect(schedule.years.has(2027)).toBe(false);
  });
});

describe('the 2025–2026 school year', () => {
  it('National Day and Mid-autumn 2025: 1–8 October off, Sunday 28 September and Saturday 11 October school days', () => {
    const days = ['2025-09-26', '2025-09-27', '2025-09-28', '2025-09-29', '2025-09-30'];
    const holiday = ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'];
    expect(school([...days, ...holiday, '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'])).toEqual([
      '2025-09-26',
      '2025-09-28',
      '2025-09-29',
      '2025-09-30',
      '2025-10-09',
      '2025-10-10',
      '2025-10-11',
    ]);
    // weekdays alone count the holiday's weekdays and miss the 调休 days
    expect(school(holiday, WEEKDAYS_ONLY)).toHaveLength(6);
    expect(isSchoolDay('2025-09-28', WEEKDAYS_ONLY)).toBe(false);
  });

  it('New Year 2026: 1–3 January off, Sunday 4 January a school day', () => {
    expect(school(['2025-12-31', '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'])).toEqual([
      '2025-12-31',
      '2026-01-04',
      '2026-01-05',
    ]);
  });

  it('Spring Festival 2026 (15–23 February, 调休 Saturdays 14 and 28 February) falls in the winter vacation', () => {
    // by the national schedule alone
    expect(
      school(['2026-02-13', '2026-02-14', '2026-02-16', '2026-02-20', '2026-02-23', '2026-02-24', '2026-02-28'], nationalOnly),
    ).toEqual(['2026-02-13', '2026-02-14', '2026-02-24', '2026-02-28']);
    // with the terms: the autumn term ends on 20 January, spring starts on Monday 2 March
    expect(school(['2026-01-20', '2026-01-21', '2026-02-13', '2026-02-14', '2026-02-24', '2026-02-28', '2026-03-02'])).toEqual([
      '2026-01-20',
      '2026-03-02',
    ]);
  });

  it('Qingming, Labour Day (1–5 May, Saturday 9 May a school day) and the Dragon Boat Festival', () => {
    expect(school(['2026-04-03', '2026-04-06', '2026-04-07'])).toEqual(['2026-04-03', '2026-04-07']);
    expect(school(['2026-04-30', '2026-05-01', '2026-05-04', '2026-05-05', '2026-05-06', '2026-05-09', '2026-05-10'])).toEqual([
      '2026-04-30',
      '2026-05-06',
      '2026-05-09',
    ]);
    expect(school(['2026-06-18', '2026-06-19', '2026-06-22'])).toEqual(['2026-06-18', '2026-06-22']);
  });

  it('the summer vacation runs from 6 July to 31 August', () => {
    expect(school(['2026-07-03', '2026-07-06', '2026-08-03', '2026-08-31', '2026-09-01'])).toEqual(['2026-07-03', '2026-09-01']);
  });

  it('has about 190 school days', () => {
    const days = schoolDaysBetween('2025-09-01', '2026-08-31', calendar);
    expect(days.length).toBeGreaterThan(180);
    expect(days.length).toBeLessThan(200);
    expect(days[0]).toBe('2025-09-01');
    expect(days.at(-1)).toBe('2026-07-03');
  });
});

describe('the 2026–2027 autumn term', () => {
  it('Mid-autumn 25–27 September and National Day 1–7 October 2026, with Sunday 20 September and Saturday 10 October school days', () => {
    expect(school(['2026-09-19', '2026-09-20', '2026-09-24', '2026-09-25', '2026-09-26', '2026-09-27', '2026-09-28'])).toEqual([
      '2026-09-20',
      '2026-09-24',
      '2026-09-28',
    ]);
    expect(schoolDaysBetween('2026-09-30', '2026-10-11', calendar)).toEqual(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
  });

  it('has default terms while the 2027 schedule is not published', () => {
    expect(termsOfYear(schedule, 2026, [])).toEqual([
      { term: 'autumn', startsOn: '2026-09-01', endsOn: '2027-01-20', isDefault: true },
      { term: 'spring', startsOn: '2027-02-20', endsOn: '2027-07-05', isDefault: true },
    ]);
  });
});

describe('default terms', () => {
  it('start spring on the first Monday a week or more after the Spring Festival holiday', () => {
    expect(defaultTerms(2025, schedule.springFestivals.get(2026))).toEqual({
      autumn: { startsOn: '2025-09-01', endsOn: '2026-01-20' },
      spring: { startsOn: '2026-03-02', endsOn: '2026-07-05' },
    });
    // 2025: holiday 28 January – 4 February (Tuesday) → Tuesday 11 February → Monday 17 February
    expect(defaultTerms(2024, schedule.springFestivals.get(2025)).spring.startsOn).toBe('2025-02-17');
    // a Spring Festival holiday before 20 January ends the autumn term the day before it
    expect(defaultTerms(2030, { startsOn: '2031-01-18', endsOn: '2031-01-24' }).autumn.endsOn).toBe('2031-01-17');
    expect(defaultTerms(2026).spring.startsOn).toBe('2027-02-20');
  });

  it('give way to the county’s own, term by term', () => {
    const saved = [{ schoolYear: 2025, term: 'autumn' as const, startsOn: '2025-09-01', endsOn: '2026-01-23' }];
    expect(termsOfYear(schedule, 2025, saved).map((t) => [t.term, t.endsOn, t.isDefault])).toEqual([
      ['autumn', '2026-01-23', false],
      ['spring', '2026-07-05', true],
    ]);
    const own = countyCalendar(schedule, saved, [], 2026);
    expect(school(['2026-01-21', '2026-01-22', '2026-01-23', '2026-01-26'], own)).toEqual(['2026-01-21', '2026-01-22', '2026-01-23']);
  });
});

describe('the county’s own days', () => {
  it('decide over the national schedule and the terms', () => {
    const own = countyCalendar(
      schedule,
      [],
      [
        { day: '2025-11-03', kind: 'off' }, // a Monday off (snow)
        { day: '2025-11-08', kind: 'school' }, // a Saturday made up
        { day: '2025-10-11', kind: 'off' }, // the county skips a 调休 Saturday
        { day: '2026-02-02', kind: 'school' }, // a day of classes in the winter vacation
        { day: '2025-10-08', kind: 'school' }, // a holiday the county keeps open
      ],
      2026,
    );
    expect(school(['2025-11-03', '2025-11-08', '2025-10-11', '2026-02-02', '2025-10-08'], own)).toEqual([
      '2025-11-08',
      '2026-02-02',
      '2025-10-08',
    ]);
  });
});

describe('counting school days', () => {
  it('back over a holiday and a vacation', () => {
    expect(schoolDaysUpTo('2025-10-09', 3, calendar)).toEqual(['2025-09-29', '2025-09-30', '2025-10-09']);
    expect(schoolDaysUpTo('2026-03-03', 3, calendar)).toEqual(['2026-01-20', '2026-03-02', '2026-03-03']);
  });

  it('the nth school day after a day', () => {
    expect(nthSchoolDayAfter('2025-09-30', 1, calendar)).toBe('2025-10-09');
    expect(nthSchoolDayAfter('2025-09-30', 3, calendar)).toBe('2025-10-11');
    expect(nthSchoolDayAfter('2026-01-20', 1, calendar)).toBe('2026-03-02');
    expect(nthSchoolDayAfter('2026-01-20', 0, calendar)).toBe('2026-01-20');
  });

  it('20 of 30 after a return in January runs across the winter vacation into April', () => {
    const window = schoolDaysFrom('2026-01-12', 30, calendar);
    expect(window).toHaveLength(30);
    expect(window.slice(0, 8)).toEqual([
      '2026-01-12',
      '2026-01-13',
      '2026-01-14',
      '2026-01-15',
      '2026-01-16',
      '2026-01-19',
      '2026-01-20',
      '2026-03-02',
    ]);
    expect(window.at(-1)).toBe('2026-04-01');
    // by weekdays the window would end in the vacation, and 20 days present could never be met in time
    expect(schoolDaysFrom('2026-01-12', 30, WEEKDAYS_ONLY).at(-1)).toBe('2026-02-20');
  });

  it('stop walking when a calendar has no school day', () => {
    const never: SchoolCalendar = {
      daysOff: new Set(),
      makeUpDays: new Set(),
      terms: new Map(Array.from({ length: 60 }, (_, i) => [1990 + i, [{ startsOn: '1900-01-01', endsOn: '1900-01-01' }]] as const)),
    };
    expect(schoolDaysUpTo('2026-03-03', 5, never)).toEqual([]);
    expect(schoolDaysFrom('2026-03-03', 5, never)).toEqual([]);
    expect(nthSchoolDayAfter('2026-03-03', 5, never)).toBeNull();
    expect(() => schoolDaysBetween('2000-01-01', '2030-01-01', calendar)).toThrow(RangeError);
    expect(() => isSchoolDay('2026-02-30', calendar)).toThrow(RangeError);
  });
});

describe('the absence rules on the county calendar', () => {
  const settings = DEFAULT_COUNTY_SETTINGS;

  it('a streak runs across the National Day holiday and counts the 调休 Saturday', () => {
    const absent = new Set(['2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10', '2025-10-11']);
    expect(judgeAbsences(absent, '2025-10-11', settings, calendar)).toMatchObject({
      streak: 5,
      streakStart: '2025-09-29',
      alert: true,
    });
    // by weekdays the holiday's weekdays break it
    expect(judgeAbsences(absent, '2025-10-11', settings)).toMatchObject({ streak: 2, streakStart: '2025-10-09' });
  });

  it('present on the 调休 Sunday breaks the streak there', () => {
    const absent = new Set(['2025-09-26', '2025-09-29', '2025-09-30']);
    expect(judgeAbsences(absent, '2025-09-30', settings, calendar)).toMatchObject({ streak: 2, streakStart: '2025-09-29', alert: false });
  });

  it('20 of the last 30 school days reach back over the winter vacation', () => {
    const window = schoolDaysUpTo('2026-03-20', 30, calendar);
    expect(window[0]).toBe('2025-12-30');
    const absent = new Set(window.filter((_, i) => i % 3 !== 0)); // 20 of 30, never 3 in a row
    expect(judgeAbsences(absent, '2026-03-20', settings, calendar)).toMatchObject({ inWindow: 20, openCase: true });
    expect(judgeAbsences(absent, '2026-03-20', settings)).toMatchObject({ openCase: false });
  });

  it('judges a school of pupils in well under a second (steps through day numbers, no dates parsed)', () => {
    const absent = new Set(schoolDaysUpTo('2026-03-20', 10, calendar));
    const started = Date.now();
    // a loose bound: jest's sandbox runs this about ten times slower than node does
    for (let i = 0; i < 2_000; i++) judgeAbsences(absent, '2026-03-20', settings, calendar);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
