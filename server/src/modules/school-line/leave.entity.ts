import type { LeaveKind, LeaveStatus } from '@baoxue/shared';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/**
 * A parent's leave request 请假 for a bound child (BRIEF §4a): the days, the reason, an optional
 * photo of a doctor's note; the child's 班主任 or the school's leader decides. Approved days are
 * excused and never count toward an absence rule. The class is the child's when it was asked.
 */
@Entity('leave_requests')
@Index('uq_leave_requests_client_key', ['requestedBy', 'clientKey'], { unique: true })
@Index('idx_leave_requests_child_day', ['childId', 'fromDay'])
@Index('idx_leave_requests_school_status', ['schoolId', 'status'])
export class LeaveRequest {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'integer' })
  grade: number;

  @Column({ type: 'varchar', length: 16, name: 'class_name' })
  className: string;

  @Column({ type: 'varchar', length: 12 })
  kind: LeaveKind;

  /** The first and last day asked for, YYYY-MM-DD (China days). */
  @Column({ type: 'varchar', length: 10, name: 'from_day' })
  fromDay: string;

  @Column({ type: 'varchar', length: 10, name: 'to_day' })
  toDay: string;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  @Column({ ...idColumn, name: 'photo_upload_id', nullable: true })
  photoUploadId: string | null;

  @Column({ type: 'varchar', length: 12 })
  status: LeaveStatus;

  @Column({ ...idColumn, name: 'requested_by' })
  requestedBy: string;

  /** The phone's key for this submission: a retry returns the stored request. Unique per parent. */
  @Column({ type: 'varchar', length: 36, name: 'client_key' })
  clientKey: string;

  @Column({ ...timestampColumn, name: 'requested_at' })
  requestedAt: Date;

  @Column({ ...idColumn, name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column({ ...timestampColumn, name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, name: 'decision_note', nullable: true })
  decisionNote: string | null;
}
