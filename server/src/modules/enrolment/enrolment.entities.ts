import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DeferralStatus, EnrolmentKind } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** One bulk issue of enrolment notices 入学通知书: where and when the children report, and by when guardians answer. */
@Entity('enrolment_batches')
@Index('idx_enrolment_batches_county', ['countyCode', 'issuedAt'])
export class EnrolmentBatch {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 16 })
  kind: EnrolmentKind;

  @Column({ type: 'int', name: 'school_year' })
  schoolYear: number;

  /** The school the children report to. */
  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ type: 'varchar', length: 10, name: 'report_on' })
  reportOn: string;

  @Column({ type: 'varchar', length: 40, name: 'report_time' })
  reportTime: string;

  @Column({ type: 'varchar', length: 100, name: 'report_place' })
  reportPlace: string;

  @Column({ type: 'varchar', length: 300 })
  bring: string;

  @Column({ type: 'varchar', length: 60 })
  contact: string;

  @Column({ type: 'varchar', length: 10, name: 'acknowledge_by' })
  acknowledgeBy: string;

  /** The issuing unit as printed: 光山县教育体育局, 光山县十里镇中心小学. */
  @Column({ type: 'varchar', length: 64, name: 'issuer_name' })
  issuerName: string;

  @Column({ ...idColumn, name: 'issued_by' })
  issuedBy: string;

  @Column({ ...timestampColumn, name: 'issued_at' })
  issuedAt: Date;
}

/** One child's notice. The text is stored as issued, so later wording changes never alter what was sent. */
@Entity('enrolment_notices')
@Index('uq_enrolment_notices_child_year', ['childId', 'schoolYear'], { unique: true })
@Index('idx_enrolment_notices_batch', ['batchId'])
@Index('idx_enrolment_notices_village', ['countyCode', 'villageCode'])
export class EnrolmentNotice {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'batch_id' })
  batchId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'int', name: 'school_year' })
  schoolYear: number;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** Where the child lives: the village follows up who has not answered. */
  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  @Column({ type: 'text' })
  text: string;

  @Column({ ...timestampColumn, name: 'issued_at' })
  issuedAt: Date;

  /** First opened by a guardian in the app. */
  @Column({ ...timestampColumn, name: 'read_at', nullable: true })
  readAt: Date | null;

  /** 回执. */
  @Column({ ...timestampColumn, name: 'acknowledged_at', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ ...idColumn, name: 'acknowledged_by', nullable: true })
  acknowledgedBy: string | null;

  @Column({ ...timestampColumn, name: 'reminded_at', nullable: true })
  remindedAt: Date | null;

  @Column({ type: 'int' })
  reminders: number;
}

/** 延缓入学: a guardian's application for deferral on health grounds, with a document photo. */
@Entity('deferral_applications')
@Index('idx_deferrals_notice', ['noticeId'])
@Index('idx_deferrals_county', ['countyCode', 'status'])
export class DeferralApplication {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'notice_id' })
  noticeId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  @Column({ ...idColumn, name: 'applicant_id' })
  applicantId: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ ...idColumn, name: 'photo_id' })
  photoId: string;

  @Column({ type: 'varchar', length: 12 })
  status: DeferralStatus;

  @Column({ ...timestampColumn, name: 'applied_at' })
  appliedAt: Date;

  @Column({ ...idColumn, name: 'decided_by', nullable: true })
  decidedBy: string | null;

  /** The deciding unit as the parent sees it: 十里镇人民政府, 光山县教育体育局. */
  @Column({ type: 'varchar', length: 64, name: 'decided_unit', nullable: true })
  decidedUnit: string | null;

  @Column({ ...timestampColumn, name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, name: 'decision_note', nullable: true })
  decisionNote: string | null;
}
