import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CALENDAR_DAY_KIND_LABELS,
  chinaDay,
  isSchoolDay,
  schoolDaysBetween,
  schoolYearOf,
  schoolYearRange,
  TERM_LABELS,
  type CalendarView,
  type contract,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { Clock } from '../../common/clock';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess } from '../../common/auth/record-policy';
import { AppError } from '../../common/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { nationalSchedule } from './national-schedule';
import { CountyCalendarDay, SchoolTermRow } from './school-calendar.entities';
import { countyCalendar, SchoolCalendars, termsOfYear } from './school-calendars';
import { transactionWithRetry } from '../../database/transaction';

type CalendarQuery = z.output<typeof contract.calendarGet.query>;
type SetTerms = z.output<typeof contract.calendarSetTerms.body>;
type SetDay = z.output<typeof contract.calendarSetDay.body>;

/** Readable dates in messages, `2026年9月1日`. */
const spoken = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/**
 * The county school calendar (BRIEF §4a): its officials read it, its county admin sets each school
 * year's terms and the days the county sets apart from the national schedule. Every change is
 * audited; the absence rules read the calendar as it is when they run.
 */
@Injectable()
export class SchoolCalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly calendars: SchoolCalendars,
  ) {}

  async get(caller: Caller, query: CalendarQuery): Promise<CalendarView> {
    if (!caller.countyCode) throw AppError.notFound();
    const today = chinaDay(this.clock.now());
    return this.view(this.dataSource.manager, caller.countyCode, query.schoolYear ?? schoolYearOf(today));
  }

  async setTerms(caller: Caller, body: SetTerms): Promise<CalendarView> {
    const countyCode = requireCountyAccess(caller, 'manage_calendar');
    const { schoolYear } = body;
    const range = schoolYearRange(schoolYear);
    const errors: Record<string, string> = {};
    body.terms.forEach((term, i) => {
      const outside = `${TERM_LABELS[term.term]}应在${spoken(range.from)}至${spoken(range.to)}之间`;
      if (term.startsOn < range.from || term.startsOn > range.to) errors[`terms.${i}.startsOn`] = outside;
      if (term.endsOn < range.from || term.endsOn > range.to) errors[`terms.${i}.endsOn`] = outside;
    });
    if (Object.keys(errors).length) throw AppError.invalid(errors);
    return transactionWithRetry(this.dataSource, async (manager) => {
      // the other term keeps what it has (the county's dates or the default): autumn must end before spring starts
      const saved = await manager.find(SchoolTermRow, { where: { countyCode, schoolYear } });
      const given = body.terms.map((t) => ({ ...t, schoolYear }));
      const [autumn, spring] = termsOfYear(nationalSchedule(), schoolYear, [
        ...given,
        ...saved.filter((s) => !given.some((g) => g.term === s.term)),
      ]);
      if (autumn!.endsOn >= spring!.startsOn) {
        const i = body.terms.findIndex((t) => t.term === 'autumn');
        throw AppError.invalid(
          i >= 0
            ? { [`terms.${i}.endsOn`]: `秋季学期应在春季学期开始（${spoken(spring!.startsOn)}）前结束` }
            : {
                [`terms.${body.terms.findIndex((t) => t.term === 'spring')}.startsOn`]: `春季学期应在秋季学期结束（${spoken(autumn!.endsOn)}）后开始`,
              },
        );
      }
      await manager
        .createQueryBuilder()
        .insert()
        .into(SchoolTermRow)
        .values(given.map((t) => ({ countyCode, schoolYear, term: t.term, startsOn: t.startsOn, endsOn: t.endsOn })))
        .orUpdate(['starts_on', 'ends_on'], ['county_code', 'school_year', 'term'])
        .execute();
      await this.audit.record(
        caller,
        {
          action: 'calendar.terms',
          targetType: 'county',
          targetId: countyCode,
          placeCode: countyCode,
          details: {
            schoolYear,
            terms: given.map((t) => `${TERM_LABELS[t.term]} ${t.startsOn}至${t.endsOn}`).join('；'),
          },
        },
        manager,
      );
      return this.view(manager, countyCode, schoolYear);
    });
  }

  async setDay(caller: Caller, day: string, body: SetDay): Promise<CalendarView> {
    const countyCode = requireCountyAccess(caller, 'manage_calendar');
    return transactionWithRetry(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(CountyCalendarDay)
        .values({ countyCode, day, kind: body.kind, note: body.note, setBy: caller.userId, setAt: this.clock.now() })
        .orUpdate(['kind', 'note', 'set_by', 'set_at'], ['county_code', 'day'])
        .execute();
      await this.audit.record(
        caller,
        {
          action: 'calendar.day',
          targetType: 'county',
          targetId: countyCode,
          placeCode: countyCode,
          details: { day, kind: CALENDAR_DAY_KIND_LABELS[body.kind], note: body.note },
        },
        manager,
      );
      return this.view(manager, countyCode, schoolYearOf(day));
    });
  }

  /** The day follows the national schedule again (nothing to reset is no error: the result is the same). */
  async resetDay(caller: Caller, day: string): Promise<CalendarView> {
    const countyCode = requireCountyAccess(caller, 'manage_calendar');
    return transactionWithRetry(this.dataSource, async (manager) => {
      const deleted = await manager.delete(CountyCalendarDay, { countyCode, day });
      if (deleted.affected)
        await this.audit.record(
          caller,
          { action: 'calendar.day_reset', targetType: 'county', targetId: countyCode, placeCode: countyCode, details: { day } },
          manager,
        );
      return this.view(manager, countyCode, schoolYearOf(day));
    });
  }

  private async view(manager: EntityManager, countyCode: string, schoolYear: number): Promise<CalendarView> {
    const schedule = nationalSchedule();
    const today = chinaDay(this.clock.now());
    const { terms: savedTerms, days: countyDays } = await this.calendars.rowsOf(manager, countyCode);
    const calendar = countyCalendar(schedule, savedTerms, countyDays, Math.max(schoolYear, schoolYearOf(today)) + 1);
    const terms = termsOfYear(schedule, schoolYear, savedTerms);
    const { from, to } = schoolYearRange(schoolYear);
    const inYear = (day: string) => from <= day && day <= to;
    const inTerm = (day: string) => terms.some((t) => t.startsOn <= day && day <= t.endsOn);
    const set = new Set(countyDays.map((d) => d.day));
    // the national days that matter: those in a term (in a vacation every day is off anyway)
    const national = (days: ReadonlyMap<string, string>, kind: 'off' | 'school', note: (name: string) => string) =>
      [...days]
        .filter(([day]) => inYear(day) && inTerm(day) && !set.has(day))
        .map(([day, name]) => ({ day, kind, note: note(name), source: 'national' as const }));
    const days = [
      ...national(schedule.holidays, 'off', (name) => name),
      ...national(schedule.workdays, 'school', (name) => `${name}调休上课`),
      ...countyDays.filter((d) => inYear(d.day)).map((d) => ({ day: d.day, kind: d.kind, note: d.note, source: 'county' as const })),
    ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    return {
      countyCode,
      schoolYear,
      label: `${schoolYear}–${schoolYear + 1}学年`,
      terms: terms.map(({ term, startsOn, endsOn, isDefault }) => ({ term, startsOn, endsOn, isDefault })),
      days,
      schoolDays: schoolDaysBetween(from, to, calendar).length,
      missingNationalYears: [schoolYear, schoolYear + 1].filter((year) => !schedule.years.has(year)),
      today,
      todayIsSchoolDay: isSchoolDay(today, calendar),
    };
  }
}
