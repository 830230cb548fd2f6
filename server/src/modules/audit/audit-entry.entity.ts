import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/** Audit details are flat: identifiers, counts and labels, never personal data. */
export type AuditDetails = Record<string, string | number | boolean | null>;

/** Who did or read what, when and why. Append-only. */
@Entity('audit_log')
@Index('idx_audit_target', ['targetType', 'targetId', 'at'])
@Index('idx_audit_actor', ['actorId', 'at'])
export class AuditEntry {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 16, name: 'actor_role', nullable: true })
  actorRole: string | null;

  @Column({ type: 'varchar', length: 48 })
  action: string;

  @Column({ type: 'varchar', length: 32, name: 'target_type' })
  targetType: string;

  @Column({ type: 'varchar', length: 64, name: 'target_id', nullable: true })
  targetId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ type: 'simple-json', nullable: true })
  details: AuditDetails | null;
}
