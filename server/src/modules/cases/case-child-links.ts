import { Injectable } from '@nestjs/common';
import { FINISHED_CASE_STATUSES, isOpenCase, type CaseStatus, type PriorityGroup } from '@baoxue/shared';
import { In, type EntityManager, type EntityTarget } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { newId } from '../../common/ids';
import { chunks } from '../../common/sql/chunks';
import {
  ChildCases,
  moveChildRows,
  moveChildRowsBack,
  type ChildCaseEventData,
  type ChildCaseMerge,
  type ChildCaseMoves,
  type ChildRowsTable,
  type MovedRows,
} from '../children/child-linked-records';
import { CaseEvent, CaseNotice, CaseVisit, DropoutCase } from './case.entity';
import { CaseTipRecords } from './case-tips';

const NOTICES: ChildRowsTable = { entity: CaseNotice, table: 'case_notices', key: 'id' };

const CASE_COLUMNS = {
  id: true,
  childId: true,
  openChildId: true,
  status: true,
  mergedIntoId: true,
  openedAt: true,
  closedAt: true,
  dueAt: true,
  dueKind: true,
  escalatedTo: true,
  tipCount: true,
  version: true,
} as const;
type CaseRow = Pick<DropoutCase, keyof typeof CASE_COLUMNS>;

const finished = FINISHED_CASE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The cases of a child as merges, splits and the repair of child records move them (ChildCases).
 * Only named columns are read and written, so the repair can use it inside the migration that adds
 * the unique keys, before later migrations have run; plain queries, so a migration or the CLI can
 * make one.
 */
@Injectable()
export class CaseChildLinks extends ChildCases {
  readonly module = 'cases';
  readonly references = ['cases.child_id', 'cases.open_child_id', 'case_notices.child_id'];

  constructor(
    private readonly clock: Clock,
    private readonly caseTips: CaseTipRecords,
  ) {
    super();
  }

  async moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void> {
    await moveChildRows(manager, NOTICES, fromChildId, toChildId, log);
  }

  async moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void> {
    await moveChildRowsBack(manager, NOTICES, survivorId, mergedId, log);
  }

  async moveCases(
    manager: EntityManager,
    survivorId: string,
    mergedId: string,
    options: { keepCaseId?: string; reason: string; actorId: string | null },
  ): Promise<ChildCaseMoves> {
    const moves: ChildCaseMoves = { cases: [], openCaseId: null, caseMerges: [] };
    const open = await this.openCases(manager, [survivorId, mergedId]);
    if (open.length > 1) {
      const keeper = open.find((c) => c.id === options.keepCaseId) ?? open[0]!;
      for (const loser of open.filter((c) => c !== keeper))
        moves.caseMerges.push(await this.mergeCase(manager, loser, keeper, { reason: options.reason, actorId: options.actorId }));
    }
    const theirs = await manager.find(DropoutCase, { where: { childId: mergedId }, select: CASE_COLUMNS });
    moves.cases = theirs.map((c) => c.id);
    for (const chunk of chunks(moves.cases)) await manager.update(DropoutCase, { id: In(chunk) }, { childId: survivorId });
    const stillOpen = theirs.find((c) => isOpenCase(c.status) && !c.mergedIntoId && !moves.caseMerges.some((m) => m.mergedCaseId === c.id));
    if (stillOpen) {
      // the open-case claim follows the child (the survivor's own open case, if any, was merged above)
      await manager.update(DropoutCase, { id: stillOpen.id }, { openChildId: survivorId });
      moves.openCaseId = stillOpen.id;
    }
    return moves;
  }

