import { Injectable } from '@nestjs/common';
import { isOpenCase, type PriorityGroup, type Role } from '@baoxue/shared';
import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { newId } from '../../common/ids';
import { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { CaseEvent, CaseNotice, CaseVisit, DropoutCase } from '../cases/case.entity';
import { CaseTipRecords } from '../cases/case-tips';
import { DeferralApplication, EnrolmentNotice } from '../enrolment/enrolment.entities';
import { BindingAttempt } from '../guardians/binding-attempt.entity';
import { CrosscheckReview } from '../registry/registry.entities';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPayment } from '../subsidies/subsidy.entities';
import { AttendanceDay } from './attendance.entity';
import { ChildGuardian } from './child-guardian.entity';
import { ChildMatchReview, ChildMerge } from './child-registry.entities';
import { Child } from './child.entity';
import { Guardianship } from './guardianship.entity';
import { isMysql } from '../../database/dialect';

/**
 * A table whose rows belong to a child and follow it to the survivor of a merge. `key` names a row
 * in the merge's log (its id; for tables unique per child and something else, that something);
 * `uniqueWith` is the rest of a unique key with the child: a row the survivor already has an
 * equal of stays with the merged record (the survivor's row wins) and is listed as left behind.
 */
interface FollowingTable {
  entity: EntityTarget<ObjectLiteral>;
  table: string;
  key: string;
  uniqueWith?: readonly string[];
}

/** Every table with rows of a child, besides cases and review pairs (handled on their own). Order matters: notices before deferrals. */
const FOLLOWING: readonly FollowingTable[] = [
  { entity: Guardianship, table: 'guardianships', key: 'userId', uniqueWith: ['userId'] },
  { entity: ChildGuardian, table: 'child_guardians', key: 'id' },
  // one row per child and day: a day is the row's name (a day's id would not fit the log for years of roll calls)
  { entity: AttendanceDay, table: 'attendance', key: 'day', uniqueWith: ['day'] },
  { entity: SubsidyEligibilityRow, table: 'subsidy_eligibility', key: 'id', uniqueWith: ['schoolYear'] },
  { entity: SubsidyPayment, table: 'subsidy_payments', key: 'id', uniqueWith: ['semester', 'reference'] },
  { entity: SubsidyComplaint, table: 'subsidy_complaints', key: 'id' },
  { entity: EnrolmentNotice, table: 'enrolment_notices', key: 'id', uniqueWith: ['schoolYear'] },
  { entity: DeferralApplication, table: 'deferral_applications', key: 'id' },
  { entity: BindingAttempt, table: 'binding_attempts', key: 'id' },
  { entity: CrosscheckReview, table: 'crosscheck_reviews', key: 'id', uniqueWith: ['householdMemberId'] },
  { entity: CaseNotice, table: 'case_notices', key: 'id' },
];

/**
 * Every column that names a child, as `table.column`, and what a merge does with it. A test compares
 * this with the entities, so a new table with a child's id cannot be left behind by a merge.
 */
export const CHILD_REFERENCES: Readonly<Record<string, 'moved' | 'bookkeeping'>> = {
  ...Object.fromEntries(FOLLOWING.map((t) => [`${t.table}.child_id`, 'moved' as const])),
  'cases.child_id': 'moved',
  'cases.open_child_id': 'moved',
  'child_match_reviews.child_id': 'moved',
  'child_match_reviews.candidate_id': 'moved',
  // the merge's own links
  'children.merged_into_id': 'bookkeeping',
  'child_merges.survivor_id': 'bookkeeping',
  'child_merges.merged_id': 'bookkeeping',
};

/** The identity columns a merge may fill on the survivor (what it lacked). */
const FILLED = [
  'idNumber',
  'studentNumber',
  'bindingCode',
  'birthDate',
  'villageCode',
  'schoolId',
  'grade',
  'className',
  'boarding',
  'countyCode',
] as const;
/** Held by one record only (unique keys): the merged record gives them up. */
const UNIQUE = ['idNumber', 'studentNumber', 'bindingCode'] as const;

