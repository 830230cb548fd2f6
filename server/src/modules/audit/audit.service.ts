import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import type { Caller } from '../../common/auth/caller';
import { newId } from '../../common/ids';
import { AuditEntry, type AuditDetails } from './audit-entry.entity';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  reason?: string | null;
  details?: AuditDetails | null;
}

/** Writes the audit log. Pass the transaction's manager so the entry commits with the change. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(actor: Pick<Caller, 'userId' | 'role'> | null, entry: AuditRecord, manager: EntityManager = this.dataSource.manager) {
    await manager.insert(AuditEntry, {
      id: newId(),
      at: this.clock.now(),
      actorId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      reason: entry.reason ?? null,
      details: entry.details ?? null,
    });
  }
}
