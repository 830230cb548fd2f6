import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  classLabel,
  isExcusedMark,
  isPresentMark,
  isSchoolDay,
  ROLL_CALL_LATE_DAYS,
  type AbsenceReason,
  type rollCallRequest,
  type RollCallView,
  type SchoolCalendar,
} from '@baoxue/shared';
import { Between, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { inReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { transactionWithRetry } from '../../database/transaction';
import { AttendanceService, type RollCallMark } from '../children/attendance.service';
import { ChildRecords, type AttendanceRow, type ChildRow } from '../children/child-records';
import type { SchoolClassRef } from '../children/class-days';
import { userNamesOf } from '../children/lookups';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { SchoolRecords } from '../schools/school-records';
import { AbsenceAlerts } from './absence-alerts.service';
import { ClassRecords } from './class-records';
import { LeaveRecords } from './leave-records';
import { RollCall, RollCallEdit } from './school-line.entities';
import { mapRollCall } from './school-line.mappers';

type RollCallInput = z.output<typeof rollCallRequest>;
type Pupil = Pick<ChildRow, 'id' | 'name' | 'countyCode' | 'schoolId' | 'grade' | 'className'>;
type WeekMark = AbsenceReason | 'present' | null;

/** A class of the caller's school as the school line checks it: its pupils, the school's county, whether the caller teaches it. */
interface CallerClass {
  schoolClass: SchoolClassRef;
  countyCode: string;
  pupils: Pupil[];
  classTeacher: boolean;
}

/**
 * 点名 (BRIEF §4a): one roll call per class and school day, everyone present unless marked. A
 * phone that was offline sends it later (up to ROLL_CALL_LATE_DAYS days) and may send it again: the
 * same idempotency key returns what is stored. The day it was first taken it can be corrected (a
 * new key replaces the marks); after that it is closed. The absence rules run after each one.
 */
@Injectable()
export class RollCallsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly attendance: AttendanceService,
    private readonly calendars: SchoolCalendars,
    private readonly children: ChildRecords,
    private readonly classes: ClassRecords,
    private readonly schools: SchoolRecords,
    private readonly leave: LeaveRecords,
    private readonly alerts: AbsenceAlerts,
  ) {}

  /** The class of the caller's school, or 404 when the roster has no such class. */
  private async callerClass(manager: EntityManager, caller: Caller, grade: number, className: string): Promise<CallerClass> {
    const unit = caller.unit;
    if (unit?.kind !== 'school') throw AppError.notFound();
    const schoolClass = { schoolId: unit.schoolId, grade, className };
    const pupils = await this.children.pupilsOfClass(manager, schoolClass);
    if (!pupils.length) throw AppError.notFound();
    const classTeacher = await this.classes.teachesClass(manager, caller.userId, unit.schoolId, grade, className);
    return { schoolClass, countyCode: unit.countyCode, pupils, classTeacher };
  }

  /** A class the caller reads: a 班主任 theirs, a leader the school's; any other is not found. */
  private async readableClass(caller: Caller, grade: number, className: string): Promise<CallerClass> {
    requireRecordAccess(caller, 'read_roll_call');
    const found = await this.callerClass(this.dataSource.manager, caller, grade, className);
    if (!inReadScope(caller, 'read_roll_call', { school: found.schoolClass.schoolId, classTeacher: found.classTeacher }))
      throw AppError.notFound();
    return found;
  }

  /** The day's sheet: every pupil with the day's approved leave and stored mark, and whether it can be submitted now. */
  async sheet(caller: Caller, query: { grade: number; className: string; day?: string }) {
    const manager = this.dataSource.manager;
    const found = await this.readableClass(caller, query.grade, query.className);
    const today = chinaDay(this.clock.now());
    const day = query.day ?? today;
    const calendar = await this.calendars.of(manager, found.countyCode);
    const ids = found.pupils.map((p) => p.id);
    const [rollCall, leave, rows] = await Promise.all([
      manager.findOneBy(RollCall, { ...found.schoolClass, day }),
      this.leave.approvedOn(manager, ids, day),
      this.children.attendanceOn(manager, ids, [day]),
    ]);
    const marks = new Map(rows.map((r) => [r.childId, markOf(r)]));
    const mayTake = this.mayTake(caller, found);
    const notEditableReason = !mayTake ? '只有本班班主任或学校负责人可以点名' : this.closedReason(day, today, calendar, rollCall);
    return {
      label: classLabel(query.grade, query.className),
      day,
      schoolDay: isSchoolDay(day, calendar),
      editable: notEditableReason === null,
      notEditableReason,
      pupils: found.pupils.map((p) => {
        const covering = leave.get(p.id);
        const mark = marks.get(p.id);
        return {
          childId: p.id,
          name: p.name,
          leave: covering ? { id: covering.id, kind: covering.kind } : null,
          mark: mark === 'present' || mark === undefined ? null : mark,
        };
      }),
      rollCall: rollCall ? await this.view(manager, rollCall) : null,
    };
  }

  private mayTake(caller: Caller, found: CallerClass): boolean {
    try {
      requireRecordAccess(caller, 'take_roll_call', { schoolId: found.schoolClass.schoolId, classTeacher: found.classTeacher });
      return true;
    } catch {
      return false;
    }
  }

  /** Why a roll call of `day` cannot be submitted now (null: it can). */
  private closedReason(day: string, today: string, calendar: SchoolCalendar, existing: RollCall | null): string | null {
    if (day > today) return '不能为今天以后的日期点名';
    if (!isSchoolDay(day, calendar)) return '这一天不是上学日';
    if (existing) return chinaDay(existing.takenAt) === today ? null : '点名只能在当天修改';
    if (day < addDays(today, -ROLL_CALL_LATE_DAYS)) return `只能补交最近${ROLL_CALL_LATE_DAYS}天的点名`;
    return null;
  }

  /** Stores a roll call (201), or returns the one a replayed key stored (200); then runs the absence rules. */
  async submit(caller: Caller, input: RollCallInput): Promise<{ created: boolean; rollCall: RollCallView; newAlerts: number }> {
    const manager = this.dataSource.manager;
    // a class the caller cannot read is not found; one they read but may not take is refused
    const found = await this.readableClass(caller, input.grade, input.className);
    requireRecordAccess(caller, 'take_roll_call', { schoolId: found.schoolClass.schoolId, classTeacher: found.classTeacher });
    const calendar = await this.calendars.of(manager, found.countyCode);
    const inClass = new Map(found.pupils.map((p) => [p.id, p]));
    input.marks.forEach((m, i) => {
      if (!inClass.has(m.childId))
        throw new AppError('ROLL_CALL_PUPIL_NOT_IN_CLASS', undefined, { [`marks.${i}.childId`]: '该学生不在本班' });
    });
    const stored = await transactionWithRetry(this.dataSource, async (tx) => {
      const replayed = await this.byKey(tx, input.clientKey);
      if (replayed) {
        const same = replayed.schoolId === found.schoolClass.schoolId && replayed.grade === input.grade;
        if (!same || replayed.className !== input.className || replayed.day !== input.day)
          throw new AppError('ROLL_CALL_KEY_REUSED', undefined, { clientKey: '提交编号重复' });
        return { rollCall: replayed, created: false, marks: [] as RollCallMark[] };
      }
      const today = chinaDay(this.clock.now());
      if (input.day > today) throw new AppError('ROLL_CALL_FUTURE_DAY', undefined, { day: '不能为今天以后的日期点名' });
      if (!isSchoolDay(input.day, calendar)) throw new AppError('ROLL_CALL_NOT_SCHOOL_DAY', undefined, { day: '这一天不是上学日' });
      const existing = await tx.findOneBy(RollCall, { ...found.schoolClass, day: input.day });
      // the same submission committed by a parallel replay after the key was looked up: not an edit of itself
      if (existing?.clientKey === input.clientKey) return { rollCall: existing, created: false, marks: [] as RollCallMark[] };
      if (existing && chinaDay(existing.takenAt) !== today)
        throw new AppError('ROLL_CALL_CLOSED', undefined, { day: '这一天的点名已不能修改' });
      if (!existing && input.day < addDays(today, -ROLL_CALL_LATE_DAYS))
        throw new AppError('ROLL_CALL_TOO_LATE', undefined, { day: `只能补交最近${ROLL_CALL_LATE_DAYS}天的点名` });
      const onLeave = await this.leave.approvedOn(
        tx,
        input.marks.map((m) => m.childId),
        input.day,
      );
      const marks: RollCallMark[] = input.marks.map((m) => ({
        childId: m.childId,
        reason: m.reason,
        excused: isExcusedMark(m.reason, onLeave.has(m.childId)),
      }));
      const counts = {
        pupils: found.pupils.length,
        absent: marks.filter((m) => !isPresentMark(m.reason)).length,
        late: marks.filter((m) => m.reason === 'late').length,
      };
      const now = this.clock.now();
      let rollCall: RollCall;
      if (existing) {
        await tx.insert(RollCallEdit, { clientKey: input.clientKey, rollCallId: existing.id, editedBy: caller.userId, editedAt: now });
        await tx.update(RollCall, { id: existing.id }, { ...counts, updatedBy: caller.userId, updatedAt: now });
        rollCall = { ...existing, ...counts, updatedBy: caller.userId, updatedAt: now };
      } else {
        rollCall = {
          id: newId(now.getTime()),
          countyCode: found.countyCode,
          ...found.schoolClass,
          day: input.day,
          ...counts,
          clientKey: input.clientKey,
          takenBy: caller.userId,
          takenAt: now,
          updatedBy: caller.userId,
          updatedAt: now,
        };
        // the class-and-day key decides a race of two phones: the loser runs again as an edit
        await tx.insert(RollCall, rollCall);
      }
      await this.attendance.recordRollCall(tx, rollCall, marks, caller.userId);
      return { rollCall, created: true, marks };
    });
    let newAlerts = 0;
    if (stored.created) {
      const marked = new Map(stored.marks.map((m) => [m.childId, m]));
      newAlerts = await this.alerts.afterRollCall(
        found.countyCode,
        found.schoolClass,
        input.day,
        found.pupils.map((p) => {
          const mark = marked.get(p.id);
          return {
            id: p.id,
            name: p.name,
            present: !mark || isPresentMark(mark.reason),
            absentUnexcused: !!mark && !isPresentMark(mark.reason) && !mark.excused,
          };
        }),
        calendar,
      );
    }
    return { created: stored.created, rollCall: await this.view(manager, stored.rollCall), newAlerts };
  }

  /** The roll call a key stored: its first submission or a same-day edit. */
  private async byKey(manager: EntityManager, clientKey: string): Promise<RollCall | null> {
    const first = await manager.findOneBy(RollCall, { clientKey });
    if (first) return first;
    const edit = await manager.findOneBy(RollCallEdit, { clientKey });
    return edit ? manager.findOneByOrFail(RollCall, { id: edit.rollCallId }) : null;
  }

  /** A class's week, Monday to Sunday: each pupil's mark of each school day with a roll call. */
  async week(caller: Caller, query: { grade: number; className: string; weekOf?: string }) {
    const manager = this.dataSource.manager;
    const found = await this.readableClass(caller, query.grade, query.className);
    const today = chinaDay(this.clock.now());
    const monday = mondayOf(query.weekOf ?? today);
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const calendar = await this.calendars.of(manager, found.countyCode);
    const ids = found.pupils.map((p) => p.id);
    const [rollCalls, rows] = await Promise.all([
      manager.find(RollCall, { where: { ...found.schoolClass, day: Between(days[0]!, days[6]!) }, select: { id: true, day: true } }),
      this.children.attendanceOn(manager, ids, days),
    ]);
    const taken = new Set(rollCalls.map((r) => r.day));
    const recorded = new Map(rows.map((r) => [`${r.childId}:${r.day}`, markOf(r)]));
    const schoolDays = days.map((day) => isSchoolDay(day, calendar));
    const next = addDays(monday, 7);
    return {
      label: `${classLabel(query.grade, query.className)} ${shortDay(days[0]!)}—${shortDay(days[6]!)}`,
      days: days.map((day, i) => ({ day, schoolDay: schoolDays[i]!, taken: taken.has(day) })),
      pupils: found.pupils.map((p) => ({
        childId: p.id,
        name: p.name,
        marks: days.map((day, i): WeekMark => {
          if (!schoolDays[i]) return null;
          return recorded.get(`${p.id}:${day}`) ?? (taken.has(day) ? 'present' : null);
        }),
      })),
      previousWeek: addDays(monday, -7),
      nextWeek: next <= today ? next : null,
    };
  }

  /** Today's roll calls of some of a school's classes, by `grade:className`. */
  async takenOn(manager: EntityManager, schoolId: string, day: string): Promise<Map<string, RollCall>> {
    const rows = await manager.find(RollCall, { where: { schoolId, day } });
    return new Map(rows.map((r) => [`${r.grade}:${r.className}`, r]));
  }

  private async view(manager: EntityManager, rollCall: RollCall): Promise<RollCallView> {
    return mapRollCall(rollCall, await userNamesOf(manager, [rollCall.takenBy]));
  }

  /** The school's name (the classes page heading). */
  async schoolName(manager: EntityManager, schoolId: string): Promise<string> {
    return (await this.schools.getById(manager, schoolId)).name;
  }
}

/** What a record says of the day: the roll call's reason, else present or an absence as recorded elsewhere. */
function markOf(row: AttendanceRow): WeekMark {
  if (row.reason) return row.reason;
  if (row.present) return 'present';
  return row.excused ? 'personal' : 'unexcused';
}

/** The Monday of the week a day falls in. */
function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** 11月16日. */
function shortDay(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}
