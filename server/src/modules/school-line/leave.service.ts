import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  LEAVE_KIND_LABELS,
  pageLink,
  schoolDaysBetween,
  type LeaveStatus,
  type LeaveView,
  type SchoolCalendar,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { leaveDecisionRequest, leaveListQuery, leaveRequestBody } from '@baoxue/shared';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, inReadScope } from '../../common/auth/scope';
import { takeTurn } from '../../common/quota/quota';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { transactionWithRetry } from '../../database/transaction';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { ChildRecords, type ChildRow } from '../children/child-records';
import { NotificationsService } from '../notifications/notifications.service';
import { UploadsService } from '../uploads/uploads.service';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { ClassRecords } from './class-records';
import { LeaveRequest } from './leave.entity';
import { leaveClassLabel, mapLeave } from './leave.mappers';

type LeaveInput = z.output<typeof leaveRequestBody>;
type LeaveDecision = z.output<typeof leaveDecisionRequest>;
type LeaveListQuery = z.output<typeof leaveListQuery>;

/** The longest leave one request may ask for, in calendar days after its first day. */
export const LEAVE_MAX_DAYS = 30;
/** Who decides leave reads it by its class (a 班主任) or its school (the leader). */
const LEAVE_SCOPE = { school: 'l.school_id', schoolClass: ['l.school_id', 'l.grade', 'l.class_name'] } as const;
/** Requests that hold their days: another request of the child may not overlap them. */
const HOLDING: readonly LeaveStatus[] = ['pending', 'approved'];

