import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { InvitableRole, Position } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A single-use code that turns a signed-in user into a supervisor, an official of a unit or a county admin. */
@Entity('invitations')
@Index('idx_invitations_county', ['countyCode', 'createdAt'])
export class Invitation {
  @PrimaryColumn(idColumn)
  id: string;

  @Index('uq_invitations_code_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'code_hash' })
  codeHash: string;

  @Column({ type: 'varchar', length: 4, name: 'code_hint' })
  codeHint: string;

  @Column({ type: 'varchar', length: 16 })
  role: InvitableRole;

  @Column({ type: 'varchar', length: 16, nullable: true })
  position: Position | null;

  @Column({ ...divisionCodeColumn, name: 'unit_division_code', nullable: true })
  unitDivisionCode: string | null;

  @Column({ ...idColumn, name: 'unit_school_id', nullable: true })
  unitSchoolId: string | null;

  /**
   * The area whose admins see and revoke the code: the county, or for a region admin's code its
   * prefecture or province (the region's own code, which no county's prefix matches).
   */
  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  note: string | null;

  @Column({ ...timestampColumn, name: 'expires_at' })
  expiresAt: Date;

  /** The county admin who issued it; null for a code the operator printed (`invite-county-admin`). */
  @Column({ ...idColumn, name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'used_at', nullable: true })
  usedAt: Date | null;

  @Column({ ...idColumn, name: 'used_by', nullable: true })
  usedBy: string | null;

  @Column({ ...timestampColumn, name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
