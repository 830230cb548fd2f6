import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDay, classLabel, isSchoolDay, type ClassView, type setClassTeachersRequest } from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { readScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { schoolStaffAccounts } from '../accounts/recipients';
import { AuditService } from '../audit/audit.service';
import { userNamesOf } from '../children/lookups';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { AbsenceAlerts } from './absence-alerts.service';
import { ClassRecords, type RosterClass } from './class-records';
import { LeaveRecords } from './leave-records';
import { RollCallsService } from './roll-calls.service';
import type { ClassTeacher, RollCall } from './school-line.entities';
import { transactionWithRetry } from '../../database/transaction';

type SetTeachersInput = z.output<typeof setClassTeachersRequest>;

/**
 * A school's classes (the grades and class names of its roster) and their 班主任: the school's
 * leader names them and sees every class; a 班主任 sees theirs, each with today's roll call.
 */
@Injectable()
export class ClassesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly calendars: SchoolCalendars,
    private readonly classes: ClassRecords,
    private readonly rollCalls: RollCallsService,
    private readonly alerts: AbsenceAlerts,
    private readonly leave: LeaveRecords,
  ) {}

  private schoolOf(caller: Caller, action: 'read_class' | 'manage_classes'): { schoolId: string; countyCode: string } {
    requireRecordAccess(caller, action);
    const unit = caller.unit;
    if (unit?.kind !== 'school') throw AppError.forbidden(); // the policy lets in school staff only
    return { schoolId: unit.schoolId, countyCode: unit.countyCode };
  }

  /** The caller's classes (a leader: all of the school's) with today's roll call, and what waits for them. */
  async list(caller: Caller) {
    const { schoolId, countyCode } = this.schoolOf(caller, 'read_class');
    const manager = this.dataSource.manager;
    const today = chinaDay(this.clock.now());
    const leader = readScope(caller, 'read_class')?.relation === 'school';
    const [roster, assignments, taken, calendar, schoolName] = await Promise.all([
      this.classes.classesOf(manager, schoolId),
      this.classes.assignmentsOf(manager, schoolId),
      this.rollCalls.takenOn(manager, schoolId, today),
      this.calendars.of(manager, countyCode),
      this.rollCalls.schoolName(manager, schoolId),
    ]);
    const mine = assignments.filter((a) => a.userId === caller.userId);
    const shown = leader ? roster : roster.filter((c) => mine.some((a) => a.grade === c.grade && a.className === c.className));
    const names = await userNamesOf(
      manager,
      assignments.map((a) => a.userId),
    );
    const [openAlerts, pendingLeave] = await Promise.all([
      this.alerts.followedCount(caller),
      this.leave.pendingCount(manager, schoolId, leader ? null : mine),
    ]);
    return {
      schoolId,
      schoolName,
      today,
      todayIsSchoolDay: isSchoolDay(today, calendar),
      classes: shown.map((c) => classView(schoolId, c, assignments, names, caller.userId, taken.get(`${c.grade}:${c.className}`))),
      openAlerts,
      pendingLeave,
    };
  }

  /** The school's staff accounts, whom the leader may name 班主任. */
  async staff(caller: Caller) {
    const { schoolId } = this.schoolOf(caller, 'manage_classes');
    const accounts = await schoolStaffAccounts(this.dataSource.manager, schoolId);
    return { items: accounts.map((u) => ({ userId: u.id, name: u.displayName })) };
  }

  /** Names the 班主任 of a class of the roster: staff accounts of the same school only; audited. */
  async setTeachers(caller: Caller, input: SetTeachersInput): Promise<ClassView> {
    const { schoolId } = this.schoolOf(caller, 'manage_classes');
    requireRecordAccess(caller, 'manage_classes', { schoolId });
    const schoolClass = { schoolId, grade: input.grade, className: input.className };
    return transactionWithRetry(this.dataSource, async (manager) => {
      const roster = (await this.classes.classesOf(manager, schoolId)).find(
        (c) => c.grade === input.grade && c.className === input.className,
      );
      if (!roster) throw AppError.invalid({ className: '本校花名册中没有这个班级' });
      const staff = new Set((await schoolStaffAccounts(manager, schoolId)).map((u) => u.id));
      const userIds = [...new Set(input.userIds)];
      userIds.forEach((id) => {
        if (!staff.has(id)) throw AppError.invalid({ [`userIds.${input.userIds.indexOf(id)}`]: '只能指定本校在职教职工的账号' });
      });
      await this.classes.setTeachers(manager, schoolClass, userIds, caller.userId, this.clock.now());
      await this.audit.record(
        caller,
        {
          action: 'class.teachers',
          targetType: 'school_class',
          targetId: `${schoolId}:${input.grade}:${input.className}`,
          details: { class: classLabel(input.grade, input.className), teachers: userIds.length },
        },
        manager,
      );
      return this.view(manager, caller, roster, schoolId);
    });
  }

  private async view(manager: EntityManager, caller: Caller, roster: RosterClass, schoolId: string): Promise<ClassView> {
    const assignments = (await this.classes.assignmentsOf(manager, schoolId)).filter(
      (a) => a.grade === roster.grade && a.className === roster.className,
    );
    const names = await userNamesOf(
      manager,
      assignments.map((a) => a.userId),
    );
    const taken = await this.rollCalls.takenOn(manager, schoolId, chinaDay(this.clock.now()));
    return classView(schoolId, roster, assignments, names, caller.userId, taken.get(`${roster.grade}:${roster.className}`));
  }
}

function classView(
  schoolId: string,
  roster: RosterClass,
  assignments: ClassTeacher[],
  names: ReadonlyMap<string, string>,
  userId: string,
  rollCall: RollCall | undefined,
): ClassView {
  const teachers = assignments.filter((a) => a.grade === roster.grade && a.className === roster.className);
  return {
    schoolId,
    grade: roster.grade,
    className: roster.className,
    label: classLabel(roster.grade, roster.className),
    pupils: roster.pupils,
    teachers: teachers.map((t) => ({ userId: t.userId, name: names.get(t.userId) ?? '' })),
    mine: teachers.some((t) => t.userId === userId),
    today: { taken: !!rollCall, absent: rollCall?.absent ?? 0, takenAt: rollCall?.takenAt.toISOString() ?? null },
  };
}
