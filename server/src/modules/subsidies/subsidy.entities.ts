import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AidStage, ComplaintStatus, PaymentChannel, PaymentStatus, SubsidyCategory, SubsidyPolicyKind } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A rate with its effective period: national standards (no county) and a county's own top-ups. */
@Entity('subsidy_policies')
@Index('idx_subsidy_policies_county', ['countyCode', 'kind'])
export class SubsidyPolicyRow {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: SubsidyPolicyKind;

  @Column({ ...divisionCodeColumn, name: 'county_code', nullable: true })
  countyCode: string | null;

  @Column({ type: 'varchar', length: 64 })
  label: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  stage: AidStage | null;

  @Column({ type: 'boolean', nullable: true })
  boarding: boolean | null;

  @Column({ type: 'simple-json', nullable: true })
  categories: SubsidyCategory[] | null;

  /** Per school year (living allowance, top-ups) or per school day (nutrition), in fen. */
  @Column({ type: 'int', name: 'amount_fen' })
  amountFen: number;

  @Column({ type: 'varchar', length: 10, name: 'effective_from' })
  effectiveFrom: string;

  @Column({ type: 'varchar', length: 10, name: 'effective_to', nullable: true })
  effectiveTo: string | null;

  @Column({ ...idColumn, name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;
}

/** A pupil confirmed eligible for the living allowance for one school year (each autumn). */
@Entity('subsidy_eligibility')
@Index('uq_subsidy_eligibility_child_year', ['childId', 'schoolYear'], { unique: true })
@Index('idx_subsidy_eligibility_county', ['countyCode', 'schoolYear'])
export class SubsidyEligibilityRow {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  @Column({ type: 'int', name: 'school_year' })
  schoolYear: number;

  @Column({ type: 'varchar', length: 16 })
  category: SubsidyCategory;

  @Column({ type: 'varchar', length: 8 })
  stage: AidStage;

  @Column({ type: 'boolean' })
  boarding: boolean;

  @Column({ type: 'varchar', length: 8 })
  source: 'manual' | 'import';

  @Column({ ...idColumn, name: 'confirmed_by' })
  confirmedBy: string;

  @Column({ ...timestampColumn, name: 'confirmed_at' })
  confirmedAt: Date;
}

/** One payment to a pupil for a semester, from the county's sheet. Only the card's last four digits are kept. */
@Entity('subsidy_payments')
@Index('uq_subsidy_payments_identity', ['childId', 'semester', 'reference'], { unique: true })
@Index('idx_subsidy_payments_county', ['countyCode', 'semester'])
export class SubsidyPayment {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  /** `2024-spring`. */
  @Column({ type: 'varchar', length: 12 })
  semester: string;

  @Column({ type: 'int', name: 'amount_fen' })
  amountFen: number;

  @Column({ type: 'varchar', length: 12 })
  status: PaymentStatus;

  @Column({ type: 'varchar', length: 24 })
  channel: PaymentChannel;

  @Column({ type: 'varchar', length: 4, name: 'card_tail', nullable: true })
  cardTail: string | null;

  @Column({ type: 'varchar', length: 100, name: 'failure_reason', nullable: true })
  failureReason: string | null;

  @Column({ type: 'varchar', length: 10, name: 'paid_on', nullable: true })
  paidOn: string | null;

  /** The county's batch or voucher number; empty when the sheet has none. */
  @Column({ type: 'varchar', length: 40 })
  reference: string;

  @Column({ ...idColumn, name: 'updated_by' })
  updatedBy: string;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}

/** 资助投诉: a parent's complaint about a payment or an entitlement, handled by the county's student-aid office. */
@Entity('subsidy_complaints')
@Index('idx_subsidy_complaints_county', ['countyCode', 'status'])
@Index('idx_subsidy_complaints_raised_by', ['raisedBy'])
export class SubsidyComplaint {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'raised_by' })
  raisedBy: string;

  @Column({ ...idColumn, name: 'payment_id', nullable: true })
  paymentId: string | null;

  /** The semester concerned (the payment's, or the entitlement's). */
  @Column({ type: 'varchar', length: 12 })
  semester: string;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  @Column({ type: 'varchar', length: 12 })
  status: ComplaintStatus;

  @Column({ type: 'int' })
  version: number;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  /** The office answers by then. */
  @Column({ ...timestampColumn, name: 'due_at' })
  dueAt: Date;

  @Column({ ...idColumn, name: 'handler_id', nullable: true })
  handlerId: string | null;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ ...timestampColumn, name: 'answered_at', nullable: true })
  answeredAt: Date | null;

  @Column({ ...timestampColumn, name: 'closed_at', nullable: true })
  closedAt: Date | null;
}

/** The timeline of a complaint. */
@Entity('subsidy_complaint_events')
@Index('idx_subsidy_complaint_events', ['complaintId', 'at'])
export class SubsidyComplaintEvent {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'complaint_id' })
  complaintId: string;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 8 })
  side: 'parent' | 'county';

  @Column({ type: 'varchar', length: 16 })
  kind: 'submitted' | 'accept' | 'answer' | 'reopen' | 'close';

  @Column({ type: 'text', nullable: true })
  text: string | null;
}
