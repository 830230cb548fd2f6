import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/** One school day of one child: present or absent (excused or not). From the school or an import. */
@Entity('attendance')
@Index('uq_attendance_child_day', ['childId', 'day'], { unique: true })
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

  @Column({ type: 'varchar', length: 8 })
  source: 'school' | 'import';

  @Column({ ...idColumn, name: 'recorded_by', nullable: true })
  recordedBy: string | null;

  @Column({ ...timestampColumn, name: 'recorded_at' })
  recordedAt: Date;
}