const CHILD_COLUMNS = {
  id: true,
  name: true,
  sex: true,
  birthYear: true,
  birthYearExact: true,
  priorityGroups: true,
  mergedIntoId: true,
  ...Object.fromEntries(FILLED.map((f) => [f, true])),
} as const;

type Identity = Pick<Child, (typeof FILLED)[number] | 'sex' | 'birthYear' | 'birthYearExact' | 'priorityGroups'>;
type LoggedChild = Pick<Child, 'id' | 'name' | 'mergedIntoId' | keyof Identity>;

/** A case merged into another because the two records were one child, and what it had before. */
interface CaseMergeLog {
  keptId: string;
  mergedCaseId: string;
  before: { closedAt: string | null; dueAt: string | null; dueKind: string | null; escalatedTo: string | null; tipCount: number };
  tips: string[];
  visits: string[];
  notices: string[];
}

/** What `child_merges.moved` holds: enough to split the merge exactly. */
export interface MergeLog {
  survivor: { before: Partial<Identity>; after: Partial<Identity> };
  merged: { before: Partial<Pick<Child, (typeof UNIQUE)[number]>> };
  /** Rows moved, per table, by their `key`. */
  rows: Record<string, string[]>;
  /** Rows the survivor already had an equal of: they stayed with the merged record. */
  left: Record<string, string[]>;
  cases: string[];
  /** The merged record's open case, now the survivor's. */
  openCaseId: string | null;
  caseMerges: CaseMergeLog[];
  reviews: { child: string[]; candidate: string[]; confirmed: string[] };
}

export interface MergeOptions {
  reason: string;
  actorId: string | null;
  actorRole?: Role | null;
  /** When both records have an open case: the one that stays (the caller's choice); else the older one. */
  keepCaseId?: string;
  /** The input fields errors name (the API's names for the two records). */
  fields?: { survivor: string; merged: string };
}

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

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Merges two records of one child and splits a wrong merge (BRIEF §3a). A merge moves everything of
 * the merged record to the survivor — cases (two open cases become one: the other is `merged`,
 * its tips, visits and notices join the one that stays), guardians bound in the app and on the
 * roster, attendance, subsidies, enrolment notices, binding attempts, review pairs — fills what the
 * survivor did not know from the merged record, and leaves the merged record pointing at the
 * survivor, so old links still lead to the child. All of it is logged in `child_merges.moved`, so a
 * split puts back exactly what moved; what was written after the merge stays with the survivor.
 *
 * Runs in the caller's transaction: a refusal or a failure leaves both records as they were. Only
 * named columns are read and written, so the repair can use it inside the migration that adds the
 * unique keys, before later migrations have run.
 */
@Injectable()
export class ChildMergeService {
  constructor(
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly caseTips: CaseTipRecords,
  ) {}

