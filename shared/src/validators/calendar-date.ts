import { chinaDay } from '../domain/calendar';

/** Parses `YYYYMMDD` into a date when it names a real calendar day, otherwise null. */
export function parseCompactDate(compact: string): { year: number; month: number; day: number } | null {
  if (!/^\d{8}$/.test(compact)) return null;
  const year = Number(compact.slice(0, 4));
  const month = Number(compact.slice(4, 6));
  const day = Number(compact.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day };
}

export function formatIsoDate(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

const EARLIEST_BIRTH_YEAR = 1900;

/** A birth date in `YYYYMMDD`: a real day, not before 1900 and not after `today` in China. */
export function parseBirthDate(compact: string, today: Date): { year: number; month: number; day: number } | null {
  const date = parseCompactDate(compact);
  if (!date || date.year < EARLIEST_BIRTH_YEAR) return null;
  return formatIsoDate(date) > chinaDay(today) ? null : date;
}
