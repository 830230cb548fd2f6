import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  auditActionsOf,
  chinaDay,
  endOfChinaDay,
  GUARDIAN_VISIBLE_CATEGORIES,
  startOfChinaDay,
  type AccessHistoryEntry,
  type AuditEntryView,
  type AuditFilters,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { exportSheet } from '../../common/sheets/sheet-export';
import { UserRecords } from '../accounts/user-records';
import { AUDIT_SCOPE, AuditRecords, type AuditEntryRow, type AuditQuery } from '../audit/audit-records';
import { AuditService } from '../audit/audit.service';
import { officialCanSeeChild } from '../children/child-access';
import { ChildRecords } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { AUDIT_SHEET_COLUMNS, auditSheetRow, mapAccessHistoryEntry, mapAuditEntry, type AuditNames } from './audit-log.mappers';

/** More than this in one export is refused: narrow the dates (as the ledger does). */
const MAX_EXPORT_ROWS = 20_000;

/** The acts a parent sees on their child, and who they see: the county bureau and officials, never supervisors or families. */
const GUARDIAN_VISIBLE_ACTIONS = GUARDIAN_VISIBLE_CATEGORIES.flatMap(auditActionsOf);
const OFFICIAL_ROLES = ['official', 'county_admin'];

/**
 * The audit viewer (BRIEF §7): the county bureau reads its county's audit log, a township's leaders
 * their township's — by child, person, kind of act and date, on screen and as .xlsx — and each
 * reading is itself audited. A bound parent reads which units read their child's record, when and
 * why (PIPL art. 44–45), with officials named by unit and role only.
 */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly records: AuditRecords,
    private readonly childRecords: ChildRecords,
    private readonly registry: ChildRegistry,
    private readonly users: UserRecords,
    private readonly divisions: DivisionsService,
    private readonly schools: SchoolRecords,
  ) {}

  async list(
    caller: Caller,
    query: AuditFilters & { cursor?: string; limit: number },
  ): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
    requireRecordAccess(caller, 'read_audit');
    const manager = this.dataSource.manager;
    const beforeId = query.cursor ? decodeCursor(query.cursor, ['string'])[0] : undefined;
    const rows = await this.find(manager, caller, query, { beforeId, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    await this.audit.record(caller, {
      action: 'audit.read',
      targetType: 'audit',
      childId: query.childId ?? null,
      details: { ...filterDetails(query), rows: page.length },
    });
    const names = await this.names(manager, page);
    return {
      items: page.map((entry) => mapAuditEntry(entry, names)),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  async export(caller: Caller, query: AuditFilters): Promise<{ fileName: string; content: Buffer }> {
    requireRecordAccess(caller, 'read_audit');
    const manager = this.dataSource.manager;
    const rows = await this.find(manager, caller, query, { limit: MAX_EXPORT_ROWS + 1 });
    if (rows.length > MAX_EXPORT_ROWS) throw AppError.invalid({ from: `一次最多导出${MAX_EXPORT_ROWS}条记录，请缩小日期范围` });
    const names = await this.names(manager, rows);
    const now = this.clock.now();
    const content = await exportSheet({
      title: '审计日志',
      columns: AUDIT_SHEET_COLUMNS,
      rows: rows.map((entry) => auditSheetRow(mapAuditEntry(entry, names), entry.targetId)),
      created: now,
      notes: [
        `导出时间：${chinaDay(now)}；共${rows.length}条，按时间从新到旧排列。`,
        '本文件记录谁在何时查阅、导出或修改了哪些信息及理由，含儿童姓名，请按个人信息妥善保管，不得外传。',
        '本次导出本身已记入审计日志。',
      ],
    });
    await this.audit.record(caller, {
      action: 'audit.export',
      targetType: 'audit',
      childId: query.childId ?? null,
      details: { ...filterDetails(query), rows: rows.length },
    });
    return { fileName: `审计日志-${chinaDay(now)}.xlsx`, content };
  }

  /** For a bound guardian: the acts of officials on the child's record, newest first. */
  async accessHistory(
    caller: Caller,
    id: string,
    query: { cursor?: string; limit: number },
  ): Promise<{ child: { id: string; name: string }; items: AccessHistoryEntry[]; nextCursor: string | null }> {
    requireRecordAccess(caller, 'read_access_history');
    const manager = this.dataSource.manager;
    // a link to a record merged since leads to the child's surviving record
    const child = await this.registry.current(manager, id);
    if (!child || !(await this.childRecords.isBoundParent(manager, child.id, caller.userId))) throw AppError.notFound();
    const beforeId = query.cursor ? decodeCursor(query.cursor, ['string'])[0] : undefined;
    const rows = await this.records.find(
      manager,
      {
        childIds: await this.childRecords.withMergedRecords(manager, child.id),
        actions: GUARDIAN_VISIBLE_ACTIONS,
        actorRoles: OFFICIAL_ROLES,
        beforeId,
        limit: query.limit + 1,
      },
      (qb) => qb,
    );
    const page = rows.slice(0, query.limit);
    await this.audit.record(caller, {
      action: 'child.access_history.read',
      targetType: 'child',
      targetId: child.id,
      childId: child.id,
      placeCode: child.villageCode ?? child.countyCode,
    });
    const names = await this.names(manager, page);
    return {
      child: { id: child.id, name: child.name },
      items: page.map((entry) => mapAccessHistoryEntry(entry, names)),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /**
   * The entries in the caller's part of the log (`read_audit`: the county, or the township) that
   * match the filters. A child outside what the caller may read (`read_child`) reads as not found:
   * asking about it tells nothing, and its id is not written into the caller's own audit entry.
   */
  private async find(
    manager: EntityManager,
    caller: Caller,
    filters: AuditFilters,
    page: Pick<AuditQuery, 'beforeId' | 'limit'>,
  ): Promise<AuditEntryRow[]> {
    let childIds: string[] | undefined;
    if (filters.childId) {
      // a merged record's id stands for the child's surviving record, and the log of both is read
      const child = await this.registry.current(manager, filters.childId);
      if (!child || !officialCanSeeChild(caller, child)) throw AppError.notFound();
      childIds = await this.childRecords.withMergedRecords(manager, child.id);
    }
    return this.records.find(
      manager,
      {
        childIds,
        actorId: filters.actorId,
        actions: filters.category ? auditActionsOf(filters.category) : undefined,
        from: filters.from ? startOfChinaDay(filters.from) : undefined,
        to: filters.to ? endOfChinaDay(filters.to) : undefined,
        ...page,
      },
      (qb) => applyScope(qb, caller, 'read_audit', AUDIT_SCOPE),
    );
  }

  /** The names a page of entries shows, one query per kind. */
  private async names(manager: EntityManager, entries: AuditEntryRow[]): Promise<AuditNames> {
    const users = entries.flatMap((e) => [e.actorId, e.targetType === 'user' ? e.targetId : null]);
    const schools = entries.flatMap((e) => [e.actorSchoolId, e.targetType === 'school' ? e.targetId : null]);
    const divisions = entries.flatMap((e) => [
      e.actorDivisionCode,
      e.actorRole === 'county_admin' ? e.countyCode : null,
      e.targetType === 'ledger' || e.targetType === 'county' ? e.targetId : null,
    ]);
    const present = (ids: Array<string | null>) => [...new Set(ids.filter((id): id is string => !!id))];
    const [userNames, childNames, divisionNames, schoolNames] = await Promise.all([
      this.users.displayNames(manager, present(users)),
      this.childRecords.namesOf(manager, present(entries.map((e) => e.childId))),
      this.divisions.names(present(divisions), manager),
      this.schools.schoolNames(manager, present(schools)),
    ]);
    return { users: userNames, children: childNames, divisions: divisionNames, schools: schoolNames };
  }
}

/** What a reading of the log asked for, as flat details of its own audit entry. */
function filterDetails(filters: AuditFilters): Record<string, string> {
  const details: Record<string, string> = {};
  if (filters.category) details.category = filters.category;
  if (filters.actorId) details.actorId = filters.actorId;
  if (filters.from) details.from = filters.from;
  if (filters.to) details.to = filters.to;
  return details;
}
