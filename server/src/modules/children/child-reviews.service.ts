import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  divisionPrefix,
  type ChildMergesResponse,
  type ChildMergeView,
  type ChildRecordView,
  type ChildReviewStatus,
  type ChildReviewView,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { readScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { transactionWithRetry } from '../../database/transaction';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { ChildMergeService } from './child-merge.service';
import { ChildRecordMoves } from './child-record-moves';
import { placeOfChild } from './child-records';
import { ChildRegistry } from './child-registry.service';
import { ChildMatchReview, ChildMerge } from './child-registry.entities';
import { Child } from './child.entity';
import { mapChildMerge, mapChildRecord, mapChildReview } from './child.mappers';

/** The part of the county a caller may merge children in: a division-code prefix. */
interface Authority {
  prefix: string;
  countyCode: string;
}

/**
 * The review list of records that may be one child, and the merges and splits officials make
 * (BRIEF §3a). County admins act on the children of their county, township leaders on those of
 * their township (BRIEF §7); a record outside reads as not found. Every decision, merge and split is
 * audited and shows on the cases of the child.
 */
@Injectable()
export class ChildReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly merges: ChildMergeService,
    private readonly registry: ChildRegistry,
    private readonly audit: AuditService,
    private readonly divisions: DivisionsService,
    private readonly moves: ChildRecordMoves,
    private readonly schools: SchoolRecords,
    private readonly users: UserRecords,
  ) {}

  async list(
    caller: Caller,
    query: { status: ChildReviewStatus; cursor?: string; limit: number },
  ): Promise<{ items: ChildReviewView[]; nextCursor: string | null }> {
    const authority = authorityOf(caller);
    // the queue oldest first; decisions newest first
    const order = query.status === 'pending' ? 'ASC' : 'DESC';
    const qb = this.dataSource.manager
      .createQueryBuilder(ChildMatchReview, 'r')
      .where('r.county_code = :county AND r.status = :status', { county: authority.countyCode, status: query.status })
      .orderBy('r.id', order)
      .limit(query.limit + 1);
    if (authority.prefix.length > 6) {
      // a township leader: both records of the pair live (or go to school) in the township
      for (const [alias, column] of [
        ['ch', 'r.child_id'],
        ['ca', 'r.candidate_id'],
      ] as const) {
        qb.innerJoin(Child, alias, `${alias}.id = ${column}`).andWhere(
          `(${alias}.village_code LIKE :place OR (${alias}.village_code IS NULL AND ${this.schools.inTownship(`${alias}.school_id`, 'township')}))`,
          { place: `${authority.prefix}%`, township: authority.prefix.padEnd(12, '0') },
        );
      }
    }
    if (query.cursor) qb.andWhere(`r.id ${order === 'ASC' ? '>' : '<'} :after`, { after: decodeCursor(query.cursor, ['string'])[0] });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.reviewViews(this.dataSource.manager, page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** Confirm (the two records are merged) or reject (two children), with a reason. */
  async decide(
    caller: Caller,
    id: string,
    input: { decision: 'confirm' | 'reject'; reason: string; survivorId: string | null },
  ): Promise<ChildReviewView> {
    const authority = authorityOf(caller);
    const review = await this.dataSource.manager.findOneBy(ChildMatchReview, { id });
    if (!review || review.countyCode !== authority.countyCode) throw AppError.notFound();
    await this.inScope(this.dataSource.manager, authority, [review.childId, review.candidateId]);
    if (review.status !== 'pending') throw new AppError('CHILD_REVIEW_DECIDED');
    if (input.decision === 'reject') {
      if (input.survivorId) throw AppError.invalid({ survivorId: '否认时不需要选择保留的记录' });
      await transactionWithRetry(this.dataSource, async (manager) => {
        const now = this.clock.now();
        const claimed = await manager.update(
          ChildMatchReview,
          { id, status: 'pending' },
          { status: 'rejected', decidedBy: caller.userId, decidedAt: now, decisionNote: input.reason },
        );
        if (claimed.affected !== 1) throw new AppError('CHILD_REVIEW_DECIDED');
        await this.audit.record(
          caller,
          {
            action: 'child.review.reject',
            targetType: 'child_match_review',
            targetId: id,
            childId: review.childId,
            reason: input.reason,
            details: { childId: review.childId, candidateId: review.candidateId },
          },
          manager,
        );
        await this.moves.cases.recordEvents(manager, [review.childId, review.candidateId], caller.userId, 'child_review_rejected', {
          reviewId: id,
          reason: input.reason,
        });
      });
    } else {
      if (input.survivorId && input.survivorId !== review.childId && input.survivorId !== review.candidateId)
        throw AppError.invalid({ survivorId: '请选择这两条记录中的一条作为保留的记录' });
      await transactionWithRetry(this.dataSource, async (manager) => {
        // a record of the pair merged meanwhile stands for its survivor
        const [a, b] = await Promise.all([review.childId, review.candidateId].map((c) => this.registry.current(manager, c)));
        if (!a || !b) throw AppError.notFound();
        let mergeId: string | null = null;
        if (a.id !== b.id) {
          const chosen = input.survivorId === null ? null : await this.registry.current(manager, input.survivorId);
          const survivor = chosen ? (chosen.id === a.id ? a : b) : defaultSurvivor(a, b);
          const merged = survivor === a ? b : a;
          mergeId = (
            await this.merges.merge(manager, survivor.id, merged.id, {
              reason: input.reason,
              actorId: caller.userId,
              actorRole: caller.role,
              actor: caller,
              fields: { survivor: 'survivorId', merged: 'decision' },
            })
          ).id;
        }
        // the merge confirms the pending pair of its two records; a pair of records merged since is confirmed here
        await manager.update(
          ChildMatchReview,
          { id, status: 'pending' },
          { status: 'confirmed', decidedBy: caller.userId, decidedAt: this.clock.now(), decisionNote: input.reason },
        );
        await this.audit.record(
          caller,
          {
            action: 'child.review.confirm',
            targetType: 'child_match_review',
            targetId: id,
            childId: review.childId,
            reason: input.reason,
            details: { mergeId, childId: review.childId, candidateId: review.candidateId },
          },
          manager,
        );
      });
    }
    const saved = await this.dataSource.manager.findOneByOrFail(ChildMatchReview, { id });
    return (await this.reviewViews(this.dataSource.manager, [saved]))[0]!;
  }

  /** Merges two records of one child by id (the first stays). */
  async merge(caller: Caller, input: { survivorId: string; mergedId: string; reason: string }): Promise<ChildMergeView> {
    const authority = authorityOf(caller);
    await this.inScope(this.dataSource.manager, authority, [input.survivorId, input.mergedId]);
    const merge = await transactionWithRetry(this.dataSource, (manager) =>
      this.merges.merge(manager, input.survivorId, input.mergedId, {
        reason: input.reason,
        actorId: caller.userId,
        actorRole: caller.role,
        actor: caller,
      }),
    );
    return (await this.mergeViews(this.dataSource.manager, [merge], authority))[0]!;
  }

  /** Splits a wrong merge: both records are as they were before it. */
  async split(caller: Caller, mergeId: string, reason: string): Promise<ChildMergeView> {
    const authority = authorityOf(caller);
    const merge = await this.dataSource.manager.findOneBy(ChildMerge, { id: mergeId });
    if (!merge) throw AppError.notFound();
    await this.inScope(this.dataSource.manager, authority, [merge.survivorId, merge.mergedId]);
    const split = await transactionWithRetry(this.dataSource, (manager) =>
      this.merges.split(manager, mergeId, { reason, actorId: caller.userId, actorRole: caller.role, actor: caller }),
    );
    return (await this.mergeViews(this.dataSource.manager, [split], authority))[0]!;
  }

  /** A child's record (the survivor, when asked with a merged record's id) and every merge it took part in. */
  async history(caller: Caller, childId: string): Promise<ChildMergesResponse> {
    const authority = authorityOf(caller);
    const manager = this.dataSource.manager;
    const current = await this.registry.current(manager, childId);
    if (!current) throw AppError.notFound();
    await this.inScope(manager, authority, [current.id]);
    // the record and every record merged into it, however many merges ago
    const family = [current.id];
    for (let frontier = [current.id], hops = 0; frontier.length && hops < 8; hops++) {
      frontier = (await manager.find(Child, { where: { mergedIntoId: In(frontier) }, select: { id: true } })).map((c) => c.id);
      family.push(...frontier);
    }
    const merges = await manager.find(ChildMerge, {
      where: [{ survivorId: In(family) }, { mergedId: In(family) }],
      order: { at: 'DESC' },
      take: 100,
    });
    await this.audit.record(caller, {
      action: 'child.merges.read',
      targetType: 'child',
      targetId: current.id,
      childId: current.id,
      placeCode: placeOfChild(current),
    });
    return {
      child: (await this.recordViews(manager, [current])).get(current.id)!,
      items: await this.mergeViews(manager, merges, authority),
    };
  }

  /** The records, each inside the caller's part of the county; anything else reads as not found. */
  private async inScope(manager: EntityManager, authority: Authority, ids: string[]): Promise<Child[]> {
    const children = await manager.findBy(Child, { id: In(ids) });
    const townships = await this.schools.townshipsOf(
      manager,
      children.flatMap((c) => (c.schoolId ? [c.schoolId] : [])),
    );
    return ids.map((id) => {
      const child = children.find((c) => c.id === id);
      const place = child && (child.villageCode ?? (child.schoolId ? townships.get(child.schoolId) : undefined) ?? child.countyCode);
      if (!child || !place || !place.startsWith(authority.prefix)) throw AppError.notFound();
      return child;
    });
  }

  private async reviewViews(manager: EntityManager, reviews: ChildMatchReview[]): Promise<ChildReviewView[]> {
    if (!reviews.length) return [];
    const ids = [...new Set(reviews.flatMap((r) => [r.childId, r.candidateId]))];
    const [children, deciders, merges] = await Promise.all([
      manager.findBy(Child, { id: In(ids) }),
      this.users.displayNames(manager, namedIds(reviews.map((r) => r.decidedBy))),
      manager.find(ChildMerge, { where: { mergedId: In(ids) }, select: { id: true, survivorId: true, mergedId: true, splitAt: true } }),
    ]);
    const records = await this.recordViews(manager, children);
    return reviews.map((r) => {
      const merge = merges.find(
        (m) =>
          !m.splitAt &&
          ((m.survivorId === r.childId && m.mergedId === r.candidateId) || (m.survivorId === r.candidateId && m.mergedId === r.childId)),
      );
      return mapChildReview(r, { child: records.get(r.childId)!, candidate: records.get(r.candidateId)! }, deciders, merge?.id ?? null);
    });
  }

  private async recordViews(manager: EntityManager, children: Child[]): Promise<Map<string, ChildRecordView>> {
    const ids = children.map((c) => c.id);
    const [schools, places, openCases] = await Promise.all([
      this.schools.schoolNames(manager, namedIds(children.map((c) => c.schoolId))),
      this.divisions.fullNames(
        children.flatMap((c) => (c.villageCode ? [c.villageCode] : [])),
        manager,
      ),
      this.moves.cases.openCasesOf(manager, ids),
    ]);
    return new Map(
      children.map((c) => {
        const view = mapChildRecord(c, { schoolNames: schools, places }, openCases.get(c.id) ?? null);
        return [c.id, view];
      }),
    );
  }

  private async mergeViews(manager: EntityManager, merges: ChildMerge[], authority: Authority): Promise<ChildMergeView[]> {
    if (!merges.length) return [];
    const children = await manager.find(Child, {
      where: { id: In([...new Set(merges.flatMap((m) => [m.survivorId, m.mergedId]))]) },
      select: { id: true, name: true, mergedIntoId: true, villageCode: true, countyCode: true },
    });
    const users = await this.users.displayNames(manager, namedIds(merges.flatMap((m) => [m.actorId, m.splitBy])));
    const byId = new Map(children.map((c) => [c.id, c]));
    return merges.map((m) => {
      const survivor = byId.get(m.survivorId);
      const merged = byId.get(m.mergedId);
      const place = (c: typeof survivor) => c?.villageCode ?? c?.countyCode ?? '';
      const canSplit =
        !m.splitAt &&
        !survivor?.mergedIntoId &&
        merged?.mergedIntoId === m.survivorId &&
        place(survivor).startsWith(authority.prefix) &&
        place(merged).startsWith(authority.prefix);
      return mapChildMerge(m, { survivor: survivor?.name ?? '', merged: merged?.name ?? '' }, users, canSplit);
    });
  }
}

/** The ids to look names up for: each once, none null. */
function namedIds(ids: ReadonlyArray<string | null>): string[] {
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/** County admins act in their county, township leaders in their township (`review_children`); nobody else merges children. */
function authorityOf(caller: Caller): Authority {
  requireRecordAccess(caller, 'review_children');
  // the policy let in a county admin or a township's leader, both of a county: the county's area, or the township's
  const countyCode = caller.countyCode!;
  const scope = readScope(caller, 'review_children');
  const area = scope?.relation === 'division' ? scope.code : countyCode;
  return { prefix: divisionPrefix(area), countyCode };
}

/** Which record of a confirmed pair stays: the one on a school roster, else the one with an ID number, else the older one. */
function defaultSurvivor(a: Child, b: Child): Child {
  const rank = (c: Child) => (c.studentNumber ? 2 : 0) + (c.idNumber ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
  return a.createdAt.getTime() <= b.createdAt.getTime() ? a : b;
}
