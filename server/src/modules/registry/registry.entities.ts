import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ImportStatus, PovertyCategory, RegistryKind } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** One import of a registry file: who, when, what came of it. */
@Entity('registry_imports')
@Index('idx_registry_imports_county', ['countyCode', 'createdAt'])
export class RegistryImport {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ type: 'varchar', length: 12 })
  kind: RegistryKind;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 128, name: 'file_name' })
  fileName: string;

  @Column({ type: 'varchar', length: 64, name: 'file_sha256' })
  fileSha256: string;

  @Column({ type: 'varchar', length: 12 })
  status: ImportStatus;

  @Column({ type: 'int' })
  processed: number;

  @Column({ type: 'int', nullable: true })
  total: number | null;

  @Column({ type: 'int' })
  created: number;

  @Column({ type: 'int' })
  updated: number;

  @Column({ type: 'int' })
  unchanged: number;

  @Column({ type: 'int', name: 'error_count' })
  errorCount: number;

  /** The first problems found, by row and column. */
  @Column({ type: 'simple-json' })
  errors: Array<{ line: number; column?: string; message: string }>;

  @Column({ ...idColumn, name: 'created_by' })
  createdBy: string;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

/** A child of the household registration (户籍): the population the roster is checked against. */
@Entity('household_members')
@Index('uq_household_members_id', ['countyCode', 'idNumber'], { unique: true })
@Index('idx_household_members_identity', ['countyCode', 'nameKey', 'birthDate'])
export class HouseholdMember {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 18, name: 'id_number', nullable: true })
  idNumber: string | null;

  @Column({ type: 'varchar', length: 32 })
  name: string;

  @Column({ type: 'varchar', length: 32, name: 'name_key' })
  nameKey: string;

  @Column({ type: 'varchar', length: 8 })
  sex: 'male' | 'female' | 'unknown';

  @Column({ type: 'varchar', length: 10, name: 'birth_date' })
  birthDate: string;

  @Column({ ...divisionCodeColumn, name: 'village_code' })
  villageCode: string;

  @Column({ type: 'varchar', length: 32, name: 'guardian_name', nullable: true })
  guardianName: string | null;

  @Column({ type: 'varchar', length: 20, name: 'guardian_phone', nullable: true })
  guardianPhone: string | null;

  @Column({ ...idColumn, name: 'import_id' })
  importId: string;
}

/** A person on the poor-household list (脱贫户, 监测户, 低保, …). */
@Entity('poverty_registrations')
@Index('uq_poverty_registrations', ['countyCode', 'idNumber', 'category'], { unique: true })
export class PovertyRegistration {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 18, name: 'id_number' })
  idNumber: string;

  @Column({ type: 'varchar', length: 32 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  category: PovertyCategory;

  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  @Column({ ...idColumn, name: 'import_id' })
  importId: string;
}

/** One run of the cross-check 四查三比对. */
@Entity('crosscheck_runs')
@Index('idx_crosscheck_runs_county', ['countyCode', 'startedAt'])
@Index('uq_crosscheck_runs_running', ['runningCounty'], { unique: true })
export class CrosscheckRun {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'int', name: 'school_year' })
  schoolYear: number;

  @Column({ type: 'varchar', length: 12 })
  status: 'running' | 'completed' | 'failed';

  /** The county while the run runs, null once it finished: unique, so a county runs one cross-check at a time. */
  @Column({ ...divisionCodeColumn, name: 'running_county', nullable: true })
  runningCounty: string | null;

  @Column({ type: 'simple-json' })
  counts: Record<string, number>;

  @Column({ type: 'varchar', length: 200, nullable: true })
  error: string | null;

  @Column({ ...idColumn, name: 'started_by' })
  startedBy: string;

  @Column({ ...timestampColumn, name: 'started_at' })
  startedAt: Date;

  @Column({ ...timestampColumn, name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

/** A household child and a pupil who may be the same person: an official decides. */
@Entity('crosscheck_reviews')
@Index('uq_crosscheck_reviews_pair', ['householdMemberId', 'childId'], { unique: true })
@Index('idx_crosscheck_reviews_county', ['countyCode', 'status'])
export class CrosscheckReview {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...idColumn, name: 'run_id' })
  runId: string;

  @Column({ ...idColumn, name: 'household_member_id' })
  householdMemberId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'varchar', length: 100 })
  reason: string;

  @Column({ type: 'varchar', length: 12 })
  status: 'pending' | 'same' | 'different';

  @Column({ ...idColumn, name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column({ ...timestampColumn, name: 'decided_at', nullable: true })
  decidedAt: Date | null;
}

/**
 * Pupils on the roster counted by village, school, grade and poverty (`''` where a pupil has no
 * village or school): what the dropout statistics divide by, so they never scan every pupil.
 */
@Entity('enrolment_tallies')
export class EnrolmentTally {
  @PrimaryColumn({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @PrimaryColumn({ type: 'varchar', length: 12, name: 'village_code' })
  villageCode: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'school_id' })
  schoolId: string;

  @PrimaryColumn({ type: 'int' })
  grade: number;

  /** From a registered-poor or monitored household. */
  @PrimaryColumn({ type: 'boolean' })
  poor: boolean;

  @Column({ type: 'int' })
  pupils: number;
}

/**
 * A write to the pupils the tallies count, not yet counted: while any exists, the county it names is
 * recounted (every county when it names none).
 */
@Entity('enrolment_tally_changes')
export class EnrolmentTallyChange {
  @PrimaryColumn(idColumn)
  id: string;

  /** The county whose pupils changed; null: not known, so every county. */
  @Column({ ...divisionCodeColumn, name: 'county_code', nullable: true })
  countyCode: string | null;

  @Column({ ...timestampColumn, name: 'changed_at' })
  changedAt: Date;
}

/**
 * A county's grade-1 intake (一年级入学人数) of a school year, from its own statistics, for 巩固率
 * (BRIEF §5): one row per county and entry year, written as an upsert; optionally per township.
 */
@Entity('cohort_intakes')
export class CohortIntake {
  @PrimaryColumn({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** The school year the cohort entered grade 1 (2018 = 2018–2019). */
  @PrimaryColumn({ type: 'int', name: 'entry_year' })
  entryYear: number;

  @Column({ type: 'int' })
  intake: number;

  /** Where the figure comes from, e.g. 2018年教育事业统计年报. */
  @Column({ type: 'varchar', length: 100 })
  source: string;

  /** The township intakes the county gave (township code → pupils), counted where the children live. */
  @Column({ type: 'simple-json' })
  townships: Record<string, number>;

  @Column({ ...idColumn, name: 'updated_by' })
  updatedBy: string;

  @Column({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}
