import { addDays as addCalendarDays, formatISO, isValid, isWeekend, parseISO } from 'date-fns';

/**
 * The China calendar (BRIEF §4a): China time (UTC+8) is the only clock for "today", and rules count
 * calendar days and school days. China has kept no daylight saving since 1991, so a fixed offset
 * names its clock exactly, without time-zone data on the server or the phone (and much faster than
 * a time-zone lookup on every call: the absence rules walk dozens of days per pupil).
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(day: string): Date | null {
  const date = ISO_DAY.test(day) ? parseISO(day) : null;
  return date && isValid(date) && formatISO(date, { representation: 'date' }) === day ? date : null;
}

/** `YYYY-MM-DD` naming a real day (not 2023-02-29). */
export function isCalendarDay(day: string): boolean {
  return parseDay(day) !== null;
}

/** A calendar day as a date-fns date; a malformed or unreal day throws. */
function calendarDay(day: string): Date {
  const date = parseDay(day);
  if (!date) throw new RangeError(`not a calendar day: ${day}`);
  return date;
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in China: `chinaDay(clock.now())` is today. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The minute an instant falls on in China, `2026-11-23 20:15`. */
export function chinaMinute(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The first instant of a day in China (00:00 UTC+8), e.g. the lower bound of a date filter. */
export function startOfChinaDay(day: string): Date {
  calendarDay(day);
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/** The last instant of a day in China (23:59:59.999 UTC+8), e.g. a deadline or an upper bound. */
export function endOfChinaDay(day: string): Date {
  return new Date(startOfChinaDay(day).getTime() + DAY_MS - 1);
}

/** The calendar day `days` after (before, when negative) a calendar day. */
export function addDays(day: string, days: number): string {
  return formatISO(addCalendarDays(calendarDay(day), days), { representation: 'date' });
}

/** Monday to Friday. */
export function isWeekday(day: string): boolean {
  return !isWeekend(calendarDay(day));
}

/**
 * Day numbers (days since 1970-01-01) by H. Hinnant's civil-calendar arithmetic: the school-day
 * walks run per pupil, so they step through integers rather than parse and format dates.
 */
function dayNumberOf(day: string): number {
  let year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  if (month <= 2) year--;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + date - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function dayOfNumber(number: number): string {
  const z = number + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const date = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(date)}`;
}

/** 1970-01-01 was a Thursday: 0 Sunday … 6 Saturday. */
const weekdayOfNumber = (number: number) => (((number + 4) % 7) + 7) % 7;

/** A term's first and last day, inclusive. */
export interface TermDates {
  startsOn: string;
  endsOn: string;
}

/**
 * A county's school calendar (BRIEF §4a). A day is a school day when the county says so
 * (`countyDays`: a day off, or a school day even in a vacation); otherwise not outside its school
 * year's terms (the vacations); otherwise a weekend day only when it is a 调休 make-up day, and a
 * weekday unless it is a holiday. A school year without terms has no vacations, and a calendar with
 * no national schedule (`WEEKDAYS_ONLY`) counts every weekday.
 */
export interface SchoolCalendar {
  /** Days without school whatever the weekday: the national holidays. */
  daysOff: ReadonlySet<string>;
  /** Weekend days with school: the national 调休 working days. */
  makeUpDays: ReadonlySet<string>;
  /** The terms of each school year (by the year it starts in, `schoolYearOf`). */
  terms?: ReadonlyMap<number, readonly TermDates[]>;
  /** The county's own days, which decide over the terms and the national schedule. */
  countyDays?: ReadonlyMap<string, 'off' | 'school'>;
}

export const WEEKDAYS_ONLY: SchoolCalendar = { daysOff: new Set(), makeUpDays: new Set() };

/** The school year a day falls in, by the year it starts in (a school year starts 1 September: 2026-10-01 → 2026). */
function schoolYearOfDay(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 9 ? year : year - 1;
}

function schoolDayAt(day: string, number: number, calendar: SchoolCalendar): boolean {
  const county = calendar.countyDays?.get(day);
  if (county) return county === 'school';
  const terms = calendar.terms?.get(schoolYearOfDay(day));
  if (terms && !terms.some((t) => t.startsOn <= day && day <= t.endsOn)) return false;
  if (calendar.makeUpDays.has(day)) return true;
  const weekday = weekdayOfNumber(number);
  return weekday !== 0 && weekday !== 6 && !calendar.daysOff.has(day);
}

/** The number of a day that walks start from: a malformed or unreal day throws, like `addDays`. */
function startNumber(day: string): number {
  const number = ISO_DAY.test(day) ? dayNumberOf(day) : Number.NaN;
  if (Number.isNaN(number) || dayOfNumber(number) !== day) throw new RangeError(`not a calendar day: ${day}`);
  return number;
}

/**
 * How far a walk goes looking for `count` school days: a week per school day and a year of
 * vacations. A county calendar that has fewer school days than that yields fewer days, never a
 * loop without end.
 */
const walkLimit = (count: number) => count * 7 + 366;

export function isSchoolDay(day: string, calendar: SchoolCalendar = WEEKDAYS_ONLY): boolean {
  return schoolDayAt(day, startNumber(day), calendar);
}

/** The last `count` school days up to and including `last`, oldest first. */
export function schoolDaysUpTo(last: string, count: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): string[] {
  const days: string[] = [];
  const end = startNumber(last);
  for (let n = end; days.length < count && end - n < walkLimit(count); n--) {
    const day = dayOfNumber(n);
    if (schoolDayAt(day, n, calendar)) days.push(day);
  }
  return days.reverse();
}

/** The first `count` school days on or after `first`, oldest first (stopping at today is the caller's job). */
export function schoolDaysFrom(first: string, count: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): string[] {
  const days: string[] = [];
  const start = startNumber(first);
  for (let n = start; days.length < count && n - start < walkLimit(count); n++) {
    const day = dayOfNumber(n);
    if (schoolDayAt(day, n, calendar)) days.push(day);
  }
  return days;
}

/** The school days from `from` to `to`, both included (at most ten years). */
export function schoolDaysBetween(from: string, to: string, calendar: SchoolCalendar = WEEKDAYS_ONLY): string[] {
  const start = startNumber(from);
  const end = startNumber(to);
  if (end - start > 3660) throw new RangeError(`too long a span: ${from} to ${to}`);
  const days: string[] = [];
  for (let n = start; n <= end; n++) {
    const day = dayOfNumber(n);
    if (schoolDayAt(day, n, calendar)) days.push(day);
  }
  return days;
}

/**
 * The `n`th school day after `day` (not counting `day` itself): a time limit of n school days that
 * starts on `day` ends on it; `n` = 0 is `day` itself. Null when the calendar has no such day
 * within a year's walk.
 */
export function nthSchoolDayAfter(day: string, n: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): string | null {
  if (n <= 0) return day;
  return schoolDaysFrom(addDays(day, 1), n, calendar)[n - 1] ?? null;
}

/**
 * The terms a school year has until the county sets its own (BRIEF §4a): autumn from 1 September to
 * 20 January (earlier if the Spring Festival holiday begins before), spring from 20 February to
 * 5 July; when the national schedule knows the Spring Festival holiday of that winter, spring starts
 * on the first Monday a week or more after it ends.
 */
export function defaultTerms(schoolYear: number, springFestival: TermDates | null = null): { autumn: TermDates; spring: TermDates } {
  const next = schoolYear + 1;
  let autumnEnd = `${next}-01-20`;
  if (springFestival && springFestival.startsOn <= autumnEnd) autumnEnd = addDays(springFestival.startsOn, -1);
  let springStart = `${next}-02-20`;
  if (springFestival) {
    const weekLater = dayNumberOf(springFestival.endsOn) + 7;
    springStart = dayOfNumber(weekLater + ((8 - weekdayOfNumber(weekLater)) % 7));
  }
  return {
    autumn: { startsOn: `${schoolYear}-09-01`, endsOn: autumnEnd },
    spring: { startsOn: springStart, endsOn: `${next}-07-05` },
  };
}
