import type { PupilChangeKind, PupilChangeStatus } from '@baoxue/shared';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/**
 * 学籍异动 (BRIEF §4a): a pupil who transfers out (the receiving school confirms), suspends studies
 * 休学 (the county approves, with a document) or moves away (effective at once). The class the pupil
 * left is kept here: an effective change moves the child record itself.
 */
@Entity('pupil_changes')
@Index('uq_pupil_changes_open', ['childId', 'openKey'], { unique: true })
@Index('idx_pupil_changes_from', ['fromSchoolId', 'status'])
@Index('idx_pupil_changes_to', ['toSchoolId', 'status'])
@Index('idx_pupil_changes_county', ['countyCode', 'kind', 'status'])
export class PupilChange {
  @PrimaryColumn(idColumn)
  id: string;

  /** The county of the pupil's school when the change was recorded (the county that approves a 休学). */
  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'varchar', length: 12 })
  kind: PupilChangeKind;

  @Column({ type: 'varchar', length: 12 })
  status: PupilChangeStatus;

  /**
   * `open` while the change waits for a decision, else the change's own id: with the child a unique
   * key, so a pupil has at most one pending change whatever races.
   */
  @Column({ type: 'varchar', length: 36, name: 'open_key' })
  openKey: string;

  @Column({ ...idColumn, name: 'from_school_id' })
  fromSchoolId: string;

  @Column({ type: 'integer', name: 'from_grade', nullable: true })
  fromGrade: number | null;

  @Column({ type: 'varchar', length: 16, name: 'from_class_name', nullable: true })
  fromClassName: string | null;

  @Column({ ...idColumn, name: 'to_school_id', nullable: true })
  toSchoolId: string | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  destination: string | null;

  @Column({ type: 'varchar', length: 10, name: 'effective_on' })
  effectiveOn: string;

  @Column({ type: 'varchar', length: 300 })
  reason: string;

  @Column({ ...idColumn, name: 'document_upload_id', nullable: true })
  documentUploadId: string | null;

  @Column({ ...idColumn, name: 'requested_by' })
  requestedBy: string;

  @Column({ ...timestampColumn, name: 'requested_at' })
  requestedAt: Date;

  @Column({ ...idColumn, name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column({ ...timestampColumn, name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, name: 'decision_note', nullable: true })
  decisionNote: string | null;

  /** The open case this change closed. */
  @Column({ ...idColumn, name: 'closed_case_id', nullable: true })
  closedCaseId: string | null;
}

/** The open key of a pending change. */
export const OPEN_KEY = 'open';
