import type { ContactChannel, ContactOutcome } from '@baoxue/shared';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/**
 * A school's contact with a pupil's family 家校联系 (BRIEF §4a): when, how, whom the school
 * reached and what came of it. Kept with the pupil's school and the absence alert it answered.
 */
@Entity('family_contacts')
@Index('idx_family_contacts_child', ['childId', 'contactedOn'])
export class FamilyContact {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  /** The absence alert the contact answered, if one was open. */
  @Column({ ...idColumn, name: 'alert_id', nullable: true })
  alertId: string | null;

  /** YYYY-MM-DD (China day). */
  @Column({ type: 'varchar', length: 10, name: 'contacted_on' })
  contactedOn: string;

  @Column({ type: 'varchar', length: 8 })
  channel: ContactChannel;

  @Column({ type: 'varchar', length: 20, name: 'contact_person' })
  contactPerson: string;

  @Column({ type: 'varchar', length: 12 })
  outcome: ContactOutcome;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 200, name: 'next_step', nullable: true })
  nextStep: string | null;

  @Column({ ...idColumn, name: 'recorded_by' })
  recordedBy: string;

  @Column({ ...timestampColumn, name: 'recorded_at' })
  recordedAt: Date;
}

/**
 * A school's report of a pupil as a suspected dropout: the case it opened or joined. The phone's key
 * (unique per reporter) makes a retry answer with the same case instead of reporting twice.
 */
@Entity('school_reports')
@Index('uq_school_reports_client_key', ['reportedBy', 'clientKey'], { unique: true })
@Index('idx_school_reports_child', ['childId'])
export class SchoolReport {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'school_id' })
  schoolId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  /** The child had an open case already: the report joined it. */
  @Column({ type: 'boolean', default: false })
  existing: boolean;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ ...idColumn, name: 'reported_by' })
  reportedBy: string;

  @Column({ type: 'varchar', length: 36, name: 'client_key' })
  clientKey: string;

  @Column({ ...timestampColumn, name: 'reported_at' })
  reportedAt: Date;
}
