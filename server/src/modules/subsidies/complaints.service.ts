import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  COMPLAINT_ACTIONS,
  COMPLAINT_STATUSES,
  COMPLAINT_TRANSITIONS,
  countySettings,
  nextComplaintStatus,
  pageLink,
  parseSemesterKey,
  semesterSchoolYear,
  type ComplaintStatus,
  type ComplaintTransition,
  type ComplaintView,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, inReadScope, readsBoundChildren } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { countyAdmins } from '../accounts/recipients';
import { AuditService } from '../audit/audit.service';
import { assertGuardian, boundChildIds, isGuardianOf } from '../children/child-access';
import { ChildRecords } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { schoolNamesOf, userNamesOf } from '../children/lookups';
import { DivisionRecords } from '../divisions/division-records';
import { NotificationsService } from '../notifications/notifications.service';
import { SchoolRecords } from '../schools/school-records';
import { countyOfChild } from './pupil-lookup';
import { SubsidyComplaint, SubsidyComplaintEvent, SubsidyEligibilityRow, SubsidyPayment } from './subsidy.entities';
import { mapComplaint, OPEN_COMPLAINT_STATUSES, SUBSIDY_OFFICE } from './subsidy.mappers';
import { transactionWithRetry } from '../../database/transaction';

const DAY = 24 * 3_600_000;
/**
 * 资助投诉: a guardian complains about a payment or a semester's entitlement; the county's
 * student-aid office (its county admins) accepts and answers it in the app, within a time limit;
 * the guardian sees the answer and closes it or raises it again. Every step is on the timeline.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly registry: ChildRegistry,
    private readonly childRecords: ChildRecords,
    private readonly schoolRecords: SchoolRecords,
    private readonly divisionRecords: DivisionRecords,
  ) {}

  /** The county's time to answer (时限与规则), from its settings: each county sets its own. */
  private async answerDays(manager: EntityManager, countyCode: string): Promise<number> {
    return countySettings((await this.divisionRecords.servedCounty(manager, countyCode))?.settings).complaintAnswerDays;
  }

  async create(
    caller: Caller,
    input: { childId: string; paymentId: string | null; semester: string | null; text: string },
  ): Promise<ComplaintView> {
    const manager = this.dataSource.manager;
    // a link to a record merged since leads to the child's surviving record
    const childId = (await this.registry.current(manager, input.childId))?.id ?? input.childId;
    await assertGuardian(manager, caller.userId, childId);
    const child = await this.childRecords.getById(manager, childId);
    let semester = input.semester;
    if (input.paymentId) {
      const payment = await manager.findOneBy(SubsidyPayment, { id: input.paymentId });
      if (!payment || payment.childId !== child.id) throw AppError.invalid({ paymentId: '找不到这笔发放记录' });
      semester = payment.semester;
    } else if (
      !(await manager.existsBy(SubsidyEligibilityRow, { childId: child.id, schoolYear: semesterSchoolYear(parseSemesterKey(semester!)!) }))
    ) {
      throw AppError.invalid({ semester: '该学期没有资助认定记录，请联系学校核实资助资格' });
    }
    const county = await countyOfChild(this.schoolRecords, manager, child);
    if (!county) throw AppError.invalid({ childId: '无法确定孩子所在的县，请联系学校' });
    const now = this.clock.now();
    const answerDays = await this.answerDays(manager, county);
    const complaint: SubsidyComplaint = {
      id: newId(now.getTime()),
      childId: child.id,
      countyCode: county,
      raisedBy: caller.userId,
      paymentId: input.paymentId,
      semester: semester!,
      text: input.text,
      status: 'open',
      version: 1,
      createdAt: now,
      dueAt: new Date(now.getTime() + answerDays * DAY),
      handlerId: null,
      answer: null,
      answeredAt: null,
      closedAt: null,
    };
    await transactionWithRetry(this.dataSource, async (tx) => {
      await tx.insert(SubsidyComplaint, complaint);
      await this.event(tx, complaint.id, caller.userId, 'parent', 'submitted', input.text);
      await this.audit.record(
        caller,
        {
          action: 'subsidy.complaint.create',
          targetType: 'subsidy_complaint',
          targetId: complaint.id,
          childId: complaint.childId,
          placeCode: child.villageCode ?? county,
        },
        tx,
      );
      const office = await countyAdmins(tx, county);
      await this.notifications.notify(tx, office, {
        key: `complaint:${complaint.id}`,
        title: '新的学生资助投诉',
        body: `家长反映${child.name}的资助问题，请在${answerDays}天内答复。`,
        link: pageLink('countyComplaint', { id: complaint.id }),
      });
    });
    return this.view(manager, complaint, caller);
  }

  /** Complaints about the caller's bound children, newest first. */
  async mine(caller: Caller): Promise<{ items: ComplaintView[] }> {
    const manager = this.dataSource.manager;
    const childIds = await boundChildIds(manager, caller.userId);
    if (!childIds.length) return { items: [] };
    const rows = await manager.find(SubsidyComplaint, { where: { childId: In(childIds) }, order: { createdAt: 'DESC' }, take: 200 });
    return { items: await Promise.all(rows.map((c) => this.view(manager, c, caller))) };
  }

  async list(caller: Caller, query: { cursor?: string; limit: number; status?: ComplaintStatus; overdue?: 'true' | 'false' }) {
    const county = requireCountyAccess(caller, 'read_complaint');
    const now = this.clock.now();
    const manager = this.dataSource.manager;
    const base = () => applyScope(manager.createQueryBuilder(SubsidyComplaint, 'c'), caller, 'read_complaint', { county: 'c.county_code' });
    const qb = base()
      .orderBy('c.id', 'DESC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.overdue === 'true') qb.andWhere('c.status IN (:...open) AND c.due_at < :now', { open: OPEN_COMPLAINT_STATUSES, now });
    if (query.overdue === 'false') qb.andWhere('NOT (c.status IN (:...open) AND c.due_at < :now)', { open: OPEN_COMPLAINT_STATUSES, now });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('c.id < :cursorId', { cursorId: id });
    }
    const [rows, overdueCount] = await Promise.all([
      qb.getMany(),
      base().andWhere('c.status IN (:...open) AND c.due_at < :now', { open: OPEN_COMPLAINT_STATUSES, now }).getCount(),
    ]);
    const page = rows.slice(0, query.limit);
    await this.audit.record(caller, {
      action: 'subsidy.complaints.list',
      targetType: 'county',
      targetId: county,
      placeCode: county,
      details: { rows: page.length },
    });
    return {
      items: await Promise.all(page.map((c) => this.view(manager, c, caller))),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      overdueCount,
    };
  }

  async get(caller: Caller, id: string): Promise<ComplaintView> {
    const complaint = await this.visible(caller, id);
    if (caller.role !== 'parent')
      await this.audit.record(caller, {
        action: 'subsidy.complaint.read',
        targetType: 'subsidy_complaint',
        targetId: id,
        childId: complaint.childId,
        placeCode: complaint.countyCode,
      });
    return this.view(this.dataSource.manager, complaint, caller);
  }

  async transition(
    caller: Caller,
    id: string,
    input: { transition: ComplaintTransition; version: number; text: string | null },
  ): Promise<ComplaintView> {
    const complaint = await this.visible(caller, id);
    const side = caller.role === 'parent' ? 'parent' : 'county';
    const status = nextComplaintStatus(complaint.status, input.transition);
    const rule = COMPLAINT_TRANSITIONS[input.transition];
    if (!status)
      throw new AppError('COMPLAINT_STEP_OUT_OF_ORDER', `投诉当前为“${COMPLAINT_STATUSES[complaint.status]}”，不能${rule.label}`);
    // visible() found the parent a guardian of the child, or the county admin of its county
    requireRecordAccess(caller, COMPLAINT_ACTIONS[input.transition], { countyCode: complaint.countyCode, guardian: side === 'parent' });
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (tx) => {
      const changes: Partial<SubsidyComplaint> = { status, version: complaint.version + 1 };
      if (input.transition === 'accept') changes.handlerId = caller.userId;
      if (input.transition === 'answer')
        Object.assign(changes, { answer: input.text, answeredAt: now, handlerId: complaint.handlerId ?? caller.userId });
      if (input.transition === 'reopen') changes.dueAt = new Date(now.getTime() + (await this.answerDays(tx, complaint.countyCode)) * DAY);
      if (input.transition === 'close') changes.closedAt = now;
      const result = await tx
        .createQueryBuilder()
        .update(SubsidyComplaint)
        .set(changes)
        .where('id = :id AND version = :version', { id, version: input.version })
        .execute();
      if (result.affected !== 1) {
        const current = await tx.findOneByOrFail(SubsidyComplaint, { id });
        throw AppError.conflict('投诉已有新的处理，以下是最新情况，请确认后重试', await this.view(tx, current, caller));
      }
      await this.event(tx, id, caller.userId, side, input.transition, input.text);
      await this.audit.record(
        caller,
        {
          action: `subsidy.complaint.${input.transition}`,
          targetType: 'subsidy_complaint',
          targetId: id,
          childId: complaint.childId,
          placeCode: complaint.countyCode,
        },
        tx,
      );
      const child = await this.childRecords.getById(tx, complaint.childId);
      if (input.transition === 'answer' || (input.transition === 'close' && side === 'county')) {
        const guardians = (await this.childRecords.guardiansOf(tx, [complaint.childId])).map((g) => g.userId);
        await this.notifications.notify(tx, guardians, {
          key: `complaint-${input.transition}:${id}:${now.getTime()}`,
          title: input.transition === 'answer' ? '资助投诉已答复' : '资助投诉已办结',
          body: `您反映的${child.name}的资助问题，${SUBSIDY_OFFICE}${input.transition === 'answer' ? '已答复，请在小程序中查看' : '已办结'}。`,
          link: pageLink('parentComplaint', { id }),
        });
      }
      if (input.transition === 'reopen') {
        const office = await countyAdmins(tx, complaint.countyCode);
        await this.notifications.notify(tx, [...new Set([...(complaint.handlerId ? [complaint.handlerId] : []), ...office])], {
          key: `complaint-reopen:${id}:${now.getTime()}`,
          title: '家长对资助投诉的答复仍有疑问',
          body: input.text ?? '',
          link: pageLink('countyComplaint', { id }),
        });
      }
    });
    return this.view(this.dataSource.manager, await this.dataSource.manager.findOneByOrFail(SubsidyComplaint, { id }), caller);
  }

  /** A guardian's own child's complaint, or one of the county admin's county (`read_complaint`); anything else is not found. */
  private async visible(caller: Caller, id: string): Promise<SubsidyComplaint> {
    const manager = this.dataSource.manager;
    const complaint = await manager.findOneBy(SubsidyComplaint, { id });
    if (!complaint) throw AppError.notFound();
    const guardian = readsBoundChildren(caller, 'read_complaint') && (await isGuardianOf(manager, caller.userId, complaint.childId));
    if (!inReadScope(caller, 'read_complaint', { county: complaint.countyCode, guardian })) throw AppError.notFound();
    return complaint;
  }

  private async event(
    manager: EntityManager,
    complaintId: string,
    actorId: string,
    side: 'parent' | 'county',
    kind: SubsidyComplaintEvent['kind'],
    text: string | null,
  ): Promise<void> {
    await manager.insert(SubsidyComplaintEvent, { id: newId(), complaintId, at: this.clock.now(), actorId, side, kind, text });
  }

  private async view(manager: EntityManager, complaint: SubsidyComplaint, caller: Caller): Promise<ComplaintView> {
    const [child, payment, events] = await Promise.all([
      this.childRecords.getById(manager, complaint.childId),
      complaint.paymentId ? manager.findOneBy(SubsidyPayment, { id: complaint.paymentId }) : Promise.resolve(null),
      manager.find(SubsidyComplaintEvent, { where: { complaintId: complaint.id }, order: { at: 'ASC', id: 'ASC' } }),
    ]);
    const [schools, names] = await Promise.all([
      schoolNamesOf(manager, [child.schoolId]),
      // officials are named to the office, never to parents
      caller.role === 'parent'
        ? Promise.resolve(new Map<string, string>())
        : userNamesOf(
            manager,
            events.map((e) => e.actorId),
          ),
    ]);
    return mapComplaint(
      complaint,
      { child, payment, events },
      { schoolNames: schools, userNames: names },
      { side: caller.role === 'parent' ? 'parent' : 'county', now: this.clock.now() },
    );
  }
}
