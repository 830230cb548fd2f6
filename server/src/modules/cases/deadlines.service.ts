import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CASE_STATUS_LABELS, chinaDay, FINISHED_CASE_STATUSES, pageLink } from '@baoxue/shared';
import { In, IsNull, LessThan, Not, type DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { JobRunner } from '../../common/jobs/job-runner';
import { countyAdmins, townshipLeaders } from '../accounts/recipients';
import { ChildRecords } from '../children/child-records';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { CaseEvent, CaseRecheck, CaseTransfer, DropoutCase } from './case.entity';
import { DUE_LABELS } from './case-steps';
import { CaseViewsService } from './case-views.service';
import { CasesService } from './cases.service';
import { DispatchRectifications } from './dispatch-rectifications';
import { DispatchReports } from './dispatch-reports';
import { snapshotTransaction } from '../../database/transaction';

const HOUR = 3_600_000;

/**
 * Deadlines (BRIEF §4): an overdue step climbs one level of the hierarchy — from the responsible
 * cadre to the township leader, then after a further period to the county — and everyone it
 * reaches is told. Unaccepted transfers escalate to the county. The county's daily dispatch list
 * (一日一调度) shows what is overdue, where, and who owns it.
 */
@Injectable()
export class DeadlinesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly views: CaseViewsService,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsService,
    private readonly childRecords: ChildRecords,
    private readonly rectifications: DispatchRectifications,
    private readonly dispatchReports: DispatchReports,
    jobs: JobRunner,
  ) {
    // once a minute across every instance (off in tests, which drive it by hand)
    jobs.every('deadlines', 'minute', () => this.run());
  }

  /** One pass: escalates what became overdue since the last. Returns how many cases and transfers moved. */
  async run(): Promise<{ toLeader: number; toCounty: number; transfers: number }> {
    const now = this.clock.now();
    const open = { status: Not(In(FINISHED_CASE_STATUSES as string[])), mergedIntoId: IsNull() };
    const toLeader = await this.dataSource.manager.find(DropoutCase, { where: { ...open, dueAt: LessThan(now), escalatedTo: IsNull() } });
    let countedLeader = 0;
    let countedCounty = 0;
    for (const record of toLeader) {
      // a case nobody in a township owns yet (triage) goes straight to the county
      const level = record.townshipCode ? 'leader' : 'county';
      if (!(await this.escalate(record, level))) continue;
      if (level === 'leader') countedLeader++;
      else countedCounty++;
    }
    const stillOverdue = await this.dataSource.manager.find(DropoutCase, { where: { ...open, escalatedTo: 'leader' } });
    for (const record of stillOverdue) {
      const settings = await this.cases.settingsOf(record.countyCode);
      // The leader gets the county's full period to act, counted from when they were told: a case
      // found long overdue (the server was down) still climbs one level at a time.
      const since = await this.escalatedToLeaderAt(record);
      if (since && since.getTime() + settings.escalateToCountyHours * HOUR < now.getTime() && (await this.escalate(record, 'county')))
        countedCounty++;
    }
    const transfers = await this.dataSource.manager.find(CaseTransfer, {
      where: { status: 'pending', dueAt: LessThan(now), escalatedAt: IsNull() },
    });
    for (const transfer of transfers) await this.escalateTransfer(transfer);
    return { toLeader: countedLeader, toCounty: countedCounty, transfers: transfers.length };
  }

  /** When the current overdue step reached the township leader (its `overdue` event), or the due time for older records. */
  private async escalatedToLeaderAt(record: DropoutCase): Promise<Date | null> {
    const events = await this.dataSource.manager.find(CaseEvent, {
      where: { caseId: record.id, kind: 'overdue' },
      order: { at: 'DESC' },
      take: 5,
    });
    const due = record.dueAt?.getTime() ?? 0;
    const told = events.find((event) => event.data?.to === 'leader' && event.at.getTime() >= due);
    return told?.at ?? record.dueAt;
  }

  private async escalate(record: DropoutCase, level: 'leader' | 'county'): Promise<boolean> {
    return snapshotTransaction(this.dataSource, async (manager) => {
      const moved = await manager
        .createQueryBuilder()
        .update(DropoutCase)
        .set({ escalatedTo: level })
        .where('id = :id AND due_at = :due AND (escalated_to IS NULL OR escalated_to = :from)', {
          id: record.id,
          due: record.dueAt,
          from: level === 'county' ? 'leader' : '',
        })
        .execute();
      if (moved.affected !== 1) return false;
      await this.cases.event(manager, record.id, null, 'overdue', { to: level, kind: record.dueKind });
      const recipients =
        level === 'leader' ? await townshipLeaders(manager, record.townshipCode) : await countyAdmins(manager, record.countyCode);
      await this.notifications.notify(manager, [...recipients, ...(record.assigneeId ? [record.assigneeId] : [])], {
        key: `overdue:${record.id}:${level}:${record.dueAt?.getTime()}`,
        title: level === 'leader' ? '案件逾期，请督办' : '案件逾期，已升级到县教育局',
        body: `案件${record.caseNumber}“${record.dueKind ? DUE_LABELS[record.dueKind] : '当前步骤'}”已超过时限。`,
        link: pageLink('officialCase', { id: record.id }),
      });
      return true;
    });
  }

  private async escalateTransfer(transfer: CaseTransfer): Promise<void> {
    await snapshotTransaction(this.dataSource, async (manager) => {
      const moved = await manager.update(
        CaseTransfer,
        { id: transfer.id, escalatedAt: IsNull(), status: 'pending' },
        { escalatedAt: this.clock.now() },
      );
      if (moved.affected !== 1) return;
      const record = await manager.findOneByOrFail(DropoutCase, { id: transfer.caseId });
      await this.cases.event(manager, record.id, null, 'transfer_escalated', null);
      await this.notifications.notify(manager, [...(await countyAdmins(manager, record.countyCode)), transfer.requestedBy], {
        key: `transfer-overdue:${transfer.id}`,
        title: '移交逾期未接收',
        body: '有案件移交超过时限仍未被接收，请协调处理。',
        link: pageLink('countyDispatch'),
      });
    });
  }

  /** 一日一调度 for the county (county admin) or a township (its leaders and cadres). */
  async dispatch(caller: Caller) {
    requireRecordAccess(caller, 'read_dispatch');
    const now = this.clock.now();
    const manager = this.dataSource.manager;
    // the county's cases, or a division's, by where each is routed
    const inScope = (qb: SelectQueryBuilder<DropoutCase>) => applyScope(qb, caller, 'read_dispatch', { division: 'c.routing_code' });
    const overdue = await inScope(manager.createQueryBuilder(DropoutCase, 'c'))
      .andWhere('c.merged_into_id IS NULL AND c.due_at < :now', { now })
      .andWhere('c.status NOT IN (:...finished)', { finished: FINISHED_CASE_STATUSES })
      // children of a priority group first (BRIEF §4), then the longest overdue
      .orderBy('c.priority', 'DESC')
      .addOrderBy('c.due_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    const [children, townships, owners] = await Promise.all([
      this.childRecords.namesWithGroups(
        manager,
        overdue.map((c) => c.childId),
      ),
      this.divisions.names(overdue.flatMap((c) => (c.townshipCode ? [c.townshipCode] : []))),
      this.views.userNames(
        manager,
        overdue.map((c) => c.assigneeId),
      ),
    ]);
    const childOf = new Map(children.map((c) => [c.id, c]));
    const items = overdue.map((c) => ({
      caseId: c.id,
      childName: childOf.get(c.childId)?.name ?? '',
      priorityGroups: childOf.get(c.childId)?.priorityGroups ?? [],
      townshipName: c.townshipCode ? (townships.get(c.townshipCode) ?? null) : null,
      status: CASE_STATUS_LABELS[c.status],
      dueKind: c.dueKind ?? 'accept',
      dueLabel: c.dueKind ? DUE_LABELS[c.dueKind] : '当前步骤',
      dueAt: c.dueAt!.toISOString(),
      overdueHours: Math.floor((now.getTime() - c.dueAt!.getTime()) / HOUR),
      escalatedTo: c.escalatedTo,
      ownerName: c.assigneeId ? (owners.get(c.assigneeId) ?? null) : null,
    }));
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.townshipName ?? '县级待分派', (counts.get(item.townshipName ?? '县级待分派') ?? 0) + 1);
    const caseIdsInScope = inScope(manager.createQueryBuilder(DropoutCase, 'c').select('c.id'));
    const [transfers, rechecks] = await Promise.all([
      manager
        .createQueryBuilder(CaseTransfer, 't')
        .where(`t.case_id IN (${caseIdsInScope.getQuery()})`, caseIdsInScope.getParameters())
        .andWhere("t.status = 'pending' AND t.due_at < :now", { now })
        .getMany(),
      manager
        .createQueryBuilder(CaseRecheck, 'r')
        .where(`r.case_id IN (${caseIdsInScope.getQuery()})`, caseIdsInScope.getParameters())
        .andWhere('r.done_at IS NULL AND r.due_on <= :today', { today: chinaDay(now) })
        .orderBy('r.due_on', 'ASC')
        .getMany(),
    ]);
    const recheckCases = rechecks.length ? await manager.findBy(DropoutCase, { id: In(rechecks.map((r) => r.caseId)) }) : [];
    const recheckChildren = await this.childRecords.namesOf(
      manager,
      recheckCases.map((c) => c.childId),
    );
    const childOfCase = new Map(recheckCases.map((c) => [c.id, recheckChildren.get(c.childId) ?? '']));
    return {
      generatedAt: now.toISOString(),
      items,
      byTownship: [...counts].map(([townshipName, count]) => ({ townshipName, overdue: count })).sort((a, b) => b.overdue - a.overdue),
      pendingTransfers: await this.views.transferViews(manager, transfers, now),
      rechecksDue: rechecks.map((r) => ({ id: r.id, caseId: r.caseId, childName: childOfCase.get(r.caseId) ?? '', dueOn: r.dueOn })),
      rectifications: await this.rectifications.list(manager, caller, now),
      reportsDue: await this.dispatchReports.list(manager, caller, now),
    };
  }
}
