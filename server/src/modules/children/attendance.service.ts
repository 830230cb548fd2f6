import { Injectable } from '@nestjs/common';
import {
  chinaDay,
  isPresentMark,
  schoolDaysBetween,
  schoolDaysFrom,
  schoolDaysUpTo,
  WEEKDAYS_ONLY,
  type AbsenceReason,
  type AttendanceSummary,
  type CountySettings,
  type SchoolCalendar,
} from '@baoxue/shared';
import { Between, In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { newId } from '../../common/ids';
import { bulkInsert } from '../../database/bulk-insert';
import { AttendanceDay, type AttendanceSource } from './attendance.entity';
import { Child } from './child.entity';
import { ClassDays, classKey, type SchoolClassRef } from './class-days';

export interface AttendanceEntry {
  day: string;
  present: boolean;
  excused: boolean;
}

/** A roll call's mark of one pupil; `excused` from the reason and the day's approved leave (isExcusedMark). */
export interface RollCallMark {
  childId: string;
  reason: AbsenceReason;
  excused: boolean;
}

/** What is known of one school day of a child: a record, or a roll call of the class without a mark (present). */
export interface KnownDay {
  day: string;
  present: boolean;
  excused: boolean;
}

/** How far back a run of absences is followed (school days): a streak older than this is not one any more. */
const STREAK_LOOKBACK = 60;

/**
 * School attendance of a child. A class's roll call records the pupils it marks (the others were
 * present); the school's entry for a returned child and the county's import record single days.
 * Recording the same day again replaces it. The 销号 rule: present on at least N of the first M
 * school days after the return (default 20 of 30), counted with the county's school calendar.
 */
@Injectable()
export class AttendanceService {
  private classDays: ClassDays | null = null;

  constructor(private readonly clock: Clock) {}

  /** The school line plugs in the calendar and the roll calls (SchoolLineModule.onModuleInit). */
  plug(classDays: ClassDays): void {
    if (this.classDays) throw new Error('the class days of attendance are plugged in twice');
    this.classDays = classDays;
  }

  private get days(): ClassDays {
    if (!this.classDays) throw new Error('attendance is not wired: the school-line module has not plugged in its ClassDays');
    return this.classDays;
  }

  /** The county's school calendar (weekdays only for a child without a county). */
  async calendarOf(manager: EntityManager, countyCode: string | null): Promise<SchoolCalendar> {
    return countyCode ? this.days.calendarOf(manager, countyCode) : WEEKDAYS_ONLY;
  }

  async record(
    manager: EntityManager,
    childId: string,
    schoolId: string,
    entries: AttendanceEntry[],
    recordedBy: string | null,
    source: 'school' | 'import',
  ): Promise<void> {
    const now = this.clock.now();
    for (const entry of entries) {
      const values = {
        present: entry.present,
        excused: entry.excused,
        schoolId,
        recordedBy,
        recordedAt: now,
        source,
        reason: null,
        rollCallId: null,
      };
      const existing = await manager.findOneBy(AttendanceDay, { childId, day: entry.day });
      if (existing) await manager.update(AttendanceDay, { id: existing.id }, values);
      else await manager.insert(AttendanceDay, { id: newId(), childId, day: entry.day, ...values });
    }
  }

  /**
   * The marks of a class's roll call replace what the roll call recorded before (a same-day edit)
   * and what else was recorded of those pupils that day. A late pupil is present.
   */
  async recordRollCall(
    manager: EntityManager,
    rollCall: { id: string; schoolId: string; day: string },
    marks: RollCallMark[],
    recordedBy: string,
  ): Promise<void> {
    await manager.delete(AttendanceDay, { rollCallId: rollCall.id });
    if (marks.length === 0) return;
    await manager.delete(AttendanceDay, { childId: In(marks.map((m) => m.childId)), day: rollCall.day });
    const now = this.clock.now();
    const source: AttendanceSource = 'roll_call';
    await bulkInsert(
      manager,
      AttendanceDay,
      marks.map((m) => ({
        id: newId(),
        childId: m.childId,
        schoolId: rollCall.schoolId,
        day: rollCall.day,
        present: isPresentMark(m.reason),
        excused: isPresentMark(m.reason) ? false : m.excused,
        source,
        reason: m.reason,
        rollCallId: rollCall.id,
        recordedBy,
        recordedAt: now,
      })),
    );
  }

  /**
   * What is known of a child's school days from `from` to `to`: each day with a record, or with a
   * roll call of the child's class and no mark (present), oldest first. A school day with neither is
   * not known (no roll call that day): it counts for nothing.
   */
  async knownDays(
    manager: EntityManager,
    child: Pick<Child, 'id' | 'countyCode' | 'schoolId' | 'grade' | 'className'>,
    from: string,
    to: string,
    calendar?: SchoolCalendar,
  ): Promise<KnownDay[]> {
    const cal = calendar ?? (await this.calendarOf(manager, child.countyCode));
    return (await this.known(manager, [child], from, to, cal, false)).get(child.id) ?? [];
  }

  /**
   * What the absence rules know of some pupils' school days from `from` to `to` (`knownDays`), with
   * one more rule: before the first roll call of the pupil's class in that time (a class whose
   * attendance came by the county's import, which lists absences only), a school day without a
   * record was present. After it, a day without a roll call counts for nothing. In two reads.
   */
  async streakDaysOf(
    manager: EntityManager,
    pupils: ReadonlyArray<Pick<Child, 'id' | 'schoolId' | 'grade' | 'className'>>,
    from: string,
    to: string,
    calendar: SchoolCalendar,
  ): Promise<Map<string, KnownDay[]>> {
    return this.known(manager, pupils, from, to, calendar, true);
  }

  /**
   * The records of the pupils in the range, and the roll calls of their classes: the known days.
   * `presumePresent`: the absence rules' reading of the days before a class's first roll call.
   */
  private async known(
    manager: EntityManager,
    pupils: ReadonlyArray<Pick<Child, 'id' | 'schoolId' | 'grade' | 'className'>>,
    from: string,
    to: string,
    calendar: SchoolCalendar,
    presumePresent: boolean,
  ): Promise<Map<string, KnownDay[]>> {
    const known = new Map<string, KnownDay[]>();
    if (from > to || pupils.length === 0) return known;
    const rows = await manager.find(AttendanceDay, {
      where: { childId: In(pupils.map((p) => p.id)), day: Between(from, to) },
      select: { childId: true, day: true, present: true, excused: true },
    });
    const recorded = new Map(rows.map((r) => [`${r.childId}:${r.day}`, r]));
    const classes = new Map<string, SchoolClassRef>();
    for (const pupil of pupils) {
      const schoolClass = classOf(pupil);
      if (schoolClass) classes.set(classKey(schoolClass), schoolClass);
    }
    const taken = classes.size ? await this.days.rollCallDays(manager, [...classes.values()], from, to) : new Map<string, Set<string>>();
    const days = schoolDaysBetween(from, to, calendar);
    for (const pupil of pupils) {
      const schoolClass = classOf(pupil);
      const takenDays = (schoolClass && taken.get(classKey(schoolClass))) || new Set<string>();
      const firstRollCall = presumePresent ? (days.find((day) => takenDays.has(day)) ?? null) : null;
      const list: KnownDay[] = [];
      for (const day of days) {
        const row = recorded.get(`${pupil.id}:${day}`);
        if (row) list.push({ day, present: row.present, excused: row.excused });
        else if (takenDays.has(day)) list.push({ day, present: true, excused: false });
        else if (presumePresent && (firstRollCall === null || day < firstRollCall)) list.push({ day, present: true, excused: false });
      }
      known.set(pupil.id, list);
    }
    return known;
  }

  /**
   * Runs of unexcused absences of some pupils of a class up to `last` (`unexcusedStreak` for each),
   * in two reads: what the absence rules ask after a roll call.
   */
  async unexcusedStreaksOfClass(
    manager: EntityManager,
    schoolClass: SchoolClassRef,
    childIds: string[],
    last: string,
    calendar: SchoolCalendar,
  ): Promise<Map<string, Streak>> {
    const from = schoolDaysUpTo(last, STREAK_LOOKBACK, calendar)[0] ?? last;
    const known = await this.streakDaysOf(
      manager,
      childIds.map((id) => ({ id, ...schoolClass })),
      from,
      last,
      calendar,
    );
    return new Map(childIds.map((id) => [id, streakOf(known.get(id) ?? [])]));
  }

  /**
   * The 销号 count: the first `closeWindowDays` school days from the return (up to today), present on
   * a day with a roll call of the child's class and no absence mark, or a present record.
   */
  async summary(manager: EntityManager, childId: string, returnedOn: string | null, settings: CountySettings): Promise<AttendanceSummary> {
    const base = { returnedOn, required: settings.closeMinPresentDays, window: settings.closeWindowDays };
    if (!returnedOn) return { ...base, recorded: 0, present: 0, satisfied: false, days: [] };
    const child = await manager.findOneByOrFail(Child, { id: childId });
    const calendar = await this.calendarOf(manager, child.countyCode);
    const today = chinaDay(this.clock.now());
    const window = schoolDaysFrom(returnedOn, settings.closeWindowDays, calendar).filter((day) => day <= today);
    const days = window.length ? await this.knownDays(manager, child, window[0]!, window.at(-1)!, calendar) : [];
    const present = days.filter((d) => d.present).length;
    return { ...base, recorded: days.length, present, satisfied: present >= settings.closeMinPresentDays, days };
  }

  /**
   * The child's run of unexcused absences up to `last` (the days `streakDaysOf` knows): school days
   * without a roll call or with an excused absence neither break nor lengthen it; a present day ends
   * it. Not before `since`.
   */
  async unexcusedStreak(
    manager: EntityManager,
    child: Pick<Child, 'id' | 'countyCode' | 'schoolId' | 'grade' | 'className'>,
    last: string,
    since: string | null = null,
    calendar?: SchoolCalendar,
  ): Promise<Streak> {
    const cal = calendar ?? (await this.calendarOf(manager, child.countyCode));
    let from = schoolDaysUpTo(last, STREAK_LOOKBACK, cal)[0] ?? last;
    if (since && since > from) from = since;
    return streakOf((await this.streakDaysOf(manager, [child], from, last, cal)).get(child.id) ?? []);
  }

  /** True when the child's latest known school days since `since` are `days` unexcused absences in a row (a relapse). */
  async absentInARow(manager: EntityManager, childId: string, since: string, days: number): Promise<boolean> {
    const child = await manager.findOneByOrFail(Child, { id: childId });
    const { streak } = await this.unexcusedStreak(manager, child, chinaDay(this.clock.now()), since);
    return streak >= days;
  }
}

/** A run of unexcused absences: how many school days, from which day. */
export interface Streak {
  streak: number;
  streakStart: string | null;
}

/** The run of unexcused absences that ends the known days (excused ones skipped, a present day ends it). */
function streakOf(known: readonly KnownDay[]): Streak {
  let streak = 0;
  let streakStart: string | null = null;
  for (let i = known.length - 1; i >= 0; i--) {
    const day = known[i]!;
    if (day.present) break;
    if (day.excused) continue;
    streak++;
    streakStart = day.day;
  }
  return { streak, streakStart };
}

function classOf(child: Pick<Child, 'schoolId' | 'grade' | 'className'>): SchoolClassRef | null {
  return child.schoolId && child.grade !== null && child.className
    ? { schoolId: child.schoolId, grade: child.grade, className: child.className }
    : null;
}
