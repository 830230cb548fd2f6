import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ancestorDivisionCode, type AuditAction } from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import type { Caller } from '../../common/auth/caller';
import { newId } from '../../common/ids';
import { AuditEntry, type AuditDetails } from './audit-entry.entity';

/** Who acted: a signed-in caller (its unit and county are kept with the entry), or an account named by id and role. */
export type AuditActor = Pick<Caller, 'userId' | 'role'> & Partial<Pick<Caller, 'position' | 'unit' | 'countyCode'>>;

export interface AuditRecord {
  /** One of `AUDIT_ACTIONS` (shared): each act has a name people read in the viewer. */
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  reason?: string | null;
  details?: AuditDetails | null;
  /** The child whose record the act reads or changes ("who has seen this record", the parent's access history). */
  childId?: string | null;
  /**
   * Where the record lies: its village, township or county code. The entry belongs to that county
   * and division (a township leader reads the acts on records of their township); without one, to
   * the actor's unit.
   */
  placeCode?: string | null;
}

/** Writes the audit log. Pass the transaction's manager so the entry commits with the change. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(actor: AuditActor | null, entry: AuditRecord, manager: EntityManager = this.dataSource.manager) {
    const unit = actor?.unit ?? null;
    const actorDivision = unit?.kind === 'division' ? unit.code : unit?.kind === 'school' ? unit.townshipCode : null;
    // A supervisor's acts belong to no township: township leaders read their township's log, and
    // must not learn from it who the village's supervisors (the tipsters) are; the county sees them.
    const divisionCode = actor?.role === 'supervisor' ? null : (entry.placeCode ?? actorDivision);
    const countyCode =
      (divisionCode ? ancestorDivisionCode(divisionCode, 'county') : null) ??
      actor?.countyCode ??
      (unit?.kind === 'school' ? unit.countyCode : null);
    await this.insert(manager, {
      id: newId(),
      at: this.clock.now(),
      actorId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      actorPosition: actor?.position ?? null,
      actorDivisionCode: unit?.kind === 'division' ? unit.code : null,
      actorSchoolId: unit?.kind === 'school' ? unit.schoolId : null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      childId: entry.childId ?? null,
      countyCode,
      divisionCode,
      reason: entry.reason ?? null,
      details: entry.details ?? null,
    });
  }

  /** Writes one entry (a subclass may write fewer columns: the one-child migration runs before the viewer's columns exist). */
  protected async insert(manager: EntityManager, row: AuditEntry): Promise<void> {
    await manager.insert(AuditEntry, row);
  }

  /** The entries of `action` about one record, newest first (e.g. whether the operator already revoked a role). */
  async entriesAbout(
    manager: EntityManager,
    targetType: string,
    targetId: string,
    action: AuditAction,
  ): Promise<Array<Pick<AuditEntry, 'at' | 'actorId' | 'details'>>> {
    return manager.find(AuditEntry, {
      where: { targetType, targetId, action },
      select: { at: true, actorId: true, details: true },
      order: { at: 'DESC' },
    });
  }
}
