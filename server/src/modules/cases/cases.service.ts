import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_STATUS_LABELS,
  countySettings,
  divisionLevelOf,
  divisionPrefix,
  isOpenCase,
  nextCaseStatus,
  NOT_DROPOUT_REASONS,
  pageLink,
  type CaseAction,
  type CaseDetail,
  type CaseListItem,
  type CaseSource,
  type CaseStatus,
  type CountySettings,
  type NotDropoutReason,
  type PriorityGroup,
  type SchoolCalendar,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { transactionWithRetry } from '../../database/transaction';
import { insertRows, selectRows } from '../../database/sql';
import { AuditService } from '../audit/audit.service';
import { AttendanceService } from '../children/attendance.service';
import { ChildMergeService } from '../children/child-merge.service';
import { ChildRecords } from '../children/child-records';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { canSeeCase } from './case-access';
import { caseListStatements, type CaseListRow, type ListCases } from './case-list-query';
import { CaseEvent, CaseRouting, DropoutCase, type DueKind } from './case.entity';
import { caseActionsFor, requireAccess } from './case-policy';
import { CaseNumbers } from './case-numbers';
import { CaseTips } from './case-tips';
import { routedNotice } from './case-routed-notice';
import { CaseRoutingService, type RoutingDecision } from './case-routing.service';
import { deadline } from './case-steps';
import { CaseViewsService } from './case-views.service';

