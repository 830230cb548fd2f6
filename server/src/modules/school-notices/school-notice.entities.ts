import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SchoolNoticeAudience } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A notice a school sends to the guardians of the school, a grade or a class. */
@Entity('school_notices')
@Index('idx_school_notices_school', ['schoolId', 'id'])
@Index('idx_school_notices_county', ['countyCode', 'id'])
export class SchoolNotice {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 8 })
  audience: SchoolNoticeAudience;

  @Column({ type: 'int', nullable: true })
  grade: number | null;

  @Column({ type: 'varchar', length: 16, name: 'class_name', nullable: true })
  className: string | null;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ ...idColumn, name: 'sent_by' })
  sentBy: string;

  @Column({ ...timestampColumn, name: 'sent_at' })
  sentAt: Date;

  /** Pupils in the audience when it was sent, and those with a guardian in the app. */
  @Column({ type: 'int' })
  pupils: number;

  @Column({ type: 'int', name: 'pupils_reached' })
  pupilsReached: number;

  /** Guardian accounts it went to (one receipt each). */
  @Column({ type: 'int' })
  recipients: number;
}

/** One guardian's copy of a school notice: which of their children it concerns, and when they read it. */
@Entity('school_notice_receipts')
@Index('idx_school_notice_receipts_user', ['userId', 'noticeId'])
export class SchoolNoticeReceipt {
  @PrimaryColumn({ ...idColumn, name: 'notice_id' })
  noticeId: string;

  @PrimaryColumn({ ...idColumn, name: 'user_id' })
  userId: string;

  @Column({ type: 'simple-json', name: 'child_names' })
  childNames: string[];

  @Column({ ...timestampColumn, name: 'read_at', nullable: true })
  readAt: Date | null;
}
