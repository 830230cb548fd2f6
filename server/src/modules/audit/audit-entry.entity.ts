import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** Audit details are flat: identifiers, counts and labels, never personal data. */
export type AuditDetails = Record<string, string | number | boolean | null>;

/**
 * Who did or read what, when and why. Append-only. Each entry also keeps what the viewer filters on
 * (BRIEF §7): the child concerned, the county and the division where the act belongs (the township
 * leader's scope), and the actor's position and unit as they were at the time (a parent's access
 * history names units, not people).
 */
@Entity('audit_log')
@Index('idx_audit_target', ['targetType', 'targetId', 'at'])
@Index('idx_audit_actor', ['actorId', 'at'])
// the viewer reads newest first by id (UUIDv7, in order of writing) within a child, a county or a division
@Index('idx_audit_child', ['childId', 'id'])
@Index('idx_audit_county', ['countyCode', 'id'])
@Index('idx_audit_division', ['divisionCode', 'id'])
export class AuditEntry {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 16, name: 'actor_role', nullable: true })
  actorRole: string | null;

  /** The actor's position in their unit at the time (负责人, 包抓干部, 学校教职工). */
  @Column({ type: 'varchar', length: 16, name: 'actor_position', nullable: true })
  actorPosition: string | null;

  /** The actor's division unit at the time (a county admin's county, an official's township or village). */
  @Column({ ...divisionCodeColumn, name: 'actor_division_code', nullable: true })
  actorDivisionCode: string | null;

  /** The actor's school at the time, for school staff. */
  @Column({ ...idColumn, name: 'actor_school_id', nullable: true })
  actorSchoolId: string | null;

  @Column({ type: 'varchar', length: 48 })
  action: string;

  @Column({ type: 'varchar', length: 32, name: 'target_type' })
  targetType: string;

  @Column({ type: 'varchar', length: 64, name: 'target_id', nullable: true })
  targetId: string | null;

  /** The child whose record the act read, revealed or changed. */
  @Column({ ...idColumn, name: 'child_id', nullable: true })
  childId: string | null;

  /** The county the act belongs to: the county admin's scope. */
  @Column({ ...divisionCodeColumn, name: 'county_code', nullable: true })
  countyCode: string | null;

  /** Where in the county: the record's village or township, else the actor's unit (a township leader's scope is its prefix). */
  @Column({ ...divisionCodeColumn, name: 'division_code', nullable: true })
  divisionCode: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ type: 'simple-json', nullable: true })
  details: AuditDetails | null;
}