const STALE = '案件已被他人修改，以下是最新情况，请确认后重试';

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly routing: CaseRoutingService,
    private readonly views: CaseViewsService,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsService,
    private readonly caseTips: CaseTips,
    private readonly attendance: AttendanceService,
    private readonly audit: AuditService,
    private readonly childMerges: ChildMergeService,
    private readonly childRecords: ChildRecords,
    private readonly divisionRecords: DivisionRecords,
    private readonly caseNumbers: CaseNumbers,
  ) {}

  /**
   * The inbox: the caller's cases (or, for `triage`, the county's unrouted ones), children of a
   * priority group first (BRIEF §4), then newest, paged by a cursor of (priority, id), with the
   * scope's overdue count — one hand-written statement (`caseListStatements`; prepared on MySQL)
   * that reads a range of one of the inbox's indexes. This is the officials' busiest read.
   */
  async list(
    caller: Caller,
    query: ListCases,
    triage = false,
  ): Promise<{ items: CaseListItem[]; nextCursor: string | null; overdueCount: number }> {
    const now = this.clock.now();
    const { page, overdue } = caseListStatements(caller, query, triage, now, (time) => this.asDueAt(time));
    const rows = await selectRows<CaseListRow>(this.dataSource, page.sql, page.values);
    // the count comes with the page's rows; a page without rows asks for it alone
    const [counted] = rows.length
      ? [{ n: rows[0]!.overdue_count }]
      : await selectRows<{ n: number | string }>(this.dataSource, overdue.sql, overdue.values);
    const listed = await this.views.listedItems(rows.slice(0, query.limit), now);
    const last = listed[listed.length - 1];
    return {
      items: listed.map((row) => row.item),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.priority, last.item.id]) : null,
      overdueCount: Number(counted?.n ?? 0),
    };
  }

  /** A time as the database compares it with `due_at` in a hand-written statement (SQLite keeps UTC text). */
  private asDueAt(time: Date): unknown {
    const column = this.dataSource.getMetadata(DropoutCase).findColumnWithPropertyName('dueAt')!;
    return this.dataSource.driver.preparePersistentValue(time, column);
  }

  /** One case, with its tips (tipsters hidden), visits, notices and timeline. Reading it is audited. */
  async get(caller: Caller, id: string): Promise<CaseDetail> {
    const record = await this.visible(caller, id);
    await this.audit.record(caller, {
      action: 'case.read',
      targetType: 'case',
      targetId: record.id,
      childId: record.childId,
      placeCode: record.routingCode,
    });
    return this.detail(caller, record);
  }

  async assignees(caller: Caller, id: string) {
    const record = await this.visible(caller, id);
    if (!record.townshipCode) return { items: [] };
    const users = await this.routing.assignees(this.dataSource.manager, record.townshipCode);
    const units = await this.divisions.names(users.map((u) => u.unitDivisionCode!));
    return {
      items: users.map((u) => ({
        id: u.id,
        displayName: u.displayName,
        position: u.position,
        unitName: units.get(u.unitDivisionCode!) ?? '',
      })),
    };
  }

  /** 受理: the township takes the case and names the responsible cadre. */
  async accept(caller: Caller, id: string, input: { assigneeId: string | null; version?: number }): Promise<CaseDetail> {
    return this.mutate(caller, id, input.version, async (manager, record) => {
      requireAccess(caller, 'accept', record);
      const next = this.next(record, 'accept', '受理');
      const assigneeId = input.assigneeId ?? (caller.role === 'official' ? caller.userId : null);
      if (!assigneeId) throw AppError.invalid({ assigneeId: '请指定包抓干部' });
      await this.checkAssignee(manager, record, assigneeId);
      const settings = await this.settingsOf(record.countyCode, manager);
      await this.update(manager, record, { status: next, assigneeId, ...this.due('verify', this.clock.now(), settings) });
      await this.event(manager, record.id, caller.userId, 'accepted', { assigneeId });
      await this.caseTips.announce(manager, record.id, 'assigned', null);
      if (assigneeId !== caller.userId) await this.tellAssignee(manager, record, assigneeId);
    });
  }

  /** The county admin sends a case (from triage, or elsewhere in the county) to a township. */
  async route(caller: Caller, id: string, input: { townshipCode: string; reason: string }): Promise<CaseDetail> {
    return this.mutate(caller, id, undefined, async (manager, record) => {
      requireAccess(caller, 'route', record);
      if (!isOpenCase(record.status)) throw new AppError('CASE_CLOSED', '案件已结案，不能再分派');
      if (divisionLevelOf(input.townshipCode) !== 'township' || !input.townshipCode.startsWith(divisionPrefix(record.countyCode))) {
        throw AppError.invalid({ townshipCode: '请选择本县的一个乡镇' });
      }
      if (!(await this.divisions.exists(input.townshipCode, manager))) throw AppError.invalid({ townshipCode: '该乡镇不存在' });
      const child = await this.childRecords.getById(manager, record.childId);
      const villageCode = child.villageCode?.startsWith(divisionPrefix(input.townshipCode)) ? child.villageCode : null;
      await this.applyRouting(
        manager,
        record,
        {
          countyCode: record.countyCode,
          townshipCode: input.townshipCode,
          villageCode,
          routingCode: villageCode ?? input.townshipCode,
          rule: 'manual',
          reason: input.reason,
        },
        caller.userId,
      );
    });
  }

  /** "Not ours": the township hands the case back to the county's triage queue, with a reason. */
  async returnToTriage(caller: Caller, id: string, reason: string): Promise<CaseDetail> {
    return this.mutate(caller, id, undefined, async (manager, record) => {
      if (!record.townshipCode) throw new AppError('CASE_IN_TRIAGE');
      requireAccess(caller, 'return_to_triage', record);
      if (record.status !== 'reported' && record.status !== 'assigned') throw new AppError('CASE_RETURN_TOO_LATE');
      await this.event(manager, record.id, caller.userId, 'returned_to_triage', { townshipCode: record.townshipCode, reason });
      await this.applyRouting(
        manager,
        record,
        {
          countyCode: record.countyCode,
          townshipCode: null,
          villageCode: null,
          routingCode: record.countyCode,
          rule: 'returned_by_township',
          reason,
        },
        caller.userId,
      );
    });
  }

  /**
   * Two cases turned out to be about one child: the tips of this one join the other. Cases of two
   * child records mean the records are one child: they are merged too, in the same transaction
   * (this case's record into the other's), and this case is merged into the other as part of it.
   */
  async merge(caller: Caller, id: string, intoId: string, reason: string): Promise<CaseDetail> {
    if (id === intoId) throw AppError.invalid({ intoCaseId: '不能合并到同一个案件' });
    const target = await this.visible(caller, intoId, 'intoCaseId');
    await this.mutate(
      caller,
      id,
      undefined,
      async (manager, source) => {
        if (!isOpenCase(source.status) || !isOpenCase(target.status)) throw new AppError('CASE_CLOSED', '已结案的案件不能合并');
        if (source.childId !== target.childId) {
          await this.childMerges.merge(manager, target.childId, source.childId, {
            reason,
            actorId: caller.userId,
            actorRole: caller.role,
            actor: caller,
            keepCaseId: target.id,
            fields: { survivor: 'intoCaseId', merged: 'intoCaseId' },
          });
          return;
        }
        const moved = source.tipCount;
        await this.caseTips.moveAll(manager, source.id, target.id);
        await this.update(manager, source, {
          mergedIntoId: target.id,
          closedAt: this.clock.now(),
          dueAt: null,
          dueKind: null,
          tipCount: 0,
        });
        await this.update(manager, target, { tipCount: target.tipCount + moved });
        await this.event(manager, source.id, caller.userId, 'merged_into', { caseId: target.id, reason });
        await this.event(manager, target.id, caller.userId, 'merged_from', { caseId: source.id, tips: moved, reason });
      },
      (source) => requireAccess(caller, 'merge', source),
    );
    return this.detail(caller, await this.reload(target.id));
  }

  /**
   * Opens a case for a new report, routed in the same transaction, and tells whoever must act.
   * Used for tips, the school line and absences (a cross-check opens its cases in batches).
   *
   * The case's number is reserved last: the county's counter row stays locked from its reservation
   * until the transaction ends, and every case the county opens meanwhile waits for it. A caller
   * with more to write (the tip that opens the case) writes it first and opens the case last, under
   * an id it chose (`input.id`), so the county's openings take turns only over the case's own row
   * and the commit.
   */
  async open(
    manager: EntityManager,
    input: {
      /** The case's id, when the caller has written rows naming it already. */
      id?: string;
      childId: string;
      /** The child's priority groups: a case of a child in one is listed first. */
      priorityGroups: readonly PriorityGroup[];
      source: CaseSource;
      decision: RoutingDecision;
      schoolId: string | null;
      actorId: string | null;
      tipCount: number;
    },
    /** The settings of the case's county, when the caller has them already. */
    known?: { countyCode: string; settings: CountySettings },
  ): Promise<DropoutCase> {
    const now = this.clock.now();
    const settings =
      known?.countyCode === input.decision.countyCode ? known.settings : await this.settingsOf(input.decision.countyCode, manager);
    const record = { ...this.newCase(input, input.source, now, settings), ...(input.id ? { id: input.id } : {}) };
    // 'opened' goes in with the 'routed' event of the first routing: one statement, same order
    await this.recordRouting(manager, record, input.decision, null, [
      { id: newId(), caseId: record.id, at: now, actorId: input.actorId, kind: 'opened', data: { source: input.source } },
    ]);
    // the notice names the case by its number: who hears of it and where is read before the number
    const audience = await this.routingAudience(manager, record);
    await this.caseNumbers.assign(manager, [record]);
    await this.announceRouting(manager, record, settings.acknowledgeHours, audience);
    await insertRows(manager, DropoutCase, [record]);
    return record;
  }

  /**
   * Every change to a case goes through here: a stale version is refused with the latest state
   * (two officials never silently overwrite each other), and the work runs in one transaction.
   */
  async mutate(
    caller: Caller,
    id: string,
    version: number | undefined,
    work: (manager: EntityManager, record: DropoutCase) => Promise<void>,
    /** Who may do this at all: checked before the version, so a refusal is never hidden behind a conflict. */
    guard?: (record: DropoutCase) => void,
  ): Promise<CaseDetail> {
    const record = await this.visible(caller, id);
    guard?.(record);
    if (version !== undefined && version !== record.version) throw AppError.conflict(STALE, await this.detail(caller, record));
    try {
      // a deadlock or a Galera conflict runs the step again, on the case as read: the lost attempt's changes are gone
      await transactionWithRetry(this.dataSource, (manager) => work(manager, Object.assign(new DropoutCase(), record)));
    } catch (error) {
      if (error instanceof AppError && error.message === STALE)
        throw AppError.conflict(STALE, await this.detail(caller, await this.reload(id)));
      throw error;
    }
    return this.detail(caller, await this.reload(id));
  }

  /** Cases the caller may see; anything else reads as not found. */
  async visible(caller: Caller, id: string, field?: string): Promise<DropoutCase> {
    const record = await this.dataSource.manager.findOneBy(DropoutCase, { id });
    if (!record || record.mergedIntoId || !canSeeCase(caller, record)) {
      if (field) throw AppError.invalid({ [field]: '找不到该案件，或您无权处理' });
      throw AppError.notFound();
    }
    return record;
  }

  async detail(caller: Caller, record: DropoutCase): Promise<CaseDetail> {
    const manager = this.dataSource.manager;
    const settings = await this.settingsOf(record.countyCode);
    const attendance = record.returnedOn ? await this.attendance.summary(manager, record.childId, record.returnedOn, settings) : null;
    return this.views.detail(
      manager,
      record,
      this.clock.now(),
      this.actionsFor(caller, record, attendance?.satisfied ?? false),
      attendance,
    );
  }

  /** What the caller may do next with the case, for the mini program to offer (the case policy). */
  actionsFor(caller: Caller, record: DropoutCase, attendanceSatisfied: boolean): CaseAction[] {
    return caseActionsFor(caller, record, attendanceSatisfied);
  }

  /** The status a transition leads to, or a clear refusal. */
  next(record: DropoutCase, transition: Parameters<typeof nextCaseStatus>[1], action: string): CaseStatus {
    const next = nextCaseStatus(record.status, transition);
    if (!next) throw new AppError('CASE_STEP_OUT_OF_ORDER', `案件当前状态为“${CASE_STATUS_LABELS[record.status]}”，不能${action}`);
    return next;
  }

  /** The next step and its deadline; an overdue escalation starts over with it. */
  due(
    kind: DueKind | null,
    from: Date,
    settings: CountySettings,
    calendar?: SchoolCalendar,
  ): Pick<DropoutCase, 'dueKind' | 'dueAt' | 'escalatedTo'> {
    return { dueKind: kind, dueAt: kind ? deadline(kind, from, settings, calendar) : null, escalatedTo: null };
  }

  async checkAssignee(manager: EntityManager, record: DropoutCase, assigneeId: string): Promise<void> {
    if (!record.townshipCode) throw AppError.invalid({ assigneeId: '案件尚未分派到乡镇' });
    const candidates = await this.routing.assignees(manager, record.townshipCode);
    if (!candidates.some((u) => u.id === assigneeId)) throw AppError.invalid({ assigneeId: '包抓干部应为本乡镇或其所辖村的负责人或干部' });
  }

  async tellAssignee(manager: EntityManager, record: Pick<DropoutCase, 'id' | 'caseNumber'>, assigneeId: string): Promise<void> {
    await this.notifications.notify(manager, [assigneeId], {
      key: `case-assigned:${record.id}:${assigneeId}:${this.clock.now().getTime()}`,
      title: '您被指定为包抓干部',
      body: `案件${record.caseNumber}：请在规定时间内完成核查和劝返。`,
      link: pageLink('officialCase', { id: record.id }),
    });
  }

  async applyRouting(manager: EntityManager, record: DropoutCase, decision: RoutingDecision, actorId: string): Promise<void> {
    const settings = await this.settingsOf(record.countyCode, manager);
    // A case sent to a township starts over there: it must be accepted again, on a fresh deadline.
    const restart = record.status === 'reported' || record.status === 'assigned';
    const changes: Partial<DropoutCase> = {
      townshipCode: decision.townshipCode,
      villageCode: decision.villageCode,
      routingCode: decision.routingCode,
      ...(restart ? { status: 'reported' as const, assigneeId: null, ...this.due('accept', this.clock.now(), settings) } : {}),
    };
    await this.update(manager, record, changes);
    await this.recordRouting(manager, record, decision, actorId);
    await this.announceRouting(manager, record, settings.acknowledgeHours);
  }

  private async recordRouting(
    manager: EntityManager,
    record: DropoutCase,
    decision: RoutingDecision,
    actorId: string | null,
    earlierEvents: CaseEvent[] = [],
  ): Promise<void> {
    const { routing, routed } = this.routingRows(record, decision, actorId, this.clock.now());
    await insertRows(manager, CaseRouting, [routing]);
    await insertRows(manager, CaseEvent, [...earlierEvents, routed]);
  }

  /**
   * A new case's row as a tip or a cross-check opens it (status 'reported', the acceptance deadline of
   * its county): one place for `open` and the batch opening (`CaseBatchOpening`).
   */
  newCase(
    input: {
      childId: string;
      priorityGroups: readonly PriorityGroup[];
      decision: RoutingDecision;
      schoolId: string | null;
      tipCount: number;
    },
    source: CaseSource,
    now: Date,
    settings: CountySettings,
  ): DropoutCase {
    return {
      id: newId(),
      // given by CaseNumbers in the transaction that inserts the case
      caseNumber: '',
      childId: input.childId,
      openChildId: input.childId,
      priority: input.priorityGroups.length ? 1 : 0,
      status: 'reported',
      source,
      countyCode: input.decision.countyCode,
      townshipCode: input.decision.townshipCode,
      villageCode: input.decision.villageCode,
      routingCode: input.decision.routingCode,
      schoolId: input.schoolId,
      assigneeId: null,
      openedAt: now,
      ...this.due('accept', now, settings),
      causes: null,
      escalationSteps: null,
      confirmedAt: null,
      notDropoutReason: null,
      confirmingSchoolId: null,
      returnedOn: null,
      returnSchoolId: null,
      returnGrade: null,
      placement: null,
      closedAt: null,
      mergedIntoId: null,
      pseudonymisedAt: null,
      tipCount: input.tipCount,
      version: 1,
    };
  }

  /** A routing of a case and its 'routed' event, as every routing records them. */
  routingRows(
    record: Pick<DropoutCase, 'id' | 'schoolId'>,
    decision: RoutingDecision,
    actorId: string | null,
    at: Date,
  ): { routing: CaseRouting; routed: CaseEvent } {
    return {
      routing: {
        id: newId(),
        caseId: record.id,
        at,
        townshipCode: decision.townshipCode,
        schoolId: record.schoolId,
        rule: decision.rule,
        actorId,
        reason: decision.reason,
      },
      routed: {
        id: newId(),
        caseId: record.id,
        at,
        actorId,
        kind: 'routed',
        data: { townshipCode: decision.townshipCode, rule: decision.rule },
      },
    };
  }

  /** Tells the township (or, in triage, the county) that a case waits for them. */
  private async announceRouting(
    manager: EntityManager,
    record: DropoutCase,
    acknowledgeHours: number,
    audience?: { recipients: string[]; place: string },
  ): Promise<void> {
    const { recipients, place } = audience ?? (await this.routingAudience(manager, record));
    await this.notifications.notify(manager, recipients, routedNotice(record, place, acknowledgeHours, this.clock.now()));
  }

  /** Who must hear that a case was routed (`announceRouting`), and the place its notice names. */
  private async routingAudience(manager: EntityManager, record: DropoutCase): Promise<{ recipients: string[]; place: string }> {
    const recipients = await this.routing.recipients(manager, record, record.schoolId);
    const placeCode = record.villageCode ?? record.townshipCode;
    const place = placeCode ? ((await this.divisions.fullNames([placeCode], manager)).get(placeCode) ?? '') : '';
    return { recipients, place };
  }

  /** A guarded write: the row must still have the version this request read. */
  async update(manager: EntityManager, record: DropoutCase, changes: Partial<DropoutCase>): Promise<void> {
    if ('status' in changes || 'mergedIntoId' in changes || 'childId' in changes) {
      // the open-case claim follows the status: a child has at most one open case (a unique key)
      const next = { ...record, ...changes };
      changes = { ...changes, openChildId: isOpenCase(next.status) && !next.mergedIntoId ? next.childId : null };
    }
    let affected: number | undefined;
    try {
      ({ affected } = await manager
        .createQueryBuilder()
        .update(DropoutCase)
        .set({ ...changes, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id: record.id, version: record.version })
        .execute());
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppError('CHILD_HAS_OPEN_CASE');
      throw error;
    }
    if (affected !== 1) throw AppError.conflict(STALE);
    Object.assign(record, changes, { version: record.version + 1 });
  }

  async event(manager: EntityManager, caseId: string, actorId: string | null, kind: string, data: CaseEvent['data'] = null): Promise<void> {
    await insertRows(manager, CaseEvent, [{ id: newId(), caseId, at: this.clock.now(), actorId, kind, data }]);
  }

  /**
   * A pupil's 学籍异动 took effect (a transfer the receiving school confirmed, an approved 休学, a move
   * away): the child's open case closes as not a dropout with the change as its evidence. A case past
   * verification (a confirmed dropout) cannot close so; the change goes on its timeline for the
   * township to decide. Returns the open case and whether it closed; null when the child has none.
   */
  async closeForPupilChange(
    manager: EntityManager,
    childId: string,
    change: { reason: NotDropoutReason; evidence: string; actorId: string },
  ): Promise<{ caseId: string; closed: boolean } | null> {
    const record = await manager.findOneBy(DropoutCase, { openChildId: childId });
    if (!record) return null;
    if (!nextCaseStatus(record.status, 'close_not_dropout')) {
      await this.event(manager, record.id, change.actorId, 'pupil_change', { summary: change.evidence });
      return { caseId: record.id, closed: false };
    }
    const now = this.clock.now();
    await this.update(manager, record, {
      status: 'not_dropout',
      notDropoutReason: change.reason,
      closedAt: now,
      dueKind: null,
      dueAt: null,
      escalatedTo: null,
    });
    await this.event(manager, record.id, change.actorId, 'closed_not_dropout', { reason: change.reason, evidence: change.evidence });
    await this.caseTips.announce(manager, record.id, 'unfounded', NOT_DROPOUT_REASONS[change.reason]);
    return { caseId: record.id, closed: true };
  }

  async settingsOf(countyCode: string, manager: EntityManager = this.dataSource.manager): Promise<CountySettings> {
    return (await this.servedSettingsOf(countyCode, manager)) ?? countySettings(undefined);
  }

  /** The settings of the caller's own county as `servedSettingsOf` answers, from the session when it brought them. */
  async callerCountySettings(caller: Caller): Promise<CountySettings | null> {
    if (!caller.countyCode) return null;
    if (caller.countySettings === undefined) return this.servedSettingsOf(caller.countyCode);
    return caller.countySettings && countySettings(caller.countySettings);
  }

  /** A served county's settings (its own over the defaults); null when the deployment does not serve it. */
  async servedSettingsOf(countyCode: string, manager: EntityManager = this.dataSource.manager): Promise<CountySettings | null> {
    const county = await this.divisionRecords.servedCounty(manager, countyCode);
    return county ? countySettings(county.settings) : null;
  }

  async reload(id: string): Promise<DropoutCase> {
    return this.dataSource.manager.findOneByOrFail(DropoutCase, { id });
  }
}
