import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AbsenceReason } from '@baoxue/shared';
import { idColumn, timestampColumn } from '../../database/columns';

/**
 * One school day of one child: present or absent (excused or not). From a roll call (only the pupils
 * marked have a row: the others were present), the school's entry for a returned child, or an import.
 */
@Entity('attendance')
@Index('uq_attendance_child_day', ['childId', 'day'], { unique: true })
@Index('idx_attendance_roll_call', ['rollCallId'])
export class AttendanceDay {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  /** The school day, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'boolean' })
  present: boolean;

  @Column({ type: 'boolean' })
  excused: boolean;

  @Column({ type: 'varchar', length: 12 })
  source: AttendanceSource;

  /** The roll call's mark (病假, 事假, 无故缺勤, 迟到/早退); null from an entry or an import. */
  @Column({ type: 'varchar', length: 12, nullable: true })
  reason: AbsenceReason | null;

  @Column({ ...idColumn, name: 'roll_call_id', nullable: true })
  rollCallId: string | null;

  @Column({ ...idColumn, name: 'recorded_by', nullable: true })
  recordedBy: string | null;

  @Column({ ...timestampColumn, name: 'recorded_at' })
  recordedAt: Date;
}

/** Where a day's record came from: a class's roll call, the school's entry for a returned child, an import. */
export type AttendanceSource = 'roll_call' | 'school' | 'import';
