import { schoolDaysUpTo, WEEKDAYS_ONLY, type CountySettings, type SchoolCalendar } from '@baoxue/shared';

export interface AbsenceVerdict {
  /** Unexcused school days in a row, ending with the latest record, and the day it began. */
  streak: number;
  streakStart: string | null;
  /** Unexcused absences among the last `absenceCaseWindowDays` school days. */
  inWindow: number;
  alert: boolean;
  openCase: boolean;
}

/**
 * The county's absence rules (BRIEF §4–5): a pupil absent without leave for 3 school days in a row
 * is reported to the school to contact the family; 7 in a row, or 20 of the last 30 school days,
 * opens a suspected-dropout case routed like a tip. The school calendar says which days count; a
 * school day in neither set was present and ends a streak. `uncounted` are the school days that
 * neither lengthen nor break one (an excused absence, a day without a roll call of the class: the
 * roll call's rule, AttendanceService.streakDaysOf). A streak runs back at most one window from its
 * latest day.
 */
export function judgeAbsences(
  unexcused: ReadonlySet<string>,
  today: string,
  settings: CountySettings,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  uncounted: ReadonlySet<string> = new Set(),
): AbsenceVerdict {
  const size = settings.absenceCaseWindowDays;
  // the window and, before it, as many school days again for a streak that began earlier
  const days = schoolDaysUpTo(today, 2 * size, calendar);
  const window = days.slice(-size);
  let latest = days.length - 1;
  while (latest >= days.length - size && !unexcused.has(days[latest]!)) latest--;
  let streak = 0;
  let streakStart: string | null = null;
  if (latest >= days.length - size) {
    for (let i = latest; i > latest - size && i >= 0; i--) {
      const day = days[i]!;
      if (unexcused.has(day)) {
        streak++;
        streakStart = day;
      } else if (!uncounted.has(day)) break;
    }
  }
  const inWindow = window.filter((d) => unexcused.has(d)).length;
  return {
    streak,
    streakStart,
    inWindow,
    alert: streak >= settings.absenceReportDays,
    openCase: streak >= settings.absenceCaseConsecutiveDays || inWindow >= settings.absenceCaseMinDays,
  };
}