/** `11月23日`, short enough for a subscribe message's fields. */
function shortDay(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

function daysLabel(fromDay: string, toDay: string): string {
  return fromDay === toDay ? shortDay(fromDay) : `${shortDay(fromDay)}至${shortDay(toDay)}`;
}

/** The school days between two days, inclusive. */
function countSchoolDays(fromDay: string, toDay: string, calendar: SchoolCalendar): number {
  return schoolDaysBetween(fromDay, toDay, calendar).length;
}

/**
 * 请假 (BRIEF §4a): a bound parent asks for leave for days ahead or today; the class's 班主任 (or
 * the school's leader) approves or refuses with a note; the parent is told in the app and by a
 * subscribe message. Approved days are excused: the roll call presets them (`LeaveRecords`), and
 * absences already recorded on them become excused. A child's requests take turns on a claim row,
 * so two overlapping requests sent at once cannot both be stored.
 */
@Injectable()
export class LeaveService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly uploads: UploadsService,
    private readonly childRecords: ChildRecords,
    private readonly userRecords: UserRecords,
    private readonly classRecords: ClassRecords,
    private readonly calendars: SchoolCalendars,
  ) {}

  /** 201 for a new request; the same `clientKey` again answers with the stored one (`created: false`). */
  async create(caller: Caller, input: LeaveInput): Promise<{ leave: LeaveView; created: boolean }> {
    const manager = this.dataSource.manager;
    // the child first (not the caller's: not found), then the key: a replay answers with what it stored
    const child = await this.boundChild(manager, caller, input.childId);
    requireRecordAccess(caller, 'request_leave', { guardian: true, countyCode: child.countyCode ?? undefined });
    const earlier = await this.byClientKey(manager, caller, input.clientKey);
    if (earlier) return { leave: await this.view(manager, earlier), created: false };
    if (!child.schoolId || !child.grade || !child.className || !child.countyCode)
      throw AppError.invalid({ childId: '孩子还不在学校的学籍名册上（没有学校和班级），请先联系学校登记，再在这里请假' });
    const today = chinaDay(this.clock.now());
    if (input.fromDay < today) throw AppError.invalid({ fromDay: '不能为已经过去的日子请假，最早从今天开始' });
    if (input.toDay > addDays(input.fromDay, LEAVE_MAX_DAYS))
      throw AppError.invalid({ toDay: `一次最多请${LEAVE_MAX_DAYS}天假，请分开申请` });
    const calendar = await this.calendarOf(manager, child.countyCode);
    if (countSchoolDays(input.fromDay, input.toDay, calendar) === 0) throw AppError.invalid({ fromDay: '所选日期都不上课，无需请假' });

    const leave: LeaveRequest = {
      id: newId(),
      countyCode: child.countyCode,
      schoolId: child.schoolId,
      childId: child.id,
      grade: child.grade,
      className: child.className,
      kind: input.kind,
      fromDay: input.fromDay,
      toDay: input.toDay,
      reason: input.reason,
      photoUploadId: input.photoUploadId,
      status: 'pending',
      requestedBy: caller.userId,
      clientKey: input.clientKey,
      requestedAt: this.clock.now(),
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
    };
    let stored: LeaveRequest | null;
    try {
      stored = await transactionWithRetry(this.dataSource, async (tx) => {
        // the child's requests take turns here: the checks below then see every committed one
        await takeTurn(tx, `leave:${child.id}`);
        const again = await this.byClientKey(tx, caller, input.clientKey);
        if (again) return again;
        const overlapping = await tx
          .createQueryBuilder(LeaveRequest, 'l')
          .where({ childId: child.id, status: In([...HOLDING]) })
          .andWhere('l.from_day <= :toDay AND l.to_day >= :fromDay', { fromDay: input.fromDay, toDay: input.toDay })
          .getOne();
        if (overlapping)
          throw new AppError('LEAVE_OVERLAP', undefined, {
            fromDay: `与${daysLabel(overlapping.fromDay, overlapping.toDay)}的请假（${overlapping.status === 'approved' ? '已批准' : '待审批'}）重叠`,
          });
        if (input.photoUploadId) await this.uploads.attach(tx, input.photoUploadId, caller.userId, 'leave_note', leave.id, 'photoUploadId');
        await tx.insert(LeaveRequest, leave);
        await this.audit.record(
          caller,
          {
            action: 'leave.request',
            targetType: 'leave',
            targetId: leave.id,
            childId: child.id,
            placeCode: child.villageCode ?? child.countyCode,
          },
          tx,
        );
        await this.notifications.notify(tx, await this.deciders(tx, leave), {
          key: `leave:${leave.id}`,
          title: '有家长请假待审批',
          body: `${child.name}（${leaveClassLabel(leave.grade, leave.className)}）请${LEAVE_KIND_LABELS[leave.kind]}：${daysLabel(leave.fromDay, leave.toDay)}。事由：${leave.reason}`,
          link: pageLink('schoolLeave'),
        });
        return null;
      });
    } catch (error) {
      // the same submission sent twice at once: the first stored it, the second answers with it
      stored = isDuplicateKey(error) ? await this.byClientKey(manager, caller, input.clientKey) : null;
      if (!stored) throw error;
    }
    if (stored) return { leave: await this.view(manager, stored), created: false };
    return { leave: await this.view(manager, leave, child.name), created: true };
  }

  /** The requests for the caller's bound children, newest first. */
  async mine(caller: Caller, query: { cursor?: string; limit: number }) {
    const manager = this.dataSource.manager;
    const childIds = await this.childRecords.childIdsBoundTo(manager, caller.userId);
    if (!childIds.length) return { items: [], nextCursor: null };
    const qb = manager
      .createQueryBuilder(LeaveRequest, 'l')
      .where({ childId: In(childIds) })
      .orderBy('l.id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('l.id < :cursorId', { cursorId: id });
    }
    return this.page(manager, await qb.getMany(), query.limit);
  }

  /** A 班主任's classes' requests, a leader's whole school's; pending first, then newest. */
  async list(caller: Caller, query: LeaveListQuery) {
    const manager = this.dataSource.manager;
    const qb = applyScope(manager.createQueryBuilder(LeaveRequest, 'l'), caller, 'read_leave', LEAVE_SCOPE)
      .orderBy('l.id', 'DESC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('l.status = :status', { status: query.status });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('l.id < :cursorId', { cursorId: id });
    }
    return this.page(manager, await qb.getMany(), query.limit);
  }

  /** A parent takes back a request still waiting, or an approved one whose first day has not come. */
  async withdraw(caller: Caller, id: string): Promise<LeaveView> {
    const manager = this.dataSource.manager;
    const leave = await manager.findOneBy(LeaveRequest, { id });
    if (!leave || !(await this.childRecords.isBoundParent(manager, leave.childId, caller.userId))) throw AppError.notFound();
    requireRecordAccess(caller, 'request_leave', { guardian: true });
    const today = chinaDay(this.clock.now());
    await transactionWithRetry(this.dataSource, async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(LeaveRequest)
        .set({ status: 'withdrawn' })
        .where("id = :id AND (status = 'pending' OR (status = 'approved' AND from_day > :today))", { id, today })
        .execute();
      if (result.affected !== 1) throw new AppError('LEAVE_NOT_WITHDRAWABLE');
      await this.audit.record(caller, { action: 'leave.withdraw', targetType: 'leave', targetId: id, childId: leave.childId }, tx);
    });
    return this.view(manager, await manager.findOneByOrFail(LeaveRequest, { id }));
  }

  /**
   * The class's 班主任 or the school's leader approves or refuses a pending request, once: two
   * decisions at the same time cannot both win (a conditional update; the loser gets 409).
   */
  async decide(caller: Caller, id: string, input: LeaveDecision): Promise<LeaveView> {
    const manager = this.dataSource.manager;
    const leave = await manager.findOneBy(LeaveRequest, { id });
    if (!leave) throw AppError.notFound();
    const teaches = await this.teaches(manager, caller, leave);
    if (!inReadScope(caller, 'read_leave', { school: leave.schoolId, classTeacher: teaches })) throw AppError.notFound();
    requireRecordAccess(caller, 'decide_leave', { schoolId: leave.schoolId, countyCode: leave.countyCode, classTeacher: teaches });
    if (leave.status !== 'pending') throw new AppError('LEAVE_DECIDED');
    const status: LeaveStatus = input.approve ? 'approved' : 'refused';
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(LeaveRequest)
        .set({ status, decidedBy: caller.userId, decidedAt: now, decisionNote: input.note })
        .where("id = :id AND status = 'pending'", { id })
        .execute();
      if (result.affected !== 1) throw new AppError('LEAVE_DECIDED');
      // absences the roll call already marked on the covered days are excused from now on
      if (input.approve) await this.childRecords.excuseAbsences(tx, leave.childId, leave.fromDay, leave.toDay);
      const child = await this.childRecords.getById(tx, leave.childId);
      await this.audit.record(
        caller,
        {
          action: input.approve ? 'leave.approve' : 'leave.refuse',
          targetType: 'leave',
          targetId: id,
          childId: leave.childId,
          placeCode: child.villageCode ?? child.countyCode,
        },
        tx,
      );
      const guardians = (await this.childRecords.guardiansOf(tx, [leave.childId])).map((g) => g.userId);
      const days = daysLabel(leave.fromDay, leave.toDay);
      await this.notifications.notify(tx, guardians, {
        key: `leave-decided:${id}`,
        title: input.approve ? '请假已批准' : '请假未获批准',
        body: input.approve
          ? `${child.name}${days}的${LEAVE_KIND_LABELS[leave.kind]}已批准。${input.note ?? ''}`.trim()
          : `${child.name}${days}的${LEAVE_KIND_LABELS[leave.kind]}未获批准：${input.note ?? '请联系班主任'}。请按时送孩子上学。`,
        link: pageLink('parentLeave'),
        // a subscribe message leaves the product (WeChat's servers, the phone's lock screen): the
        // child and the days only — not the kind of leave (病假 is health data) nor the teacher's
        // free-text note, which the parent reads in the app
        wechat: {
          template: 'leave_decided',
          values: {
            thing1: child.name,
            thing2: `${days}请假`,
            phrase3: input.approve ? '已批准' : '未批准',
            thing4: input.approve ? '详情请在小程序中查看' : '请按时送孩子上学，详情见小程序',
          },
        },
      });
    });
    return this.view(manager, await manager.findOneByOrFail(LeaveRequest, { id }));
  }

  /** A parent's child: bound to them (not merged away); anyone else's reads as not found. */
  private async boundChild(manager: EntityManager, caller: Caller, childId: string): Promise<ChildRow> {
    if (!(await this.childRecords.isBoundParent(manager, childId, caller.userId))) throw AppError.notFound();
    const [child] = await this.childRecords.findByIds(manager, [childId]);
    if (!child || child.mergedIntoId) throw AppError.notFound();
    return child;
  }

  private async byClientKey(manager: EntityManager, caller: Caller, clientKey: string): Promise<LeaveRequest | null> {
    return manager.findOneBy(LeaveRequest, { requestedBy: caller.userId, clientKey });
  }

  /** Whether the caller is a 班主任 of the request's class. */
  private async teaches(manager: EntityManager, caller: Caller, leave: LeaveRequest): Promise<boolean> {
    if (caller.unit?.kind !== 'school' || caller.unit.schoolId !== leave.schoolId) return false;
    return this.classRecords.teachesClass(manager, caller.userId, leave.schoolId, leave.grade, leave.className);
  }

  /** The class's 班主任; a class without one: the school's leaders. */
  private async deciders(manager: EntityManager, leave: LeaveRequest): Promise<string[]> {
    const teachers = await this.classRecords.teachersOf(manager, leave.schoolId, leave.grade, leave.className);
    return teachers.length ? teachers : this.classRecords.schoolLeaders(manager, leave.schoolId);
  }

  /** The county's school calendar (the national schedule with the county's own days). */
  private calendarOf(manager: EntityManager, countyCode: string): Promise<SchoolCalendar> {
    return this.calendars.of(manager, countyCode);
  }

  private async page(manager: EntityManager, rows: LeaveRequest[], limit: number) {
    const page = rows.slice(0, limit);
    return {
      items: await this.views(manager, page),
      nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  private async view(manager: EntityManager, row: LeaveRequest, childName?: string): Promise<LeaveView> {
    const [view] = await this.views(manager, [row], childName);
    return view!;
  }

  private async views(manager: EntityManager, rows: LeaveRequest[], childName?: string): Promise<LeaveView[]> {
    if (!rows.length) return [];
    const [childNames, userNames] = await Promise.all([
      childName ? new Map([[rows[0]!.childId, childName]]) : this.childRecords.namesOf(manager, [...new Set(rows.map((r) => r.childId))]),
      this.userRecords.displayNames(manager, [...new Set(rows.map((r) => r.decidedBy).filter((u): u is string => !!u))]),
    ]);
    const calendars = new Map<string, SchoolCalendar>();
    const schoolDays = new Map<string, number>();
    for (const row of rows) {
      if (!calendars.has(row.countyCode)) calendars.set(row.countyCode, await this.calendarOf(manager, row.countyCode));
      schoolDays.set(row.id, countSchoolDays(row.fromDay, row.toDay, calendars.get(row.countyCode)!));
    }
    const photoUrl = (uploadId: string) => this.uploads.signedUrl(uploadId);
    return rows.map((row) => mapLeave(row, { childNames, userNames, schoolDays, photoUrl }));
  }
}