  async restoreCases(manager: EntityManager, survivorId: string, mergedId: string, moves: ChildCaseMoves): Promise<void> {
    for (const chunk of chunks(moves.cases))
      await manager.update(DropoutCase, { id: In(chunk), childId: survivorId }, { childId: mergedId });
    if (moves.openCaseId) await manager.update(DropoutCase, { id: moves.openCaseId, openChildId: survivorId }, { openChildId: mergedId });
    for (const entry of [...moves.caseMerges].reverse()) {
      const [loser, keeper] = await Promise.all([
        manager.findOne(DropoutCase, { where: { id: entry.mergedCaseId }, select: CASE_COLUMNS }),
        manager.findOne(DropoutCase, { where: { id: entry.keptId }, select: CASE_COLUMNS }),
      ]);
      if (!loser || !keeper || loser.mergedIntoId !== keeper.id) continue;
      let tipsBack = 0;
      for (const chunk of chunks(entry.tips)) tipsBack += await this.caseTips.move(manager, chunk, keeper.id, loser.id);
      for (const [entity, ids] of [
        [CaseVisit, entry.visits],
        [CaseNotice, entry.notices],
      ] as const) {
        for (const chunk of chunks(ids)) {
          await manager.update(entity, { id: In(chunk), caseId: keeper.id }, { caseId: loser.id });
        }
      }
      await this.updateCase(manager, keeper, { tipCount: Math.max(0, keeper.tipCount - tipsBack) });
      try {
        await this.updateCase(manager, loser, {
          mergedIntoId: null,
          openChildId: isOpenCase(loser.status) ? loser.childId : null,
          closedAt: entry.before.closedAt ? new Date(entry.before.closedAt) : null,
          dueAt: entry.before.dueAt ? new Date(entry.before.dueAt) : null,
          dueKind: entry.before.dueKind as DropoutCase['dueKind'],
          escalatedTo: entry.before.escalatedTo as DropoutCase['escalatedTo'],
          tipCount: entry.before.tipCount,
        });
      } catch (error) {
        if (isDuplicateKey(error))
          throw new AppError('CHILD_HAS_OPEN_CASE', '拆分后有一个孩子会同时有两个正在办理的案件，请先办结其中一个再拆分');
        throw error;
      }
      await manager.insert(CaseEvent, {
        id: newId(),
        caseId: loser.id,
        at: this.clock.now(),
        actorId: null,
        kind: 'reopened_by_split',
        data: { caseId: keeper.id },
      });
    }
  }

  async mergeOpenCases(manager: EntityManager, reason: string): Promise<number> {
    const children: Array<{ child_id: string }> = await manager.query(
      `SELECT child_id FROM cases WHERE merged_into_id IS NULL AND status NOT IN (${finished}) GROUP BY child_id HAVING COUNT(*) > 1`,
    );
    let merged = 0;
    for (const { child_id } of children) {
      const [keeper, ...later] = await this.openCases(manager, [child_id]);
      for (const loser of later) {
        await this.mergeCase(manager, loser, keeper!, { reason, actorId: null });
        merged++;
      }
    }
    return merged;
  }

  async repairClaims(manager: EntityManager): Promise<void> {
    // the open-case claim of every open case (the unique key added after the repair holds it)
    await manager.query(
      `UPDATE cases SET open_child_id = NULL WHERE open_child_id IS NOT NULL AND (merged_into_id IS NOT NULL OR status IN (${finished}))`,
    );
    await manager.query(
      `UPDATE cases SET open_child_id = child_id WHERE (open_child_id IS NULL OR open_child_id <> child_id) AND merged_into_id IS NULL AND status NOT IN (${finished})`,
    );
    // the priority of every case of a child in a priority group
    await manager.query(
      "UPDATE cases SET priority = 1 WHERE priority = 0 AND child_id IN (SELECT id FROM children WHERE priority_groups IS NOT NULL AND priority_groups <> '[]' AND priority_groups <> '')",
    );
    await manager.query(
      "UPDATE cases SET priority = 0 WHERE priority <> 0 AND child_id IN (SELECT id FROM children WHERE priority_groups = '[]')",
    );
  }

