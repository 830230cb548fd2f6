import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RectificationStatus, SpotCheckResult } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** One township of a draw as asked and as drawn. */
export interface DrawnTownship {
  townshipCode: string;
  size: number | null;
  share: number | null;
  population: number;
  drawn: number;
}

/** A 督导 draw: a county's sample of closed cases of a period, reproducible from its seed. */
@Entity('spot_checks')
@Index('uq_spot_checks_idempotency', ['countyCode', 'idempotencyKey'], { unique: true })
export class SpotCheck {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ type: 'varchar', length: 10, name: 'period_from' })
  from: string;

  @Column({ type: 'varchar', length: 10, name: 'period_to' })
  to: string;

  /** The seed the generator was seeded with (given by the county or picked by the server), recorded. */
  @Column({ type: 'integer' })
  seed: number;

  @Column({ type: 'simple-json' })
  townships: DrawnTownship[];

  @Column({ type: 'integer', name: 'item_count' })
  itemCount: number;

  @Column({ ...idColumn, name: 'created_by' })
  createdBy: string;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...idColumn, name: 'idempotency_key' })
  idempotencyKey: string;
}

/**
 * A sampled case and, once recorded, the inspector's finding. The case's number, place, school and
 * grade are copied when drawn (what a region's inspector may see); the child is read through the
 * children module for a county's inspectors only.
 */
@Entity('spot_check_items')
@Index('uq_spot_check_items_case', ['spotCheckId', 'caseId'], { unique: true })
@Index('idx_spot_check_items_findings', ['countyCode', 'checkedOn'])
@Index('idx_spot_check_items_child', ['childId'])
export class SpotCheckItem {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'spot_check_id' })
  spotCheckId: string;

  /** Its order in the draw. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ type: 'varchar', length: 40, name: 'case_number' })
  caseNumber: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...divisionCodeColumn, name: 'township_code' })
  townshipCode: string;

  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  @Column({ type: 'integer', nullable: true })
  grade: number | null;

  @Column({ ...timestampColumn, name: 'closed_at' })
  closedAt: Date;

  @Column({ type: 'varchar', length: 16, nullable: true })
  result: SpotCheckResult | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 10, name: 'checked_on', nullable: true })
  checkedOn: string | null;

  @Column({ ...idColumn, name: 'inspected_by', nullable: true })
  inspectedBy: string | null;

  /** 县教育局, or the region's bureau for a cross-county check. */
  @Column({ type: 'varchar', length: 40, name: 'inspector_unit', nullable: true })
  inspectorUnit: string | null;

  @Column({ ...timestampColumn, name: 'recorded_at', nullable: true })
  recordedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  reopened: boolean;
}

/** A 整改 item: a problem a spot check found, for the case's township to rectify by a deadline. */
@Entity('rectifications')
@Index('uq_rectifications_item', ['itemId'], { unique: true })
@Index('idx_rectifications_township', ['townshipCode', 'status'])
@Index('idx_rectifications_county', ['countyCode', 'id'])
export class Rectification {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'spot_check_id' })
  spotCheckId: string;

  @Column({ ...idColumn, name: 'item_id' })
  itemId: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ type: 'varchar', length: 40, name: 'case_number' })
  caseNumber: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...divisionCodeColumn, name: 'township_code' })
  townshipCode: string;

  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  @Column({ type: 'varchar', length: 16 })
  result: SpotCheckResult;

  @Column({ type: 'text' })
  problem: string;

  @Column({ type: 'varchar', length: 10, name: 'deadline_on' })
  deadlineOn: string;

  @Column({ type: 'varchar', length: 10 })
  status: RectificationStatus;

  @Column({ type: 'text', name: 'report_note', nullable: true })
  reportNote: string | null;

  @Column({ ...idColumn, name: 'reported_by', nullable: true })
  reportedBy: string | null;

  @Column({ ...timestampColumn, name: 'reported_at', nullable: true })
  reportedAt: Date | null;

  @Column({ type: 'text', name: 'review_note', nullable: true })
  reviewNote: string | null;

  @Column({ ...idColumn, name: 'reviewed_by', nullable: true })
  reviewedBy: string | null;

  @Column({ ...timestampColumn, name: 'reviewed_at', nullable: true })
  reviewedAt: Date | null;

  @Column({ type: 'integer' })
  returns: number;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'integer' })
  version: number;
}