  async merge(manager: EntityManager, survivorId: string, mergedId: string, options: MergeOptions): Promise<ChildMerge> {
    const fields = options.fields ?? { survivor: 'survivorId', merged: 'mergedId' };
    if (survivorId === mergedId) throw AppError.invalid({ [fields.merged]: '不能把一条记录合并到它自己' }, '不能把一条记录合并到它自己');
    const [survivor, merged] = await this.lockChildren(manager, [survivorId, mergedId]);
    if (!survivor || !merged) throw AppError.notFound();
    for (const [child, field] of [
      [survivor, fields.survivor],
      [merged, fields.merged],
    ] as const) {
      if (child.mergedIntoId) throw new AppError('CHILD_ALREADY_MERGED', undefined, { [field]: '该记录已合并到另一条记录' });
    }
    const refuse = (message: string) => new AppError('CHILD_MERGE_REFUSED', message, { [fields.merged]: message });
    if (survivor.countyCode && merged.countyCode && survivor.countyCode !== merged.countyCode)
      throw refuse('两条记录属于不同的县，不能合并');
    if (survivor.idNumber && merged.idNumber && survivor.idNumber !== merged.idNumber)
      throw refuse('两条记录的身份证号不同，不是同一个孩子');
    if (survivor.studentNumber && merged.studentNumber && survivor.studentNumber !== merged.studentNumber)
      throw refuse('两条记录的学籍号不同，不是同一个孩子');

    const now = this.clock.now();
    const log: MergeLog = {
      survivor: { before: {}, after: {} },
      merged: { before: {} },
      rows: {},
      left: {},
      cases: [],
      openCaseId: null,
      caseMerges: [],
      reviews: { child: [], candidate: [], confirmed: [] },
    };
    const mergeId = newId();

    await this.moveCases(manager, survivor.id, merged.id, options, log);
    for (const table of FOLLOWING) await this.moveRows(manager, table, merged.id, survivor.id, log);
    await this.moveReviews(manager, survivor.id, merged.id, options, now, log);
    await this.mergeIdentities(manager, survivor, merged, log);

    const record: ChildMerge = {
      id: mergeId,
      survivorId: survivor.id,
      mergedId: merged.id,
      reason: options.reason,
      actorId: options.actorId,
      at: now,
      moved: log as unknown as Record<string, unknown>,
      splitAt: null,
      splitBy: null,
      splitReason: null,
    };
    await manager.insert(ChildMerge, { ...record } as QueryDeepPartialEntity<ChildMerge>);
    await this.caseEvents(manager, [survivor.id], options.actorId, 'child_merged', {
      mergeId,
      reason: options.reason,
      casesMerged: log.caseMerges.length,
    });
    await this.audit.record(
      await this.actor(manager, options),
      {
        action: 'child.merge',
        targetType: 'child',
        targetId: survivor.id,
        reason: options.reason,
        details: { mergeId, mergedId: merged.id, casesMerged: log.caseMerges.length },
      },
      manager,
    );
    return record;
  }

  /** Undoes a merge: what moved goes back, merged cases reopen, both records are as they were. */
  async split(
    manager: EntityManager,
    mergeId: string,
    options: { reason: string; actorId: string | null; actorRole?: Role | null },
  ): Promise<ChildMerge> {
    const record = await manager.findOneBy(ChildMerge, { id: mergeId });
    if (!record) throw AppError.notFound();
    if (record.splitAt) throw new AppError('CHILD_MERGE_ALREADY_SPLIT');
    const [survivor, merged] = await this.lockChildren(manager, [record.survivorId, record.mergedId]);
    if (!survivor || !merged) throw AppError.notFound();
    if (survivor.mergedIntoId)
      throw new AppError('CHILD_ALREADY_MERGED', '合并后的记录又并入了另一条记录，请先拆分后来的那次合并', {
        id: '请先拆分后来的那次合并',
      });
    if (merged.mergedIntoId !== survivor.id) throw new AppError('CHILD_MERGE_SUPERSEDED');
    const log = record.moved as unknown as MergeLog;
    const now = this.clock.now();

    await this.restoreIdentities(manager, survivor, merged, log);
    await this.restoreCases(manager, survivor.id, merged.id, log);
    for (const table of [...FOLLOWING].reverse()) {
      const keys = log.rows[table.table] ?? [];
      for (const chunk of chunks(keys))
        await manager.update(table.entity, { childId: survivor.id, [table.key]: In(chunk) }, { childId: merged.id });
    }
    for (const [column, ids] of [
      ['childId', log.reviews.child],
      ['candidateId', log.reviews.candidate],
    ] as const) {
      for (const chunk of chunks(ids))
        await manager.update(ChildMatchReview, { id: In(chunk), [column]: survivor.id }, { [column]: merged.id });
    }
    // the pair the merge confirmed: a wrong merge says they are two children
    for (const chunk of chunks(log.reviews.confirmed))
      await manager.update(
        ChildMatchReview,
        { id: In(chunk) },
        { status: 'rejected', decidedBy: options.actorId, decidedAt: now, decisionNote: options.reason },
      );

    await manager.update(ChildMerge, { id: mergeId }, { splitAt: now, splitBy: options.actorId, splitReason: options.reason });
    await this.caseEvents(manager, [survivor.id, merged.id], options.actorId, 'child_split', { mergeId, reason: options.reason });
    await this.audit.record(
      await this.actor(manager, options),
      {
        action: 'child.split',
        targetType: 'child',
        targetId: survivor.id,
        reason: options.reason,
        details: { mergeId, mergedId: merged.id },
      },
      manager,
    );
    return { ...record, splitAt: now, splitBy: options.actorId, splitReason: options.reason };
  }

