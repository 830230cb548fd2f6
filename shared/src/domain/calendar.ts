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
 * A county's school calendar (BRIEF §4a): weekdays without school (holidays, vacations) and weekend
 * days with school (调休 make-up days). The school-calendar work fills it in per county; until then
 * every weekday is a school day.
 */
export interface SchoolCalendar {
  daysOff: ReadonlySet<string>;
  makeUpDays: ReadonlySet<string>;
}

export const WEEKDAYS_ONLY: SchoolCalendar = { daysOff: new Set(), makeUpDays: new Set() };

export function isSchoolDay(day: string, calendar: SchoolCalendar = WEEKDAYS_ONLY): boolean {
  if (calendar.makeUpDays.has(day)) return true;
  return !calendar.daysOff.has(day) && isWeekday(day);
}

/** The last `count` school days up to and including `last`, oldest first. */
export function schoolDaysUpTo(last: string, count: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): string[] {
  const days: string[] = [];
  for (let day = last; days.length < count; day = addDays(day, -1)) if (isSchoolDay(day, calendar)) days.unshift(day);
  return days;
}
