import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { classLabel, pageLink, type AbsenceAlertView, type AlertStatus, type SchoolCalendar } from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { schoolStaff } from '../accounts/recipients';
import { CaseHandlingService } from '../cases/case-handling.service';
import { CasesService } from '../cases/cases.service';
import { AttendanceService } from '../children/attendance.service';
import type { SchoolClassRef } from '../children/class-days';
import { ChildRecords } from '../children/child-records';
import { NotificationsService } from '../notifications/notifications.service';
import type { PupilChangeFollower } from '../pupil-changes/pupil-change-followers';
import { ClassRecords } from './class-records';
import { FamilyContact } from './follow-up.entities';
import { AbsenceAlert } from './school-line.entities';
import { mapAbsenceAlert } from './school-line.mappers';
import { transactionWithRetry } from '../../database/transaction';

/** The columns an alert is scoped by: its school, and its class for a 班主任. */
export const ALERT_SCOPE = { school: 'a.school_id', schoolClass: ['a.school_id', 'a.grade', 'a.class_name'] } as const;

/** Alerts still followed by the school (not back, not reported). */
const FOLLOWED: AlertStatus[] = ['open', 'contacted'];

/** A streak that reached the county's limit: the pupil, its class and the streak's school days. */
export interface StreakAlert extends SchoolClassRef {
  countyCode: string;
  childId: string;
  childName: string;
  streak: number;
  streakStart: string;
  lastAbsentDay: string;
}

/** A pupil a roll call marked: `absentUnexcused` counts toward the absence rules. */
export interface MarkedPupil {
  id: string;
  name: string;
  absentUnexcused: boolean;
  /** Present or late: open alerts of the pupil end (back at school). */
  present: boolean;
}

/**
 * The absence rules on live data (BRIEF §4a): after each roll call, a pupil absent without leave for
 * the county's number of school days in a row (days without a roll call and excused days neither
 * break nor count) raises one alert per streak, told to the class's 班主任 and the school's leaders;
 * a pupil present again is back. The daily monitor raises its streaks here too (`raiseAlert`): one
 * row, one message per streak, whichever sees it first. The family-contact and report steps move
 * an alert along (`markContacted`, `markReported`, `markBack`).
 */
