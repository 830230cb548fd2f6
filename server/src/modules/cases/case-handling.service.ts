import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  endOfChinaDay,
  ESCALATION_ORDER,
  gradeLabel,
  gradesOfStage,
  isOpenCase,
  NOT_DROPOUT_REASONS,
  pageLink,
  SCHOOL_STAGE_LABELS,
  schoolDaysFrom,
  type AttendanceSummary,
  type CaseDetail,
  type CaseTransition,
  type caseTransitionRequest,
  type DropoutCause,
  type logVisitRequest,
  type NoticeView,
  type TransferView,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { readScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { transactionWithRetry } from '../../database/transaction';
import { schoolStaff, townshipLeaders } from '../accounts/recipients';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { AttendanceService } from '../children/attendance.service';
import { ChildRecords } from '../children/child-records';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { SchoolRecords } from '../schools/school-records';
import { CaseNotice, CaseRecheck, CaseTransfer, CaseVisit, DropoutCase } from './case.entity';
import { mapNotice } from './case.mappers';
import { requireAccess } from './case-policy';
import { CaseTips } from './case-tips';
import { CaseViewsService } from './case-views.service';
import { CasesService } from './cases.service';
import { returnNoticeText } from './notice-text';

type TransitionInput = z.output<typeof caseTransitionRequest>;
type VisitInput = z.output<typeof logVisitRequest>;

const DAY = 24 * 3_600_000;
const TRANSITION_LABELS: Record<CaseTransition, string> = {
  accept: '受理',
  start_verification: '开始核查',
  close_not_dropout: '按非辍学结案',
  confirm: '确认辍学',
  log_visit: '登记家访',
  escalate: '升级处理',
  record_return: '登记返校',
  close: '销号',
  reopen: '重新劝返',
};

/**
 * Handling a case from verification to 销号 (BRIEF §4): each step checks the state machine and who
 * the caller is to the case, records who, when, what and why on the timeline, and sets the next
 * deadline. Parents and the tipster hear of what concerns them.
 */
@Injectable()
export class CaseHandlingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly views: CaseViewsService,
    private readonly caseTips: CaseTips,
    private readonly attendance: AttendanceService,
    private readonly notifications: NotificationsService,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
    private readonly childRecords: ChildRecords,
    private readonly userRecords: UserRecords,
    private readonly schoolRecords: SchoolRecords,
    private readonly calendars: SchoolCalendars,
  ) {}

  async transition(caller: Caller, id: string, input: TransitionInput): Promise<CaseDetail> {
    const guard = (record: DropoutCase) => {
      // an impossible step is refused as such, whoever asks; then who may take it
      this.cases.next(record, input.transition, TRANSITION_LABELS[input.transition]);
      requireAccess(caller, input.transition, record);
    };
    return this.cases.mutate(
      caller,
      id,
      input.version,
      async (manager, record) => {
        const settings = await this.cases.settingsOf(record.countyCode, manager);
        const now = this.clock.now();
        switch (input.transition) {
          case 'start_verification': {
            const status = this.cases.next(record, 'start_verification', '开始核查');
            await this.cases.update(manager, record, { status });
            await this.cases.event(manager, record.id, caller.userId, 'verification_started', { note: input.note });
            return;
          }
          case 'close_not_dropout': {
            const status = this.cases.next(record, 'close_not_dropout', '按非辍学结案');
            if (input.reason === 'transferred') {
              // the receiving school confirms before the case closes
              const school = await this.schoolRecords.findById(manager, input.receivingSchoolId!);
              if (!school) throw AppError.invalid({ receivingSchoolId: '接收学校不存在' });
              if (!(await this.divisions.isServedCounty(school.countyCode, manager))) {
                throw AppError.invalid({ receivingSchoolId: '接收学校不在本系统服务的县内，请选择“已迁出本地”并上传转学证明' });
              }
              await this.cases.update(manager, record, {
                status: record.status === 'verifying' ? record.status : 'verifying',
                notDropoutReason: 'transferred',
                confirmingSchoolId: school.id,
                schoolId: school.id,
                ...this.cases.due('school_confirmation', now, settings),
              });
              await this.cases.event(manager, record.id, caller.userId, 'awaiting_school_confirmation', {
                schoolId: school.id,
                evidence: input.evidence,
              });
              await this.tellSchool(manager, record, school.id, '请确认转入学生已在校就读');
              return;
            }
            await this.cases.update(manager, record, {
              status,
              notDropoutReason: input.reason,
              closedAt: now,
              ...this.cases.due(null, now, settings),
            });
            await this.cases.event(manager, record.id, caller.userId, 'closed_not_dropout', {
              reason: input.reason,
              evidence: input.evidence,
            });
            await this.caseTips.announce(manager, record.id, 'unfounded', NOT_DROPOUT_REASONS[input.reason]);
            return;
          }
          case 'confirm': {
            const status = this.cases.next(record, 'confirm', '确认辍学');
            await this.cases.update(manager, record, {
              status,
              causes: input.causes,
              confirmedAt: now,
              ...this.cases.due('first_visit', now, settings),
            });
            await this.cases.event(manager, record.id, caller.userId, 'confirmed', { note: input.note });
            return;
          }
          case 'escalate': {
            const status = this.cases.next(record, 'escalate', '升级处理');
            const taken = record.escalationSteps ?? [];
            if (taken.includes(input.step)) throw new AppError('CASE_ESCALATION_TAKEN');
            const expected = ESCALATION_ORDER.find((step) => !taken.includes(step));
            if (input.step !== expected)
              throw AppError.invalid({ step: '请按顺序采取升级措施：先发出书面通知，再批评教育、责令改正，最后移送司法' });
            if (input.step === 'written_notice' && !input.deadlineOn) throw AppError.invalid({ deadlineOn: '请填写限期返校日期' });
            if (input.deadlineOn && input.deadlineOn <= chinaDay(now)) throw AppError.invalid({ deadlineOn: '限期返校日期应晚于今天' });
            const due = input.deadlineOn
              ? { dueKind: 'notice_deadline' as const, dueAt: endOfChinaDay(input.deadlineOn), escalatedTo: null }
              : this.cases.due('notice', now, settings);
            await this.cases.update(manager, record, { status, escalationSteps: [...taken, input.step], ...due });
            await this.cases.event(manager, record.id, caller.userId, 'escalated', {
              step: input.step,
              note: input.note,
              deadlineOn: input.deadlineOn,
            });
            if (input.step === 'written_notice') await this.issueNotice(manager, caller, record, input.deadlineOn!);
            return;
          }
          case 'record_return': {
            const status = this.cases.next(record, 'record_return', '登记返校');
            const school = await this.schoolRecords.findById(manager, input.schoolId);
            if (!school || school.countyCode !== record.countyCode) throw AppError.invalid({ schoolId: '请选择本县的一所学校' });
            if (!gradesOfStage(school.stage).includes(input.grade))
              throw AppError.invalid({ grade: `${SCHOOL_STAGE_LABELS[school.stage]}没有${gradeLabel(input.grade)}，请重新选择年级` });
            if (input.returnedOn > chinaDay(now)) throw AppError.invalid({ returnedOn: '返校日期不能晚于今天' });
            await this.cases.update(manager, record, {
              status,
              returnedOn: input.returnedOn,
              returnSchoolId: school.id,
              returnGrade: input.grade,
              placement: input.placement,
              schoolId: school.id,
              // the 销号 window counts the county's school days from the return
              ...this.cases.due(
                'attendance',
                endOfChinaDay(input.returnedOn),
                settings,
                await this.calendars.of(manager, record.countyCode),
              ),
            });
            await this.cases.event(manager, record.id, caller.userId, 'returned', {
              schoolId: school.id,
              grade: input.grade,
              placement: input.placement,
            });
            await this.caseTips.announce(manager, record.id, 'returned', null);
            await this.tellSchool(manager, record, school.id, '有劝返学生到校，请每天登记出勤');
            return;
          }
          case 'close': {
            const status = this.cases.next(record, 'close', '销号');
            const summary = await this.attendance.summary(manager, record.childId, record.returnedOn, settings);
            if (!summary.satisfied) {
              throw new AppError(
                'CASE_ATTENDANCE_SHORT',
                `返校后前${settings.closeWindowDays}个上学日中需至少出勤${settings.closeMinPresentDays}天才能销号，目前出勤${summary.present}天`,
              );
            }
            await this.cases.update(manager, record, { status, closedAt: now, ...this.cases.due(null, now, settings) });
            await this.cases.event(manager, record.id, caller.userId, 'closed', { note: input.note });
            const today = chinaDay(now);
            const calendar = await this.calendars.of(manager, record.countyCode);
            for (const days of settings.recheckDays) {
              // is the child in class? asked on a school day (a re-check falling in a vacation waits for the term)
              const dueOn = addDays(today, days);
              await manager.insert(CaseRecheck, {
                id: newId(),
                caseId: record.id,
                dueOn: schoolDaysFrom(dueOn, 1, calendar)[0] ?? dueOn,
                doneAt: null,
                doneBy: null,
                result: null,
              });
            }
            await this.caseTips.announce(manager, record.id, 'closed', null);
            return;
          }
          case 'reopen': {
            await this.reopen(manager, record, caller.userId, 'reopened', { reason: input.reason });
            return;
          }
        }
      },
      guard,
    );
  }

  /** 家访劝返: one visit on the record; the first one after confirmation starts persuasion. */
  async logVisit(caller: Caller, id: string, input: VisitInput): Promise<CaseDetail> {
    const guard = (record: DropoutCase) => {
      this.cases.next(record, 'log_visit', '登记家访');
      requireAccess(caller, 'log_visit', record);
    };
    return this.cases.mutate(
      caller,
      id,
      input.version,
      async (manager, record) => {
        const status = this.cases.next(record, 'log_visit', '登记家访');
        const now = this.clock.now();
        if (input.visitedOn > chinaDay(now)) throw AppError.invalid({ visitedOn: '家访日期不能晚于今天' });
        const settings = await this.cases.settingsOf(record.countyCode, manager);
        const first = record.status === 'confirmed';
        await manager.insert(CaseVisit, { id: newId(), caseId: record.id, ...input, recordedBy: caller.userId, recordedAt: now });
        // after the first visit, the written notice is due within the notice period from confirmation
        const due = first
          ? {
              dueKind: 'notice' as const,
              dueAt: new Date((record.confirmedAt ?? now).getTime() + settings.noticeDays * DAY),
              escalatedTo: null,
            }
          : {};
        await this.cases.update(manager, record, { status, ...due });
        await this.cases.event(manager, record.id, caller.userId, 'visit_logged', { outcome: input.outcome });
        if (first) await this.caseTips.announce(manager, record.id, 'visited', null);
      },
      guard,
    );
  }

  async setCauses(caller: Caller, id: string, version: number, causes: DropoutCause[]): Promise<CaseDetail> {
    return this.cases.mutate(
      caller,
      id,
      version,
      async (manager, record) => {
        if (!isOpenCase(record.status)) throw new AppError('CASE_CLOSED');
        await this.cases.update(manager, record, { causes: [...new Set(causes)] });
        await this.cases.event(manager, record.id, caller.userId, 'causes_set', { causes: causes.join(',') });
      },
      (record) => requireAccess(caller, 'set_causes', record),
    );
  }

  async setAssignee(caller: Caller, id: string, version: number, assigneeId: string): Promise<CaseDetail> {
    return this.cases.mutate(
      caller,
      id,
      version,
      async (manager, record) => {
        if (!isOpenCase(record.status) || record.status === 'reported') throw new AppError('CASE_NOT_IN_PROGRESS');
        await this.cases.checkAssignee(manager, record, assigneeId);
        await this.cases.update(manager, record, { assigneeId });
        await this.cases.event(manager, record.id, caller.userId, 'assignee_changed', { assigneeId });
        await this.cases.tellAssignee(manager, record, assigneeId);
      },
      (record) => requireAccess(caller, 'set_assignee', record),
    );
  }

  /** The receiving school confirms a transferred child attends: the case closes as not a dropout. */
  async confirmEnrolment(caller: Caller, id: string): Promise<CaseDetail> {
    return this.cases.mutate(caller, id, undefined, async (manager, record) => {
      requireAccess(caller, 'confirm_enrolment', record);
      const now = this.clock.now();
      await this.cases.update(manager, record, {
        status: 'not_dropout',
        closedAt: now,
        confirmingSchoolId: null,
        dueAt: null,
        dueKind: null,
        escalatedTo: null,
      });
      await this.cases.event(manager, record.id, caller.userId, 'enrolment_confirmed', null);
      await this.cases.event(manager, record.id, caller.userId, 'closed_not_dropout', { reason: 'transferred' });
      await this.caseTips.announce(manager, record.id, 'unfounded', NOT_DROPOUT_REASONS.transferred);
    });
  }

  async attendanceOf(caller: Caller, id: string): Promise<AttendanceSummary> {
    const record = await this.cases.visible(caller, id);
    return this.attendance.summary(
      this.dataSource.manager,
      record.childId,
      record.returnedOn,
      await this.cases.settingsOf(record.countyCode),
    );
  }

  /** The school records a returned child's school days; a run of absences reopens the case. */
  async recordAttendance(
    caller: Caller,
    id: string,
    days: Array<{ day: string; present: boolean; excused: boolean }>,
  ): Promise<AttendanceSummary> {
    const record = await this.cases.visible(caller, id);
    requireAccess(caller, 'record_attendance', record);
    if (!record.returnedOn || !record.returnSchoolId) throw new AppError('CASE_NOT_RETURNED');
    const today = chinaDay(this.clock.now());
    days.forEach((d, i) => {
      if (d.day < record.returnedOn!) throw AppError.invalid({ [`days.${i}.day`]: '出勤日期不能早于返校日期' });
      if (d.day > today) throw AppError.invalid({ [`days.${i}.day`]: '出勤日期不能晚于今天' });
    });
    const settings = await this.cases.settingsOf(record.countyCode);
    await transactionWithRetry(this.dataSource, async (manager) => {
      await this.attendance.record(manager, record.childId, record.returnSchoolId!, days, caller.userId, 'school');
      await this.reopenIfRelapsed(manager, await manager.findOneByOrFail(DropoutCase, { id: record.id }), settings.relapseAbsenceDays);
    });
    return this.attendanceOf(caller, id);
  }

  /**
   * After a roll call marked these children absent without leave: the case of each one who had
   * returned (returned, or closed and being re-checked) reopens when the child is absent
   * `relapseAbsenceDays` school days in a row since the return. Returns how many reopened.
   */
  async checkRelapses(manager: EntityManager, childIds: string[]): Promise<number> {
    if (childIds.length === 0) return 0;
    const candidates = await manager.find(DropoutCase, {
      where: { childId: In(childIds), status: In(['returned', 'closed']) },
      order: { openedAt: 'DESC' },
    });
    const latest = new Map<string, DropoutCase>();
    for (const record of candidates) if (!latest.has(record.childId)) latest.set(record.childId, record);
    let reopened = 0;
    for (const record of latest.values()) {
      // a closed case stays closed when the child has another case open since
      if (record.status === 'closed' && (await manager.existsBy(DropoutCase, { openChildId: record.childId }))) continue;
      const settings = await this.cases.settingsOf(record.countyCode, manager);
      if (await this.reopenIfRelapsed(manager, record, settings.relapseAbsenceDays)) reopened++;
    }
    return reopened;
  }

  private async reopenIfRelapsed(manager: EntityManager, record: DropoutCase, days: number): Promise<boolean> {
    const relapsed =
      (record.status === 'returned' || record.status === 'closed') &&
      record.returnedOn !== null &&
      (await this.attendance.absentInARow(manager, record.childId, record.returnedOn, days));
    if (relapsed) await this.reopen(manager, record, null, 'relapse_detected', { days });
    return relapsed;
  }

  /** Sends a case to another township or school; it stays with the sender until accepted. */
  async transfer(
    caller: Caller,
    id: string,
    input: { version: number; toTownshipCode: string | null; toSchoolId: string | null; reason: string },
  ): Promise<CaseDetail> {
    return this.cases.mutate(
      caller,
      id,
      input.version,
      async (manager, record) => {
        if (!isOpenCase(record.status)) throw new AppError('CASE_CLOSED');
        if (await manager.existsBy(CaseTransfer, { caseId: record.id, status: 'pending' })) throw new AppError('CASE_TRANSFER_PENDING');
        if (input.toTownshipCode) {
          const ok =
            input.toTownshipCode.startsWith(record.countyCode.slice(0, 6)) && (await this.divisions.exists(input.toTownshipCode, manager));
          if (!ok || input.toTownshipCode.slice(9) !== '000' || input.toTownshipCode === record.townshipCode) {
            throw AppError.invalid({ toTownshipCode: '请选择本县的另一个乡镇' });
          }
        }
        if (input.toSchoolId) {
          const school = await this.schoolRecords.findById(manager, input.toSchoolId);
          if (!school || school.countyCode !== record.countyCode || school.id === record.schoolId)
            throw AppError.invalid({ toSchoolId: '请选择本县的另一所学校' });
        }
        const settings = await this.cases.settingsOf(record.countyCode, manager);
        const now = this.clock.now();
        const transfer = {
          id: newId(),
          caseId: record.id,
          toTownshipCode: input.toTownshipCode,
          toSchoolId: input.toSchoolId,
          reason: input.reason,
          requestedBy: caller.userId,
          requestedAt: now,
          dueAt: new Date(now.getTime() + settings.transferAcceptDays * DAY),
          status: 'pending' as const,
          escalatedAt: null,
          decidedBy: null,
          decidedAt: null,
          decisionNote: null,
        };
        await manager.insert(CaseTransfer, transfer);
        await this.cases.update(manager, record, {});
        await this.cases.event(manager, record.id, caller.userId, 'transfer_requested', { reason: input.reason });
        const recipients = input.toSchoolId
          ? await schoolStaff(manager, input.toSchoolId)
          : await townshipLeaders(manager, input.toTownshipCode!);
        await this.notifications.notify(manager, recipients, {
          key: `transfer:${transfer.id}`,
          title: '有案件移交给本单位',
          body: `案件${record.caseNumber}：请在${settings.transferAcceptDays}天内接收或说明理由拒绝。`,
          link: pageLink('officialCase', { id: record.id }),
        });
      },
      (record) => requireAccess(caller, 'transfer', record),
    );
  }

  async incomingTransfers(caller: Caller): Promise<{ items: TransferView[] }> {
    const where = this.receivingWhere(caller);
    if (!where) return { items: [] };
    const transfers = await this.dataSource.manager.find(CaseTransfer, {
      where: { ...where, status: 'pending' },
      order: { requestedAt: 'ASC' },
    });
    return { items: await this.views.transferViews(this.dataSource.manager, transfers, this.clock.now()) };
  }

  async acceptTransfer(caller: Caller, transferId: string): Promise<CaseDetail> {
    const transfer = await this.receivable(caller, transferId);
    const read = await this.dataSource.manager.findOneByOrFail(DropoutCase, { id: transfer.caseId });
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (manager) => {
      // each attempt on the case as read (the guarded update advances the copy's version)
      const record = Object.assign(new DropoutCase(), read);
      const claimed = await manager.update(
        CaseTransfer,
        { id: transfer.id, status: 'pending' },
        { status: 'accepted', decidedBy: caller.userId, decidedAt: now },
      );
      if (claimed.affected !== 1) throw new AppError('CASE_TRANSFER_DECIDED');
      if (transfer.toSchoolId) {
        await this.cases.update(manager, record, { schoolId: transfer.toSchoolId });
      } else {
        const child = await this.childRecords.getById(manager, record.childId);
        const township = transfer.toTownshipCode!;
        const villageCode = child.villageCode?.startsWith(township.slice(0, 9)) ? child.villageCode : null;
        await this.cases.update(manager, record, {
          townshipCode: township,
          villageCode,
          routingCode: villageCode ?? township,
          assigneeId: caller.role === 'official' ? caller.userId : null,
        });
      }
      await this.cases.event(manager, record.id, caller.userId, 'transfer_accepted', null);
    });
    // the receiver now sees the case
    return this.cases.get(caller, read.id);
  }

  async rejectTransfer(caller: Caller, transferId: string, note: string): Promise<TransferView> {
    const transfer = await this.receivable(caller, transferId);
    await transactionWithRetry(this.dataSource, async (manager) => {
      const claimed = await manager.update(
        CaseTransfer,
        { id: transfer.id, status: 'pending' },
        { status: 'rejected', decidedBy: caller.userId, decidedAt: this.clock.now(), decisionNote: note },
      );
      if (claimed.affected !== 1) throw new AppError('CASE_TRANSFER_DECIDED');
      await this.cases.event(manager, transfer.caseId, caller.userId, 'transfer_rejected', { note });
      await this.notifications.notify(manager, [transfer.requestedBy], {
        key: `transfer-rejected:${transfer.id}`,
        title: '移交被拒绝',
        body: note,
        link: pageLink('officialCase', { id: transfer.caseId }),
      });
    });
    const updated = await this.dataSource.manager.findOneByOrFail(CaseTransfer, { id: transfer.id });
    return (await this.views.transferViews(this.dataSource.manager, [updated], this.clock.now()))[0]!;
  }

  /** A notice no bound parent could receive in the app, handed over on paper. */
  async paperDelivery(caller: Caller, noticeId: string, input: { deliveredOn: string; receivedBy: string }): Promise<NoticeView> {
    const notice = await this.dataSource.manager.findOneBy(CaseNotice, { id: noticeId });
    if (!notice) throw AppError.notFound();
    const record = await this.cases.visible(caller, notice.caseId);
    requireAccess(caller, 'deliver_notice', record);
    if (notice.deliveredAt) throw new AppError('CASE_NOTICE_DELIVERED');
    const deliveredAt = endOfChinaDay(input.deliveredOn);
    if (deliveredAt.getTime() - DAY > this.clock.now().getTime()) throw AppError.invalid({ deliveredOn: '送达日期不能晚于今天' });
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.update(CaseNotice, { id: notice.id }, { delivery: 'paper', deliveredAt, receivedBy: input.receivedBy });
      await this.cases.event(manager, record.id, caller.userId, 'notice_paper_delivered', { receivedBy: input.receivedBy });
    });
    const child = await this.childRecords.getById(this.dataSource.manager, notice.childId);
    return mapNotice(await this.dataSource.manager.findOneByOrFail(CaseNotice, { id: notice.id }), child.name);
  }

  /** A parent's formal notices: only those about children bound to them. */
  async myNotices(caller: Caller): Promise<{ items: NoticeView[] }> {
    const childIds = await this.childRecords.childIdsBoundTo(this.dataSource.manager, caller.userId);
    if (childIds.length === 0) return { items: [] };
    const [notices, names] = await Promise.all([
      this.dataSource.manager.find(CaseNotice, { where: { childId: In(childIds), delivery: 'app' }, order: { issuedAt: 'DESC' } }),
      this.childRecords.namesOf(this.dataSource.manager, childIds),
    ]);
    return { items: notices.map((n) => mapNotice(n, names.get(n.childId) ?? '')) };
  }

  /** 回执: the parent confirms they received the notice; the responsible cadre is told. */
  async acknowledgeNotice(caller: Caller, noticeId: string): Promise<NoticeView> {
    const notice = await this.dataSource.manager.findOneBy(CaseNotice, { id: noticeId });
    const guardian = notice ? await this.childRecords.isBoundParent(this.dataSource.manager, notice.childId, caller.userId) : false;
    if (!notice || !guardian || notice.delivery !== 'app') throw AppError.notFound();
    if (!notice.acknowledgedAt) {
      const now = this.clock.now();
      await transactionWithRetry(this.dataSource, async (manager) => {
        const first = await manager
          .createQueryBuilder()
          .update(CaseNotice)
          .set({ acknowledgedAt: now, acknowledgedBy: caller.userId })
          .where('id = :id AND acknowledged_at IS NULL', { id: notice.id })
          .execute();
        if (first.affected !== 1) return;
        await this.cases.event(manager, notice.caseId, caller.userId, 'notice_acknowledged', null);
        const record = await manager.findOneByOrFail(DropoutCase, { id: notice.caseId });
        await this.audit.record(
          caller,
          {
            action: 'notice.acknowledge',
            targetType: 'case_notice',
            targetId: notice.id,
            childId: notice.childId,
            placeCode: record.routingCode,
          },
          manager,
        );
        if (record.assigneeId) {
          await this.notifications.notify(manager, [record.assigneeId], {
            key: `notice-acknowledged:${notice.id}`,
            title: '监护人已确认收到通知书',
            body: `案件${record.caseNumber}：监护人已确认收到《限期返校通知书》，限期${notice.deadlineOn}。`,
            link: pageLink('officialCase', { id: record.id }),
          });
        }
      });
    }
    const child = await this.childRecords.getById(this.dataSource.manager, notice.childId);
    return mapNotice(await this.dataSource.manager.findOneByOrFail(CaseNotice, { id: notice.id }), child.name);
  }

  async completeRecheck(caller: Caller, recheckId: string, result: 'attending' | 'absent'): Promise<{ ok: true }> {
    const recheck = await this.dataSource.manager.findOneBy(CaseRecheck, { id: recheckId });
    if (!recheck) throw AppError.notFound();
    const record = await this.cases.visible(caller, recheck.caseId);
    requireAccess(caller, 'complete_recheck', record);
    if (recheck.doneAt) throw new AppError('CASE_RECHECK_DONE');
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.update(CaseRecheck, { id: recheck.id }, { doneAt: this.clock.now(), doneBy: caller.userId, result });
      await this.cases.event(manager, record.id, caller.userId, 'recheck_done', { result });
      if (result === 'absent')
        await this.reopen(manager, await manager.findOneByOrFail(DropoutCase, { id: record.id }), caller.userId, 'reopened', {
          reason: '复查发现未在校',
        });
    });
    return { ok: true };
  }

  /**
   * A 督导 spot check found the child of a closed (or returned) case not in school: back to persuasion,
   * in the caller's transaction, through the same step as any reopening (timeline, deadline,
   * notifications). False when the case is no longer closed or returned (someone reopened it already)
   * or the child has another open case meanwhile: the child is being followed there.
   */
  async reopenAfterSpotCheck(
    manager: EntityManager,
    caseId: string,
    inspectorId: string,
    data: Record<string, string | number>,
  ): Promise<boolean> {
    const record = await manager.findOneByOrFail(DropoutCase, { id: caseId });
    if (record.mergedIntoId || (record.status !== 'closed' && record.status !== 'returned')) return false;
    const open = await manager.findOneBy(DropoutCase, { openChildId: record.childId });
    if (open && open.id !== record.id) return false;
    await this.reopen(manager, record, inspectorId, 'spot_check_reopened', data);
    return true;
  }

  /** Back to persuasion: the child left school again. */
  private async reopen(
    manager: EntityManager,
    record: DropoutCase,
    actorId: string | null,
    kind: string,
    data: Record<string, string | number>,
  ): Promise<void> {
    const status = this.cases.next(record, 'reopen', '重新劝返');
    const settings = await this.cases.settingsOf(record.countyCode, manager);
    await this.cases.update(manager, record, { status, closedAt: null, ...this.cases.due('notice', this.clock.now(), settings) });
    await this.cases.event(manager, record.id, actorId, kind, data);
    const recipients = [
      ...(record.assigneeId ? [record.assigneeId] : []),
      ...(record.townshipCode ? await townshipLeaders(manager, record.townshipCode) : []),
    ];
    await this.notifications.notify(manager, recipients, {
      key: `reopened:${record.id}:${this.clock.now().getTime()}`,
      // a spot check found the child out of school; otherwise the child left school again
      title: kind === 'spot_check_reopened' ? '督导抽查发现孩子未在校，案件重新打开' : '返校学生再次缺勤，案件重新打开',
      body: `案件${record.caseNumber}：请尽快家访劝返。`,
      link: pageLink('officialCase', { id: record.id }),
    });
  }

  /** 《限期返校通知书》: delivered in the app to bound parents, otherwise printed and handed over. */
  private async issueNotice(manager: EntityManager, caller: Caller, record: DropoutCase, deadlineOn: string): Promise<void> {
    const child = await this.childRecords.getById(manager, record.childId);
    const guardians = await this.childRecords.guardiansOf(manager, [child.id]);
    const guardianNames = await this.userRecords.displayNames(
      manager,
      guardians.map((g) => g.userId),
    );
    const now = this.clock.now();
    const townshipName = record.townshipCode
      ? ((await this.divisions.names([record.townshipCode], manager)).get(record.townshipCode) ?? '')
      : '';
    const schoolName = record.schoolId ? ((await this.views.schoolNames(manager, [record.schoolId])).get(record.schoolId) ?? null) : null;
    const notice = {
      id: newId(),
      caseId: record.id,
      childId: child.id,
      issuedBy: caller.userId,
      issuedAt: now,
      deadlineOn,
      text: returnNoticeText({
        childName: child.name,
        guardianNames: [...guardianNames.values()],
        townshipName,
        schoolName,
        issuedOn: chinaDay(now),
        deadlineOn,
      }),
      delivery: guardians.length ? ('app' as const) : ('paper' as const),
      deliveredAt: guardians.length ? now : null,
      receivedBy: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    await manager.insert(CaseNotice, notice);
    await this.notifications.notify(
      manager,
      guardians.map((g) => g.userId),
      {
        key: `notice:${notice.id}`,
        title: '限期返校通知书',
        body: `请于${deadlineOn}前送${child.name}到校复学，并在小程序中确认收到。`,
        link: pageLink('parentNotices'),
      },
    );
  }

  /** The transfers waiting for the caller (`read_transfer`): their school's, or their township's for its leaders and cadres. */
  private receivingWhere(caller: Caller): { toSchoolId: string } | { toTownshipCode: string } | null {
    const scope = readScope(caller, 'read_transfer');
    if (scope?.relation === 'school') return { toSchoolId: scope.schoolId };
    if (scope?.relation === 'division') return { toTownshipCode: scope.code };
    return null;
  }

  private async receivable(caller: Caller, transferId: string): Promise<CaseTransfer> {
    const transfer = await this.dataSource.manager.findOneBy(CaseTransfer, { id: transferId });
    const where = this.receivingWhere(caller);
    const mine =
      transfer &&
      where &&
      ('toSchoolId' in where ? transfer.toSchoolId === where.toSchoolId : transfer.toTownshipCode === where.toTownshipCode);
    if (!transfer || !mine) throw AppError.notFound();
    if (transfer.status !== 'pending') throw new AppError('CASE_TRANSFER_DECIDED');
    return transfer;
  }

  private async tellSchool(manager: EntityManager, record: DropoutCase, schoolId: string, body: string): Promise<void> {
    await this.notifications.notify(manager, await schoolStaff(manager, schoolId), {
      key: `school:${record.id}:${schoolId}:${this.clock.now().getTime()}`,
      title: '控辍保学：学校需处理的事项',
      body: `案件${record.caseNumber}：${body}`,
      link: pageLink('officialCase', { id: record.id }),
    });
  }
}
