import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_STATUS_LABELS,
  countySettings,
  divisionLevelOf,
  divisionPrefix,
  isOpenCase,
  nextCaseStatus,
  pageLink,
  type CaseDetail,
  type CaseListItem,
  type CaseSource,
  type CaseStatus,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { Child } from '../children/child.entity';
import { ChildrenService } from '../children/children.service';
import { ServedCounty } from '../divisions/division.entity';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { wechatTime } from '../notifications/subscribe-templates';
import { Tip } from '../tips/tip.entity';
import { CASE_SCOPE, canHandleForTownship, canSeeCase } from './case-access';
import { CaseEvent, CaseRouting, DropoutCase } from './case.entity';
import { CaseRoutingService, type RoutingDecision } from './case-routing.service';
import { CaseViewsService } from './case-views.service';
import { TipMilestonesService } from './tip-milestones.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ListCases {
  status?: CaseStatus;
  overdue?: 'true' | 'false';
  cursor?: string;
  limit: number;
}

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly routing: CaseRoutingService,
    private readonly views: CaseViewsService,
    private readonly children: ChildrenService,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsService,
    private readonly milestones: TipMilestonesService,
    private readonly audit: AuditService,
  ) {}

  /** The inbox: the caller's cases (or, for `triage`, the county's unrouted ones), newest first. */
  async list(
    caller: Caller,
    query: ListCases,
    triage = false,
  ): Promise<{ items: CaseListItem[]; nextCursor: string | null; overdueCount: number }> {
    const now = this.clock.now();
    const scoped = () => {
      const qb = applyScope(this.dataSource.manager.createQueryBuilder(DropoutCase, 'c'), caller, CASE_SCOPE).andWhere(
        'c.merged_into_id IS NULL',
      );
      if (triage) qb.andWhere('c.township_code IS NULL');
      return qb;
    };
    const qb = scoped()
      .orderBy('c.id', 'DESC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.overdue === 'true') qb.andWhere('c.due_at < :now', { now });
    if (query.overdue === 'false') qb.andWhere('(c.due_at IS NULL OR c.due_at >= :now)', { now });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('c.id < :cursorId', { cursorId: id });
    }
    const [rows, overdueCount] = await Promise.all([qb.getMany(), scoped().andWhere('c.due_at < :now', { now }).getCount()]);
    const page = rows.slice(0, query.limit);
    return {
      items: await this.views.listItems(this.dataSource.manager, page, now),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      overdueCount,
    };
  }

  /** One case, with its tips (tipsters hidden), routing and timeline. Reading it is audited. */
  async get(caller: Caller, id: string): Promise<CaseDetail> {
    const record = await this.visible(caller, id);
    await this.audit.record(caller, { action: 'case.read', targetType: 'case', targetId: id });
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
    const record = await this.visible(caller, id);
    if (!canHandleForTownship(caller, record)) throw AppError.forbidden('只有乡镇负责人、包抓干部或县教育局可以受理案件');
    const next = nextCaseStatus(record.status, 'accept');
    if (!next) throw this.illegal(record.status, '受理');
    const assigneeId = input.assigneeId ?? (caller.role === 'official' ? caller.userId : null);
    if (!assigneeId) throw AppError.invalid({ assigneeId: '请指定包抓干部' });
    const candidates = await this.routing.assignees(this.dataSource.manager, record.townshipCode!);
    if (!candidates.some((u) => u.id === assigneeId)) throw AppError.invalid({ assigneeId: '包抓干部应为本乡镇或其所辖村的负责人或干部' });
    const now = this.clock.now();
    const settings = await this.settingsOf(record.countyCode);
    await this.dataSource.transaction(async (manager) => {
      await this.update(manager, record, input.version, {
        status: next,
        assigneeId,
        dueAt: new Date(now.getTime() + settings.verifyDays * DAY),
      });
      await this.event(manager, record.id, caller.userId, 'accepted', { assigneeId });
      await this.milestones.announce(manager, record.id, 'assigned', null);
      if (assigneeId !== caller.userId) {
        await this.notifications.notify(manager, [assigneeId], {
          key: `case-assigned:${record.id}:${assigneeId}:${now.getTime()}`,
          title: '您被指定为包抓干部',
          body: '请在规定时间内完成核查。',
          link: pageLink('officialCase', { id: record.id }),
        });
      }
    });
    return this.detail(caller, await this.reload(record.id));
  }

  /** The county admin sends a case (from triage, or elsewhere in the county) to a township. */
  async route(caller: Caller, id: string, input: { townshipCode: string; reason: string }): Promise<CaseDetail> {
    const record = await this.visible(caller, id);
    if (caller.role !== 'county_admin') throw AppError.forbidden();
    if (!isOpenCase(record.status)) throw new AppError('CONFLICT', '案件已结案，不能再分派');
    if (divisionLevelOf(input.townshipCode) !== 'township' || !input.townshipCode.startsWith(divisionPrefix(record.countyCode))) {
      throw AppError.invalid({ townshipCode: '请选择本县的一个乡镇' });
    }
    if (!(await this.divisions.exists(input.townshipCode))) throw AppError.invalid({ townshipCode: '该乡镇不存在' });
    const child = await this.dataSource.manager.findOneByOrFail(Child, { id: record.childId });
    const villageCode = child.villageCode?.startsWith(divisionPrefix(input.townshipCode)) ? child.villageCode : null;
    const decision: RoutingDecision = {
      countyCode: record.countyCode,
      townshipCode: input.townshipCode,
      villageCode,
      routingCode: villageCode ?? input.townshipCode,
      rule: 'manual',
      reason: input.reason,
    };
    await this.dataSource.transaction(async (manager) => {
      await this.applyRouting(manager, record, decision, caller.userId);
    });
    return this.detail(caller, await this.reload(record.id));
  }

  /** "Not ours": the township hands the case back to the county's triage queue, with a reason. */
  async returnToTriage(caller: Caller, id: string, reason: string): Promise<CaseDetail> {
    const record = await this.visible(caller, id);
    if (!record.townshipCode) throw new AppError('CONFLICT', '案件已在县级待分派队列中');
    if (caller.role !== 'official' || !canHandleForTownship(caller, record))
      throw AppError.forbidden('只有本乡镇的负责人或包抓干部可以退回案件');
    if (record.status !== 'reported' && record.status !== 'assigned') throw new AppError('CONFLICT', '案件已在核查或处理中，不能退回');
    const decision: RoutingDecision = {
      countyCode: record.countyCode,
      townshipCode: null,
      villageCode: null,
      routingCode: record.countyCode,
      rule: 'returned_by_township',
      reason,
    };
    const from = record.townshipCode;
    await this.dataSource.transaction(async (manager) => {
      await this.event(manager, record.id, caller.userId, 'returned_to_triage', { townshipCode: from, reason });
      await this.applyRouting(manager, record, decision, caller.userId);
    });
    return this.detail(caller, await this.reload(record.id));
  }

  /** Two cases turned out to be about one child: the tips of this one join the other. */
  async merge(caller: Caller, id: string, intoId: string, reason: string): Promise<CaseDetail> {
    if (id === intoId) throw AppError.invalid({ intoCaseId: '不能合并到同一个案件' });
    const source = await this.visible(caller, id);
    const target = await this.visible(caller, intoId, 'intoCaseId');
    if (!isOpenCase(source.status) || !isOpenCase(target.status)) throw new AppError('CONFLICT', '已结案的案件不能合并');
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Tip, { caseId: source.id }, { caseId: target.id });
      await this.update(manager, source, undefined, { mergedIntoId: target.id, closedAt: now, dueAt: null, tipCount: 0 });
      await this.update(manager, target, undefined, { tipCount: target.tipCount + source.tipCount });
      const sourceChild = await manager.findOneByOrFail(Child, { id: source.childId });
      await this.children.complete(manager, target.childId, {
        name: sourceChild.name,
        sex: sourceChild.sex,
        idNumber: sourceChild.idNumber,
        birthYear: sourceChild.birthYear,
        birthYearExact: sourceChild.birthYearExact,
        villageCode: sourceChild.villageCode,
        schoolId: sourceChild.schoolId,
        grade: sourceChild.grade,
      });
      await this.event(manager, source.id, caller.userId, 'merged_into', { caseId: target.id, reason });
      await this.event(manager, target.id, caller.userId, 'merged_from', { caseId: source.id, tips: source.tipCount, reason });
    });
    return this.detail(caller, await this.reload(target.id));
  }

  /**
   * Opens a case for a new report, routed in the same transaction, and tells whoever must act.
   * Used for tips now, and for cross-checks and absences later.
   */
  async open(
    manager: EntityManager,
    input: {
      childId: string;
      source: CaseSource;
      decision: RoutingDecision;
      schoolId: string | null;
      actorId: string | null;
      tipCount: number;
    },
  ): Promise<DropoutCase> {
    const now = this.clock.now();
    const settings = await this.settingsOf(input.decision.countyCode, manager);
    const record = manager.create(DropoutCase, {
      id: newId(),
      childId: input.childId,
      status: 'reported',
      source: input.source,
      countyCode: input.decision.countyCode,
      townshipCode: input.decision.townshipCode,
      villageCode: input.decision.villageCode,
      routingCode: input.decision.routingCode,
      schoolId: input.schoolId,
      assigneeId: null,
      openedAt: now,
      dueAt: new Date(now.getTime() + settings.acknowledgeHours * HOUR),
      closedAt: null,
      mergedIntoId: null,
      tipCount: input.tipCount,
      version: 1,
    });
    await manager.insert(DropoutCase, record);
    await this.event(manager, record.id, input.actorId, 'opened', { source: input.source });
    await this.recordRouting(manager, record, input.decision, null);
    await this.announceRouting(manager, record, settings.acknowledgeHours);
    return record;
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

  private async detail(caller: Caller, record: DropoutCase): Promise<CaseDetail> {
    return this.views.detail(this.dataSource.manager, record, this.clock.now(), this.actionsFor(caller, record));
  }

  /** What the caller may do next with the case, for the mini program to offer. */
  private actionsFor(caller: Caller, record: DropoutCase): string[] {
    const actions: string[] = [];
    if (!isOpenCase(record.status)) return actions;
    if (canHandleForTownship(caller, record) && nextCaseStatus(record.status, 'accept')) actions.push('accept');
    if (caller.role === 'county_admin') actions.push('route');
    if (
      caller.role === 'official' &&
      canHandleForTownship(caller, record) &&
      (record.status === 'reported' || record.status === 'assigned')
    ) {
      actions.push('return_to_triage');
    }
    actions.push('merge');
    return actions;
  }

  private async applyRouting(manager: EntityManager, record: DropoutCase, decision: RoutingDecision, actorId: string): Promise<void> {
    const settings = await this.settingsOf(record.countyCode, manager);
    const now = this.clock.now();
    // A case sent to a township starts over there: it must be accepted again, on a fresh deadline.
    const restart = record.status === 'reported' || record.status === 'assigned';
    const changes: Partial<DropoutCase> = {
      townshipCode: decision.townshipCode,
      villageCode: decision.villageCode,
      routingCode: decision.routingCode,
      ...(restart
        ? { status: 'reported' as const, assigneeId: null, dueAt: new Date(now.getTime() + settings.acknowledgeHours * HOUR) }
        : {}),
    };
    await this.update(manager, record, undefined, changes);
    Object.assign(record, changes);
    await this.recordRouting(manager, record, decision, actorId);
    await this.announceRouting(manager, record, settings.acknowledgeHours);
  }

  private async recordRouting(
    manager: EntityManager,
    record: DropoutCase,
    decision: RoutingDecision,
    actorId: string | null,
  ): Promise<void> {
    await manager.insert(CaseRouting, {
      id: newId(),
      caseId: record.id,
      at: this.clock.now(),
      townshipCode: decision.townshipCode,
      schoolId: record.schoolId,
      rule: decision.rule,
      actorId,
      reason: decision.reason,
    });
    await this.event(manager, record.id, actorId, 'routed', { townshipCode: decision.townshipCode, rule: decision.rule });
  }

  /** Tells the township (or, in triage, the county) that a case waits for them. */
  private async announceRouting(manager: EntityManager, record: DropoutCase, acknowledgeHours: number): Promise<void> {
    const recipients = await this.routing.recipients(manager, record, record.schoolId);
    const placeCode = record.villageCode ?? record.townshipCode;
    const place = placeCode ? ((await this.divisions.fullNames([placeCode])).get(placeCode) ?? '') : '';
    const triage = !record.townshipCode;
    const now = this.clock.now();
    await this.notifications.notify(manager, recipients, {
      key: `case-routed:${record.id}:${record.routingCode}:${now.getTime()}`,
      title: triage ? '有线索需要人工分派' : '新的疑似辍学线索',
      body: triage ? '一条线索未能自动分派到乡镇，请尽快处理。' : `${place}，请在${acknowledgeHours}小时内受理。`,
      link: triage ? pageLink('countyTriage') : pageLink('officialCase', { id: record.id }),
      wechat: {
        template: 'new_case',
        values: {
          thing1: triage ? '待分派线索' : '疑似辍学线索',
          thing2: triage ? '县级待分派' : place.replace(/^\S+县\s*/, '') || '本乡镇',
          time3: wechatTime(now),
          thing4: triage ? '请尽快分派到乡镇' : `请在${acknowledgeHours}小时内受理`,
        },
      },
    });
  }

  private async update(
    manager: EntityManager,
    record: DropoutCase,
    expectedVersion: number | undefined,
    changes: Partial<DropoutCase>,
  ): Promise<void> {
    const version = expectedVersion ?? record.version;
    const result = await manager
      .createQueryBuilder()
      .update(DropoutCase)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: record.id, version })
      .execute();
    if (result.affected !== 1) throw new AppError('CONFLICT', '案件已被他人修改，请刷新后重试');
    record.version = version + 1;
  }

  async event(manager: EntityManager, caseId: string, actorId: string | null, kind: string, data: CaseEvent['data'] = null): Promise<void> {
    await manager.insert(CaseEvent, { id: newId(), caseId, at: this.clock.now(), actorId, kind, data });
  }

  private illegal(status: CaseStatus, action: string): AppError {
    return new AppError('CONFLICT', `案件当前状态为“${CASE_STATUS_LABELS[status]}”，不能${action}`);
  }

  async settingsOf(countyCode: string, manager: EntityManager = this.dataSource.manager) {
    const county = await manager.findOneBy(ServedCounty, { code: countyCode });
    return countySettings(county?.settings);
  }

  private async reload(id: string): Promise<DropoutCase> {
    return this.dataSource.manager.findOneByOrFail(DropoutCase, { id });
  }
}