@Injectable()
export class AbsenceAlerts implements PupilChangeFollower {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly attendance: AttendanceService,
    private readonly cases: CasesService,
    private readonly caseHandling: CaseHandlingService,
    private readonly notifications: NotificationsService,
    private readonly classes: ClassRecords,
    private readonly children: ChildRecords,
  ) {}

  /**
   * The rules after a class's roll call of `day` (run after it committed): pupils present end their
   * alerts; each absent without leave whose streak reached the county's limit raises an alert (once
   * per streak); a returned child's case reopens after the relapse limit. Returns the new alerts.
   */
  async afterRollCall(
    countyCode: string,
    schoolClass: SchoolClassRef,
    day: string,
    pupils: MarkedPupil[],
    calendar: SchoolCalendar,
  ): Promise<number> {
    const now = this.clock.now();
    const present = pupils.filter((p) => p.present).map((p) => p.id);
    const absent = pupils.filter((p) => p.absentUnexcused);
    if (present.length)
      await this.dataSource.manager.update(
        AbsenceAlert,
        { childId: In(present), status: In(FOLLOWED) },
        { status: 'back', updatedAt: now },
      );
    if (!absent.length) return 0;
    const settings = await this.cases.settingsOf(countyCode);
    const streaks = await this.attendance.unexcusedStreaksOfClass(
      this.dataSource.manager,
      schoolClass,
      absent.map((p) => p.id),
      day,
      calendar,
    );
    let raised = 0;
    for (const pupil of absent) {
      const { streak, streakStart } = streaks.get(pupil.id)!;
      if (streak < settings.absenceReportDays || !streakStart) continue;
      const created = await this.raiseAlert({
        countyCode,
        ...schoolClass,
        childId: pupil.id,
        childName: pupil.name,
        streak,
        streakStart,
        lastAbsentDay: day,
      });
      if (created) raised++;
    }
    await transactionWithRetry(this.dataSource, (manager) =>
      this.caseHandling.checkRelapses(
        manager,
        absent.map((p) => p.id),
      ),
    );
    return raised;
  }

  /**
   * One alert per streak (the unique key on child and first day decides, after a roll call or in the
   * daily monitor): a new one is told to the class's 班主任 and the school's leaders (a school that
   * named neither: all its staff); a known one grows with the streak. True when new.
   */
  async raiseAlert(alert: StreakAlert): Promise<boolean> {
    return transactionWithRetry(this.dataSource, (manager) => this.raise(manager, alert));
  }

  private async raise(manager: EntityManager, alert: StreakAlert): Promise<boolean> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    const { childName, ...row } = alert;
    await manager
      .createQueryBuilder()
      .insert()
      .into(AbsenceAlert)
      .values({ id, ...row, status: 'open', caseId: null, createdAt: now, updatedAt: now })
      .orIgnore()
      .execute();
    const stored = await manager.findOneByOrFail(AbsenceAlert, { childId: alert.childId, streakStart: alert.streakStart });
    if (stored.id !== id) {
      if (stored.streak < alert.streak)
        await manager.update(AbsenceAlert, { id: stored.id }, { streak: alert.streak, lastAbsentDay: alert.lastAbsentDay, updatedAt: now });
      return false;
    }
    const followers = [
      ...(await this.classes.teachersOf(manager, alert.schoolId, alert.grade, alert.className)),
      ...(await this.classes.schoolLeaders(manager, alert.schoolId)),
    ];
    const recipients = followers.length ? followers : await schoolStaff(manager, alert.schoolId);
    await this.notifications.notify(manager, recipients, {
      key: `absence-alert:${id}`,
      title: '学生连续缺勤，请联系家长',
      body: `${classLabel(alert.grade, alert.className)}${childName}已连续${alert.streak}个上学日未请假缺勤，请当天联系家长了解情况并登记。`,
      link: pageLink('schoolPupil', { id: alert.childId }),
    });
    return true;
  }

  /** The school reached the family: the child's latest followed alert is `contacted`. */
  async markContacted(manager: EntityManager, childId: string): Promise<void> {
    await this.moveLatest(manager, childId, { status: 'contacted' }, ['open']);
  }

  /** The school reported the child (a case): the latest followed alert is `reported`, with the case. */
  async markReported(manager: EntityManager, childId: string, caseId: string): Promise<void> {
    await this.moveLatest(manager, childId, { status: 'reported', caseId }, FOLLOWED);
  }

  /** The child is back at school: the latest followed alert is `back`. */
  async markBack(manager: EntityManager, childId: string): Promise<void> {
    await this.moveLatest(manager, childId, { status: 'back' }, FOLLOWED);
  }

  /** A pupil who left by an effective 学籍异动 (休学, moved away) is no longer followed for absence. */
  async pupilLeft(manager: EntityManager, childId: string): Promise<void> {
    await manager.update(AbsenceAlert, { childId, status: In(FOLLOWED) }, { status: 'back', updatedAt: this.clock.now() });
  }

  private async moveLatest(
    manager: EntityManager,
    childId: string,
    values: Partial<Pick<AbsenceAlert, 'status' | 'caseId'>>,
    from: AlertStatus[],
  ): Promise<void> {
    const latest = await manager.findOne(AbsenceAlert, { where: { childId, status: In(FOLLOWED) }, order: { streakStart: 'DESC' } });
    if (!latest || !from.includes(latest.status)) return;
    await manager.update(AbsenceAlert, { id: latest.id, status: latest.status }, { ...values, updatedAt: this.clock.now() });
  }

  /** The alerts the caller follows: a 班主任 their classes', a school leader the school's; newest first. */
  async list(caller: Caller, query: { cursor?: string; limit: number; status?: AlertStatus }) {
    requireRecordAccess(caller, 'read_absence_alert');
    const manager = this.dataSource.manager;
    const qb = applyScope(manager.createQueryBuilder(AbsenceAlert, 'a'), caller, 'read_absence_alert', ALERT_SCOPE)
      .orderBy('a.id', 'DESC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('a.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.views(manager, page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** How many alerts the caller still follows (the school home's count). */
  async followedCount(caller: Caller): Promise<number> {
    return applyScope(this.dataSource.manager.createQueryBuilder(AbsenceAlert, 'a'), caller, 'read_absence_alert', ALERT_SCOPE)
      .andWhere('a.status IN (:...followed)', { followed: FOLLOWED })
      .getCount();
  }

  /** A child's alerts at a school, newest first (the pupil's follow-up page). */
  async alertsOf(manager: EntityManager, childId: string, schoolId: string): Promise<AbsenceAlertView[]> {
    return this.views(manager, await manager.find(AbsenceAlert, { where: { childId, schoolId }, order: { streakStart: 'DESC' } }));
  }

  async views(manager: EntityManager, alerts: AbsenceAlert[]): Promise<AbsenceAlertView[]> {
    if (!alerts.length) return [];
    const [childNames, contacts] = await Promise.all([
      this.children.namesOf(manager, [...new Set(alerts.map((a) => a.childId))]),
      manager
        .createQueryBuilder(FamilyContact, 'fc')
        .select('fc.alert_id', 'alertId')
        .addSelect('COUNT(*)', 'count')
        .where('fc.alert_id IN (:...ids)', { ids: alerts.map((a) => a.id) })
        .groupBy('fc.alert_id')
        .getRawMany<{ alertId: string; count: number | string }>(),
    ]);
    const contactCounts = new Map(contacts.map((c) => [c.alertId, Number(c.count)]));
    return alerts.map((a) => mapAbsenceAlert(a, { childNames, contactCounts }));
  }
}
