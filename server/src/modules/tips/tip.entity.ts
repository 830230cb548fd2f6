import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ChildSex } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** What a supervisor reported, exactly as they reported it. */
@Entity('tips')
@Index('uq_tips_idempotency', ['supervisorId', 'idempotencyKey'], { unique: true })
@Index('idx_tips_supervisor', ['supervisorId', 'createdAt'])
@Index('idx_tips_case', ['caseId'])
export class Tip {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'supervisor_id' })
  supervisorId: string;

  @Column({ ...idColumn, name: 'idempotency_key' })
  idempotencyKey: string;

  /** SHA-256 of the normalised request, to tell a retry from a different tip with a reused key. */
  @Column({ type: 'varchar', length: 64, name: 'request_hash' })
  requestHash: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  /** The child was already being followed when this tip arrived. */
  @Column({ type: 'boolean', name: 'already_followed', default: false })
  alreadyFollowed: boolean;

  @Column({ type: 'varchar', length: 32, name: 'child_name' })
  childName: string;

  @Column({ type: 'varchar', length: 8, name: 'child_sex' })
  childSex: ChildSex;

  @Column({ type: 'int', name: 'child_age', nullable: true })
  childAge: number | null;

  @Column({ type: 'int', name: 'child_grade', nullable: true })
  childGrade: number | null;

  @Column({ ...idColumn, name: 'last_school_id', nullable: true })
  lastSchoolId: string | null;

  @Column({ type: 'varchar', length: 64, name: 'last_school_name', nullable: true })
  lastSchoolName: string | null;

  @Column({ type: 'varchar', length: 18, name: 'child_id_number', nullable: true })
  childIdNumber: string | null;

  /** The most precise place the tipster knew. */
  @Column({ ...divisionCodeColumn, name: 'division_code', nullable: true })
  divisionCode: string | null;

  @Column({ type: 'varchar', length: 128, name: 'location_note', nullable: true })
  locationNote: string | null;

  @Column({ type: 'text' })
  observation: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  contact: string | null;

  @Column({ ...idColumn, name: 'photo_id', nullable: true })
  photoId: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;
}