  /**
   * Merges one open case into another of the same child: the later one is marked merged and leaves
   * the lists; its tips, visits and notices join the one that stays. Used by child merges and by the
   * repair of children with several open cases.
   */
  async mergeCase(
    manager: EntityManager,
    loser: CaseRow,
    keeper: CaseRow,
    options: { reason: string; actorId: string | null },
  ): Promise<CaseMergeLog> {
    const now = this.clock.now();
    const tips = loser.tipCount;
    const entry: CaseMergeLog = {
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

  /** The open cases of a child (old databases may hold several), oldest first. */
  async openCases(manager: EntityManager, childIds: string[]): Promise<CaseRow[]> {
    const rows = await manager.find(DropoutCase, { where: { childId: In(childIds) }, select: CASE_COLUMNS });
    return rows
      .filter((c) => isOpenCase(c.status) && !c.mergedIntoId)
      .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.id.localeCompare(b.id));
  }

  /** Who the audit log names: the acting user with their role, or nobody (the repair). */
  private async actor(manager: EntityManager, options: { actorId: string | null; actorRole?: Role | null }) {
    if (!options.actorId) return null;
    const role = options.actorRole ?? (await manager.findOne(User, { where: { id: options.actorId }, select: { role: true } }))?.role;
    return { userId: options.actorId, role: role ?? 'official' };
  }

  /** Both records, locked for the transaction on MySQL (in id order: two merges never wait on each other in a circle). */
  private async lockChildren(manager: EntityManager, ids: string[]): Promise<Array<LoggedChild | undefined>> {
    const qb = manager
      .createQueryBuilder(Child, 'ch')
      .select(Object.keys(CHILD_COLUMNS).map((k) => `ch.${k}`))
      .where('ch.id IN (:...ids)', { ids })
      .orderBy('ch.id', 'ASC');
    if (isMysql(manager)) qb.setLock('pessimistic_write');
    const rows = await qb.getMany();
    return ids.map((id) => rows.find((r) => r.id === id));
  }

  private async moveCases(manager: EntityManager, survivorId: string, mergedId: string, options: MergeOptions, log: MergeLog) {
    const open = await this.openCases(manager, [survivorId, mergedId]);
    if (open.length > 1) {
      const keeper = open.find((c) => c.id === options.keepCaseId) ?? open[0]!;
      for (const loser of open.filter((c) => c !== keeper))
        log.caseMerges.push(await this.mergeCase(manager, loser, keeper, { reason: options.reason, actorId: options.actorId }));
    }
    const theirs = await manager.find(DropoutCase, { where: { childId: mergedId }, select: CASE_COLUMNS });
    log.cases = theirs.map((c) => c.id);
    for (const chunk of chunks(log.cases)) await manager.update(DropoutCase, { id: In(chunk) }, { childId: survivorId });
    const stillOpen = theirs.find((c) => isOpenCase(c.status) && !c.mergedIntoId && !log.caseMerges.some((m) => m.mergedCaseId === c.id));
    if (stillOpen) {
      // the open-case claim follows the child (the survivor's own open case, if any, was merged above)
      await manager.update(DropoutCase, { id: stillOpen.id }, { openChildId: survivorId });
      log.openCaseId = stillOpen.id;
    }
  }

  private async restoreCases(manager: EntityManager, survivorId: string, mergedId: string, log: MergeLog) {
    for (const chunk of chunks(log.cases)) await manager.update(DropoutCase, { id: In(chunk), childId: survivorId }, { childId: mergedId });
    if (log.openCaseId) await manager.update(DropoutCase, { id: log.openCaseId, openChildId: survivorId }, { openChildId: mergedId });
    for (const entry of [...log.caseMerges].reverse()) {
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
      await this.caseEvent(manager, loser.id, null, 'reopened_by_split', { caseId: keeper.id });
    }
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

  private async moveRows(manager: EntityManager, table: FollowingTable, from: string, to: string, log: MergeLog) {
    const columns = [table.key, ...(table.uniqueWith ?? []), ...(table.entity === DeferralApplication ? ['noticeId'] : [])];
    const rows = await manager.find(table.entity, { where: { childId: from }, select: Object.fromEntries(columns.map((k) => [k, true])) });
    if (!rows.length) return;
    const identity = (row: ObjectLiteral) => (table.uniqueWith ?? []).map((k) => String(row[k])).join('|');
    const taken = new Set<string>();
    if (table.uniqueWith) {
      const theirs = await manager.find(table.entity, {
        where: { childId: to },
        select: Object.fromEntries(table.uniqueWith.map((k) => [k, true])),
      });
      for (const row of theirs) taken.add(identity(row));
    }
    // a deferral goes where its enrolment notice went
    const noticesLeft = new Set(log.left.enrolment_notices ?? []);
    const moving: string[] = [];
    const left: string[] = [];
    for (const row of rows) {
      const stays =
        (table.uniqueWith && taken.has(identity(row))) || (table.entity === DeferralApplication && noticesLeft.has(row.noticeId));
      (stays ? left : moving).push(String(row[table.key]));
    }
    for (const chunk of chunks(moving)) await manager.update(table.entity, { childId: from, [table.key]: In(chunk) }, { childId: to });
    if (moving.length) log.rows[table.table] = moving;
    if (left.length) log.left[table.table] = left;
  }

  /**
   * Review pairs follow the child; a pair that would repeat one the survivor already has stays, and
   * the pending pair of these two records is confirmed by the merge itself.
   */
  private async moveReviews(manager: EntityManager, survivorId: string, mergedId: string, options: MergeOptions, now: Date, log: MergeLog) {
    const select = { id: true, childId: true, candidateId: true, status: true } as const;
    const [theirs, ours] = await Promise.all([
      manager.find(ChildMatchReview, { where: [{ childId: mergedId }, { candidateId: mergedId }], select }),
      manager.find(ChildMatchReview, { where: [{ childId: survivorId }, { candidateId: survivorId }], select }),
    ]);
    const paired = new Set(ours.map((r) => (r.childId === survivorId ? r.candidateId : r.childId)));
    for (const review of theirs) {
      const other = review.childId === mergedId ? review.candidateId : review.childId;
      if (other === survivorId) {
        if (review.status === 'pending') log.reviews.confirmed.push(review.id);
        continue;
      }
      if (paired.has(other)) {
        (log.left.child_match_reviews ??= []).push(review.id);
        continue;
      }
      paired.add(other);
      const column = review.childId === mergedId ? 'childId' : 'candidateId';
      await manager.update(ChildMatchReview, { id: review.id }, { [column]: survivorId });
      log.reviews[column === 'childId' ? 'child' : 'candidate'].push(review.id);
    }
    for (const chunk of chunks(log.reviews.confirmed))
      await manager.update(
        ChildMatchReview,
        { id: In(chunk) },
        { status: 'confirmed', decidedBy: options.actorId, decidedAt: now, decisionNote: options.reason },
      );
  }

  /** The survivor gets what it did not know; the merged record gives up its identifiers and points at the survivor. */
  private async mergeIdentities(manager: EntityManager, survivor: LoggedChild, merged: LoggedChild, log: MergeLog) {
    const fill: Partial<Identity> = {};
    for (const field of FILLED) {
      if ((survivor[field] === null || survivor[field] === undefined) && merged[field] !== null && merged[field] !== undefined)
        (fill as Record<string, unknown>)[field] = merged[field];
    }
    if (survivor.sex === 'unknown' && merged.sex !== 'unknown') fill.sex = merged.sex;
    if (merged.birthYear !== null && (survivor.birthYear === null || (merged.birthYearExact && !survivor.birthYearExact)))
      Object.assign(fill, { birthYear: merged.birthYear, birthYearExact: merged.birthYearExact });
    const groups = [...new Set<PriorityGroup>([...survivor.priorityGroups, ...merged.priorityGroups])];
    if (groups.length !== survivor.priorityGroups.length) fill.priorityGroups = groups;

    // the merged record lets go of its identifiers first: they are unique
    const release: Partial<Child> = { mergedIntoId: survivor.id };
    for (const field of UNIQUE) {
      const keep = field === 'bindingCode' && !('bindingCode' in fill);
      // a binding code the survivor does not take stays, so a printed notice still binds (to the survivor)
      if (merged[field] && !keep) {
        release[field] = null;
        log.merged.before[field] = merged[field];
      }
    }
    await manager.update(Child, { id: merged.id }, release);
    if (Object.keys(fill).length) {
      log.survivor.before = Object.fromEntries(Object.keys(fill).map((k) => [k, survivor[k as keyof Identity]]));
      log.survivor.after = fill;
      await manager.update(Child, { id: survivor.id }, fill);
    }
    if (fill.priorityGroups) await this.casePriority(manager, survivor.id, fill.priorityGroups);
  }

  private async restoreIdentities(manager: EntityManager, survivor: LoggedChild, merged: LoggedChild, log: MergeLog) {
    // only what nobody changed since the merge is put back
    const back: Partial<Child> = {};
    for (const [field, value] of Object.entries(log.survivor.before)) {
      const key = field as keyof Identity;
      if (same(survivor[key], log.survivor.after[key])) (back as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(back).length) await manager.update(Child, { id: survivor.id }, back);
    if (back.priorityGroups) await this.casePriority(manager, survivor.id, back.priorityGroups);
    const restore: Partial<Child> = { mergedIntoId: null };
    for (const [field, value] of Object.entries(log.merged.before) as Array<[(typeof UNIQUE)[number], string]>) {
      // an identifier another record holds now stays with it (unique keys; the records were one child by it)
      if (!(await manager.existsBy(Child, { [field]: value }))) restore[field] = value;
    }
    await manager.update(Child, { id: merged.id }, restore);
  }

  private async casePriority(manager: EntityManager, childId: string, groups: PriorityGroup[]) {
    await manager
      .createQueryBuilder()
      .update(DropoutCase)
      // as ChildRegistry.setPriorityGroups: nobody's edit in progress turns stale over it
      .set({ priority: groups.length ? 1 : 0, version: () => 'version' })
      .where('child_id = :childId', { childId })
      .execute();
  }

  /** An event on every case of these children still in the lists: the merge shows on each timeline. */
  private async caseEvents(
    manager: EntityManager,
    childIds: string[],
    actorId: string | null,
    kind: string,
    data: NonNullable<CaseEvent['data']>,
  ) {
    const cases = await manager.find(DropoutCase, { where: { childId: In(childIds) }, select: { id: true, mergedIntoId: true } });
    const at = this.clock.now();
    const rows = cases.filter((c) => !c.mergedIntoId).map((c) => ({ id: newId(), caseId: c.id, at, actorId, kind, data }));
    for (const chunk of chunks(rows, 200)) await manager.insert(CaseEvent, chunk);
  }

  private async caseEvent(manager: EntityManager, caseId: string, actorId: string | null, kind: string, data: CaseEvent['data']) {
    await manager.insert(CaseEvent, { id: newId(), caseId, at: this.clock.now(), actorId, kind, data });
  }
}
