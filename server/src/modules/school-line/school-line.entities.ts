import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AlertStatus } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A 班主任 of a class: a staff account of the school, named by the school's leader. */
@Entity('class_teachers')
@Index('idx_class_teachers_user', ['userId'])
export class ClassTeacher {
  @PrimaryColumn({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @PrimaryColumn({ type: 'int' })
  grade: number;

  @PrimaryColumn({ type: 'varchar', length: 16, name: 'class_name' })
  className: string;

  @PrimaryColumn({ ...idColumn, name: 'user_id' })
  userId: string;

  @Column({ ...idColumn, name: 'assigned_by' })
  assignedBy: string;

  @Column({ ...timestampColumn, name: 'assigned_at' })
  assignedAt: Date;
}

/**
 * 点名: one per class per school day. Pupils not marked were present; the marks are the class's
 * attendance rows of the day (`attendance.roll_call_id`). The counts are kept for lists and grids.
 */
@Entity('roll_calls')
@Index('uq_roll_calls_class_day', ['schoolId', 'grade', 'className', 'day'], { unique: true })
@Index('idx_roll_calls_county_day', ['countyCode', 'day'])
export class RollCall {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ type: 'int' })
  grade: number;

  @Column({ type: 'varchar', length: 16, name: 'class_name' })
  className: string;

  /** The school day, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  day: string;

  /** Pupils of the class that day, those absent (late ones are present) and those late. */
  @Column({ type: 'int' })
  pupils: number;

  @Column({ type: 'int' })
  absent: number;

  @Column({ type: 'int' })
  late: number;

  /** The first submission's idempotency key (later same-day edits: `roll_call_edits`). */
  @Index('uq_roll_calls_client_key', { unique: true })
  @Column({ type: 'varchar', length: 36, name: 'client_key' })
  clientKey: string;

  @Column({ ...idColumn, name: 'taken_by' })
  takenBy: string;

  @Column({ ...timestampColumn, name: 'taken_at' })
  takenAt: Date;

  @Column({ ...idColumn, name: 'updated_by' })
  updatedBy: string;

  @Column({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}

/** A same-day edit of a roll call, by its idempotency key: a phone replaying it gets the roll call as stored. */
@Entity('roll_call_edits')
@Index('idx_roll_call_edits_roll_call', ['rollCallId'])
export class RollCallEdit {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'client_key' })
  clientKey: string;

  @Column({ ...idColumn, name: 'roll_call_id' })
  rollCallId: string;

  @Column({ ...idColumn, name: 'edited_by' })
  editedBy: string;

  @Column({ ...timestampColumn, name: 'edited_at' })
  editedAt: Date;
}

/**
 * A pupil absent without leave for the county's number of school days in a row (one row per
 * streak, told apart by the day it began), followed up by the school until the pupil is back.
 */
@Entity('absence_alerts')
@Index('uq_absence_alerts_child_streak', ['childId', 'streakStart'], { unique: true })
@Index('idx_absence_alerts_school_status', ['schoolId', 'status'])
export class AbsenceAlert {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'int' })
  grade: number;

  @Column({ type: 'varchar', length: 16, name: 'class_name' })
  className: string;

  @Column({ type: 'varchar', length: 10, name: 'streak_start' })
  streakStart: string;

  @Column({ type: 'varchar', length: 10, name: 'last_absent_day' })
  lastAbsentDay: string;

  @Column({ type: 'int' })
  streak: number;

  @Column({ type: 'varchar', length: 12 })
  status: AlertStatus;

  @Column({ ...idColumn, name: 'case_id', nullable: true })
  caseId: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}
