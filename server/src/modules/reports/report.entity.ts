import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReportFigures, ReportKind, ReportStatus } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/**
 * A periodic report (BRIEF §5a): one row per kind, unit and period, made as a draft by an upsert on
 * that key. Its figures are stored when generated; once approved they are the locked snapshot.
 */
@Entity('periodic_reports')
@Index('uq_periodic_reports_unit_period', ['kind', 'unitId', 'period'], { unique: true })
@Index('idx_periodic_reports_county', ['countyCode', 'kind', 'period'])
export class PeriodicReport {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ReportKind;

  /** `2026-11` or `2026-Q4`. */
  @Column({ type: 'varchar', length: 7 })
  period: string;

  /** The school's id, or the township's or county's division code. */
  @Column({ ...idColumn, name: 'unit_id' })
  unitId: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** The township a school's or township's report goes to or is of (null for a county's). */
  @Column({ ...divisionCodeColumn, name: 'township_code', nullable: true })
  townshipCode: string | null;

  @Column({ type: 'varchar', length: 12 })
  status: ReportStatus;

  @Column({ type: 'simple-json' })
  figures: ReportFigures;

  @Column({ ...timestampColumn, name: 'generated_at' })
  generatedAt: Date;

  @Column({ type: 'text', nullable: true })
  explanation: string | null;

  /** The last return comment or reopening reason. */
  @Column({ type: 'text', name: 'review_comment', nullable: true })
  reviewComment: string | null;

  @Column({ ...idColumn, name: 'submitted_by', nullable: true })
  submittedBy: string | null;

  @Column({ ...timestampColumn, name: 'submitted_at', nullable: true })
  submittedAt: Date | null;

  @Column({ ...idColumn, name: 'approved_by', nullable: true })
  approvedBy: string | null;

  @Column({ ...timestampColumn, name: 'approved_at', nullable: true })
  approvedAt: Date | null;

  @Column({ ...timestampColumn, name: 'returned_at', nullable: true })
  returnedAt: Date | null;

  @Column({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}

export type ReportEventAction = 'generate' | 'refresh' | 'edit' | 'submit' | 'approve' | 'return' | 'reopen';

/** One step of a report's history: appended in the transaction of the step, never changed. */
@Entity('periodic_report_events')
@Index('idx_periodic_report_events_report', ['reportId', 'at'])
export class PeriodicReportEvent {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'report_id' })
  reportId: string;

  @Column({ type: 'varchar', length: 12 })
  action: ReportEventAction;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  /** The explanation, the return comment or the reopening reason. */
  @Column({ type: 'text', nullable: true })
  comment: string | null;
}
