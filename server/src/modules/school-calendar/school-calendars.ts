import { Injectable } from '@nestjs/common';
import { chinaDay, defaultTerms, schoolYearOf, type SchoolCalendar, type Term, type TermDates } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { nationalSchedule, type NationalSchedule } from './national-schedule';
import { CountyCalendarDay, SchoolTermRow } from './school-calendar.entities';

/** A term as it applies: the county's dates, or the default ones until the county sets its own. */
export interface EffectiveTerm extends TermDates {
  term: Term;
  isDefault: boolean;
}

type SavedTerm = Pick<SchoolTermRow, 'schoolYear' | 'term' | 'startsOn' | 'endsOn'>;
type CountyDay = Pick<CountyCalendarDay, 'day' | 'kind'>;

/** The first school year given default terms: before it a county's calendar is weekdays and holidays. */
const FIRST_SCHOOL_YEAR = 2000;

/** A school year's terms, autumn first: each the county's where it set it, else the default. */
export function termsOfYear(schedule: NationalSchedule, schoolYear: number, saved: readonly SavedTerm[]): EffectiveTerm[] {
  const defaults = defaultTerms(schoolYear, schedule.springFestivals.get(schoolYear + 1) ?? null);
  return (['autumn', 'spring'] as const).map((term) => {
    const own = saved.find((t) => t.schoolYear === schoolYear && t.term === term);
    return own ? { term, startsOn: own.startsOn, endsOn: own.endsOn, isDefault: false } : { term, ...defaults[term], isDefault: true };
  });
}

/**
 * A county's school calendar: the national schedule, the county's terms (default terms for every
 * school year up to `throughSchoolYear` it did not set) and its own days.
 */
export function countyCalendar(
  schedule: NationalSchedule,
  savedTerms: readonly SavedTerm[],
  countyDays: readonly CountyDay[],
  throughSchoolYear: number,
): SchoolCalendar {
  const terms = new Map<number, readonly TermDates[]>();
  const lastYear = Math.max(throughSchoolYear, ...savedTerms.map((t) => t.schoolYear));
  for (let year = FIRST_SCHOOL_YEAR; year <= lastYear; year++) terms.set(year, termsOfYear(schedule, year, savedTerms));
  return {
    daysOff: schedule.holidayDays,
    makeUpDays: schedule.workdayDays,
    terms,
    countyDays: new Map(countyDays.map((d) => [d.day, d.kind])),
  };
}

/**
 * Every rule counted in school days asks this for the county's calendar (BRIEF §4a): absence
 * streaks, 20 of 30 after a return, deadlines in school days.
 */
@Injectable()
export class SchoolCalendars {
  constructor(private readonly clock: Clock) {}

  /** The county's whole calendar: its terms of every year, its own days, the national schedule. */
  async of(manager: EntityManager, countyCode: string): Promise<SchoolCalendar> {
    const { terms, days } = await this.rowsOf(manager, countyCode);
    return countyCalendar(nationalSchedule(), terms, days, schoolYearOf(chinaDay(this.clock.now())) + 1);
  }

  /** What the county set: its terms of every year and its own days. */
  async rowsOf(manager: EntityManager, countyCode: string): Promise<{ terms: SchoolTermRow[]; days: CountyCalendarDay[] }> {
    const terms = await manager.find(SchoolTermRow, { where: { countyCode } });
    const days = await manager.find(CountyCalendarDay, { where: { countyCode }, order: { day: 'ASC' } });
    return { terms, days };
  }
}
