import { Injectable } from '@nestjs/common';
import { type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

/** A stored audit entry as other modules see it (they never import the entity). */
export type AuditEntryRow = AuditEntry;

/** The columns an audit query is scoped by (`applyScope` with the `read_audit` row). */
export const AUDIT_SCOPE = { county: 'a.county_code', division: 'a.division_code' } as const;

export interface AuditQuery {
  /** Entries about any of these children (a record and those merged into it). */
  childIds?: string[];
  actorId?: string;
  actions?: string[];
  /** Only entries by actors of these roles (a parent's access history: officials and the county bureau). */
  actorRoles?: string[];
  from?: Date;
  to?: Date;
  /** Keyset: entries older than this id (ids sort by creation). */
  beforeId?: string;
  limit: number;
}

/** The audit log as the viewer reads it, newest first. The audit module owns the table; AuditService writes it. */
@Injectable()
export class AuditRecords {
  /**
   * One page of entries matching `query`, narrowed by `scope` (the caller's, from the policy) over
   * the columns of `AUDIT_SCOPE` (alias `a`).
   */
  async find(
    manager: EntityManager,
    query: AuditQuery,
    scope: (qb: SelectQueryBuilder<AuditEntryRow>) => SelectQueryBuilder<AuditEntryRow>,
  ): Promise<AuditEntryRow[]> {
    const qb = scope(manager.createQueryBuilder(AuditEntry, 'a'));
    if (query.childIds) {
      if (query.childIds.length === 0) return [];
      qb.andWhere('a.child_id IN (:...childIds)', { childIds: query.childIds });
    }
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.actions) {
      if (query.actions.length === 0) return [];
      qb.andWhere('a.action IN (:...actions)', { actions: query.actions });
    }
    if (query.actorRoles) qb.andWhere('a.actor_role IN (:...actorRoles)', { actorRoles: query.actorRoles });
    if (query.from) qb.andWhere('a.at >= :from', { from: query.from });
    if (query.to) qb.andWhere('a.at <= :to', { to: query.to });
    if (query.beforeId) qb.andWhere('a.id < :beforeId', { beforeId: query.beforeId });
    return qb.orderBy('a.id', 'DESC').limit(query.limit).getMany();
  }
}
