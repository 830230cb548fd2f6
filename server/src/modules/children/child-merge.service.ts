import { Injectable } from '@nestjs/common';
import type { PriorityGroup, Role } from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { chunks } from '../../common/sql/chunks';
import { UserRecords } from '../accounts/user-records';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { AttendanceDay } from './attendance.entity';
import { ChildGuardian } from './child-guardian.entity';
import { updateChild } from './child-batch-sql';
import { moveChildRows, moveChildRowsBack, type ChildCaseMoves, type ChildRowsTable, type MovedRows } from './child-linked-records';
import { ChildRecordMoves } from './child-record-moves';
import { ChildMatchReview, ChildMerge } from './child-registry.entities';
import { Child } from './child.entity';
import { Guardianship } from './guardianship.entity';
import { isMysql } from '../../database/dialect';

export { CHILD_REFERENCES } from './child-record-moves';

/**
 * The children module's own tables with rows of a child, besides review pairs (handled on their own);
 * other modules' rows move through their ChildLinkedRecords, after these.
 */
const FOLLOWING: readonly ChildRowsTable[] = [
  { entity: Guardianship, table: 'guardianships', key: 'userId', uniqueWith: ['userId'] },
  { entity: ChildGuardian, table: 'child_guardians', key: 'id' },
  // one row per child and day: a day is the row's name (a day's id would not fit the log for years of roll calls)
  { entity: AttendanceDay, table: 'attendance', key: 'day', uniqueWith: ['day'] },
];

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

/**
 * What `child_merges.moved` holds: enough to split the merge exactly. `rows` and `left` hold every
 * module's tables (MovedRows), the cases part is the cases module's (ChildCaseMoves).
 */
export interface MergeLog extends MovedRows, ChildCaseMoves {
  survivor: { before: Partial<Identity>; after: Partial<Identity> };
  merged: { before: Partial<Pick<Child, (typeof UNIQUE)[number]>> };
  reviews: { child: string[]; candidate: string[]; confirmed: string[] };
}

export interface MergeOptions {
  reason: string;
  actorId: string | null;
  actorRole?: Role | null;
  /** The signed-in caller who merges: the audit entry keeps their unit. */
  actor?: AuditActor;
  /** When both records have an open case: the one that stays (the caller's choice); else the older one. */
  keepCaseId?: string;
  /** The input fields errors name (the API's names for the two records). */
  fields?: { survivor: string; merged: string };
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
 * Other modules' rows move through the handlers they register with ChildRecordMoves (cases first,
 * then the rest by module name), in the caller's transaction.
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
    private readonly moves: ChildRecordMoves,
    private readonly users: UserRecords,
  ) {}

  async merge(manager: EntityManager, survivorId: string, mergedId: string, options: MergeOptions): Promise<ChildMerge> {
    const fields = options.fields ?? { survivor: 'survivorId', merged: 'mergedId' };
    if (survivorId === mergedId) throw AppError.invalid({ [fields.merged]: '不能把一条记录合并到它自己' }, '不能把一条记录合并到它自己');
    // unwired handlers fail before anything is locked or written
    const cases = this.moves.cases;
    const linked = this.moves.all();
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

    Object.assign(
      log,
      await cases.moveCases(manager, survivor.id, merged.id, {
        keepCaseId: options.keepCaseId,
        reason: options.reason,
        actorId: options.actorId,
      }),
    );
    for (const table of FOLLOWING) await moveChildRows(manager, table, merged.id, survivor.id, log);
    for (const records of linked) await records.moveChild(manager, merged.id, survivor.id, log);
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
    await cases.recordEvents(manager, [survivor.id], options.actorId, 'child_merged', {
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
        childId: survivor.id,
        placeCode: survivor.villageCode ?? merged.villageCode ?? survivor.countyCode ?? merged.countyCode,
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
    options: { reason: string; actorId: string | null; actorRole?: Role | null; actor?: AuditActor },
  ): Promise<ChildMerge> {
    const record = await manager.findOneBy(ChildMerge, { id: mergeId });
    if (!record) throw AppError.notFound();
    if (record.splitAt) throw new AppError('CHILD_MERGE_ALREADY_SPLIT');
    const cases = this.moves.cases;
    const linked = this.moves.all();
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
    await cases.restoreCases(manager, survivor.id, merged.id, log);
    for (const records of [...linked].reverse()) await records.moveBack(manager, survivor.id, merged.id, log);
    for (const table of [...FOLLOWING].reverse()) await moveChildRowsBack(manager, table, survivor.id, merged.id, log);
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
    await cases.recordEvents(manager, [survivor.id, merged.id], options.actorId, 'child_split', { mergeId, reason: options.reason });
    await this.audit.record(
      await this.actor(manager, options),
      {
        action: 'child.split',
        targetType: 'child',
        targetId: survivor.id,
        childId: survivor.id,
        placeCode: survivor.villageCode ?? survivor.countyCode,
        reason: options.reason,
        details: { mergeId, mergedId: merged.id },
      },
      manager,
    );
    return { ...record, splitAt: now, splitBy: options.actorId, splitReason: options.reason };
  }

  /** Merges the later open cases of every child with several (an old database) into its oldest; returns how many (the repair). */
  async mergeOpenCases(manager: EntityManager, reason: string): Promise<number> {
    return this.moves.cases.mergeOpenCases(manager, reason);
  }

  /** The open-case claims and the priority of every case, once the repair's merges are done. */
  async repairCaseClaims(manager: EntityManager): Promise<void> {
    await this.moves.cases.repairClaims(manager);
  }

  /** Who the audit log names: the acting user with their role, or nobody (the repair). */
  private async actor(
    manager: EntityManager,
    options: { actorId: string | null; actorRole?: Role | null; actor?: AuditActor },
  ): Promise<AuditActor | null> {
    if (options.actor) return options.actor;
    if (!options.actorId) return null;
    const role = options.actorRole ?? (await this.users.roleOf(manager, options.actorId));
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
    await updateChild(manager, merged.id, release);
    if (Object.keys(fill).length) {
      log.survivor.before = Object.fromEntries(Object.keys(fill).map((k) => [k, survivor[k as keyof Identity]]));
      log.survivor.after = fill;
      await updateChild(manager, survivor.id, fill);
    }
    if (fill.priorityGroups) await this.moves.cases.setPriority(manager, survivor.id, fill.priorityGroups);
  }

  private async restoreIdentities(manager: EntityManager, survivor: LoggedChild, merged: LoggedChild, log: MergeLog) {
    // only what nobody changed since the merge is put back
    const back: Partial<Child> = {};
    for (const [field, value] of Object.entries(log.survivor.before)) {
      const key = field as keyof Identity;
      if (same(survivor[key], log.survivor.after[key])) (back as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(back).length) await updateChild(manager, survivor.id, back);
    if (back.priorityGroups) await this.moves.cases.setPriority(manager, survivor.id, back.priorityGroups);
    const restore: Partial<Child> = { mergedIntoId: null };
    for (const [field, value] of Object.entries(log.merged.before) as Array<[(typeof UNIQUE)[number], string]>) {
      // an identifier another record holds now stays with it (unique keys; the records were one child by it)
      if (!(await manager.existsBy(Child, { [field]: value }))) restore[field] = value;
    }
    await updateChild(manager, merged.id, restore);
  }
}