  async setPriority(manager: EntityManager, childId: string, groups: readonly PriorityGroup[]): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(DropoutCase)
      .set({ priority: groups.length ? 1 : 0, version: () => 'version' })
      .where('child_id = :childId', { childId })
      .execute();
  }

  async recordEvents(
    manager: EntityManager,
    childIds: string[],
    actorId: string | null,
    kind: string,
    data: ChildCaseEventData,
  ): Promise<void> {
    const cases = await manager.find(DropoutCase, { where: { childId: In(childIds) }, select: { id: true, mergedIntoId: true } });
    const at = this.clock.now();
    const rows = cases.filter((c) => !c.mergedIntoId).map((c) => ({ id: newId(), caseId: c.id, at, actorId, kind, data }));
    for (const chunk of chunks(rows, 200)) await manager.insert(CaseEvent, chunk);
  }

  async openCasesOf(manager: EntityManager, childIds: string[]): Promise<Map<string, { id: string; status: CaseStatus }>> {
    const cases = childIds.length
      ? await manager.find(DropoutCase, {
          where: { childId: In(childIds) },
          select: { id: true, childId: true, status: true, mergedIntoId: true, openedAt: true },
          order: { openedAt: 'ASC' },
        })
      : [];
    const open = new Map<string, { id: string; status: CaseStatus }>();
    for (const c of cases)
      if (!c.mergedIntoId && isOpenCase(c.status) && !open.has(c.childId)) open.set(c.childId, { id: c.id, status: c.status });
    return open;
  }

  /** The open cases of the children (old databases may hold several per child), oldest first. */
  private async openCases(manager: EntityManager, childIds: string[]): Promise<CaseRow[]> {
    const rows = await manager.find(DropoutCase, { where: { childId: In(childIds) }, select: CASE_COLUMNS });
    return rows
      .filter((c) => isOpenCase(c.status) && !c.mergedIntoId)
      .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.id.localeCompare(b.id));
  }

  /**
   * Merges one open case into another of the same child: the later one is marked merged and leaves
   * the lists; its tips, visits and notices join the one that stays.
   */
  private async mergeCase(
    manager: EntityManager,
    loser: CaseRow,
    keeper: CaseRow,
    options: { reason: string; actorId: string | null },
  ): Promise<ChildCaseMerge> {
    const now = this.clock.now();
    const tips = loser.tipCount;
    const entry: ChildCaseMerge = {
      keptId: keeper.id,
      mergedCaseId: loser.id,
      before: {
        closedAt: loser.closedAt?.toISOString() ?? null,
        dueAt: loser.dueAt?.toISOString() ?? null,
        dueKind: loser.dueKind,
        escalatedTo: loser.escalatedTo,
        tipCount: loser.tipCount,
      },
      tips: [],
      visits: [],
      notices: [],
    };
    await this.updateCase(manager, loser, {
      mergedIntoId: keeper.id,
      openChildId: null,
      closedAt: now,
      dueAt: null,
      dueKind: null,
      escalatedTo: null,
      tipCount: 0,
    });
    entry.tips.push(...(await this.caseTips.idsOf(manager, loser.id)));
    for (const chunk of chunks(entry.tips)) await this.caseTips.move(manager, chunk, loser.id, keeper.id);
    for (const [entity, list] of [
      [CaseVisit, entry.visits],
      [CaseNotice, entry.notices],
    ] as const) {
      const rows = await manager.find(entity as EntityTarget<{ id: string; caseId: string }>, {
        where: { caseId: loser.id },
        select: { id: true },
      });
      list.push(...rows.map((r) => r.id));
      for (const chunk of chunks(list)) await manager.update(entity, { id: In(chunk) }, { caseId: keeper.id });
    }
    await this.updateCase(manager, keeper, { tipCount: keeper.tipCount + tips });
    await manager.insert(CaseEvent, [
      {
        id: newId(),
        caseId: loser.id,
        at: now,
        actorId: options.actorId,
        kind: 'merged_into',
        data: { caseId: keeper.id, reason: options.reason },
      },
      {
        id: newId(),
        caseId: keeper.id,
        at: now,
        actorId: options.actorId,
        kind: 'merged_from',
        data: { caseId: loser.id, tips, reason: options.reason },
      },
    ]);
    return entry;
  }

  /** A guarded write: a case an official changed meanwhile is not overwritten. */
  private async updateCase(manager: EntityManager, row: CaseRow, changes: Partial<DropoutCase>) {
    const { affected } = await manager
      .createQueryBuilder()
      .update(DropoutCase)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: row.id, version: row.version })
      .execute();
    if (affected !== 1) throw AppError.conflict('案件已被他人修改，请刷新后重试');
    Object.assign(row, changes, { version: row.version + 1 });
  }
}
