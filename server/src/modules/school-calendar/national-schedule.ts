import { readFileSync } from 'node:fs';
import type { TermDates } from '@baoxue/shared';

/**
 * The State Council's holiday schedule (法定节假日 and 调休), as the `chinese-days` package ships it:
 * `dist/chinese-days.json` maps each day to `"English name,中文名,days"`. The data is updated with the
 * package each year once the schedule is published (usually in November); a year it does not hold
 * yet is `missing` and the county enters that year's holidays itself.
 */
export interface NationalSchedule {
  /** Holidays (weekends within a holiday included) → the holiday's Chinese name. */
  holidays: ReadonlyMap<string, string>;
  /** 调休 working days (weekend days with work and school) → the holiday they make up for. */
  workdays: ReadonlyMap<string, string>;
  /** The same days as sets, as a `SchoolCalendar` takes them. */
  holidayDays: ReadonlySet<string>;
  workdayDays: ReadonlySet<string>;
  /** The calendar years the schedule covers. */
  years: ReadonlySet<number>;
  /** Each year's Spring Festival holiday, first and last day (the spring term starts after it). */
  springFestivals: ReadonlyMap<number, TermDates>;
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const SPRING_FESTIVAL = '春节';

function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

/** Builds the schedule from the package's data (or data of the same shape). */
export function nationalScheduleOf(data: ChineseDaysData): NationalSchedule {
  const holidays = new Map(Object.entries(data.holidays).map(([day, entry]) => [day, chineseName(entry)] as const));
  const workdays = new Map(Object.entries(data.workdays).map(([day, entry]) => [day, chineseName(entry)] as const));
  const years = new Set([...holidays.keys()].map((day) => Number(day.slice(0, 4))));
  const springFestivals = new Map<number, TermDates>();
  for (const [day, name] of holidays) {
    if (name !== SPRING_FESTIVAL) continue;
    const year = Number(day.slice(0, 4));
    const known = springFestivals.get(year);
    springFestivals.set(year, {
      startsOn: known && known.startsOn < day ? known.startsOn : day,
      endsOn: known && known.endsOn > day ? known.endsOn : day,
    });
  }
  return { holidays, workdays, holidayDays: new Set(holidays.keys()), workdayDays: new Set(workdays.keys()), years, springFestivals };
}

let loaded: NationalSchedule | null = null;

/** The schedule the installed package holds, read once (the package's `main` entry is not shipped). */
export function nationalSchedule(): NationalSchedule {
  loaded ??= nationalScheduleOf(
    JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')) as ChineseDaysData,
  );
  return loaded;
}
