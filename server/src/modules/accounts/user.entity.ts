import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Position, Role } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/**
 * A person signed in through WeChat. Everyone starts as a parent; an invitation code makes them a
 * supervisor or an official of a unit (a division or a school).
 */
@Entity('users')
@Index('idx_users_county_role', ['countyCode', 'role'])
export class User {
  @PrimaryColumn(idColumn)
  id: string;

  @Index('uq_users_openid', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  openid: string | null;

  /** Key of a demo account (demo and test modes only). */
  @Index('uq_users_demo_account', { unique: true })
  @Column({ type: 'varchar', length: 32, name: 'demo_account', nullable: true })
  demoAccount: string | null;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'varchar', length: 32, name: 'display_name' })
  displayName: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  position: Position | null;

  @Column({ ...divisionCodeColumn, name: 'unit_division_code', nullable: true })
  unitDivisionCode: string | null;

  @Column({ ...idColumn, name: 'unit_school_id', nullable: true })
  unitSchoolId: string | null;

  /** The county the unit lies in: what a county admin's account list is scoped by. */
  @Column({ ...divisionCodeColumn, name: 'county_code', nullable: true })
  countyCode: string | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ type: 'varchar', length: 32, name: 'privacy_consent_version', nullable: true })
  privacyConsentVersion: string | null;

  @Column({ ...timestampColumn, name: 'privacy_consent_at', nullable: true })
  privacyConsentAt: Date | null;

  @Column({ ...timestampColumn, name: 'last_seen_at', nullable: true })
  lastSeenAt: Date | null;

  @CreateDateColumn({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}
