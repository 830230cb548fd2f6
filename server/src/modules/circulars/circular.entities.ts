import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CircularTable, ScorecardResponse } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A 通报: a county's scorecard of a period as published, never recomputed afterwards. */
@Entity('circulars')
@Index('uq_circulars_idempotency', ['countyCode', 'idempotencyKey'], { unique: true })
@Index('uq_circulars_number', ['countyCode', 'year', 'sequence'], { unique: true })
export class Circular {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** The year (China time) and the county's sequence of that year that make the number. */
  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  sequence: number;

  /** 文号: 光山教通〔2026〕3号. */
  @Column({ type: 'varchar', length: 40 })
  number: string;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'varchar', length: 8, name: 'table_by' })
  by: CircularTable;

  @Column({ type: 'varchar', length: 10, name: 'period_from' })
  from: string;

  @Column({ type: 'varchar', length: 10, name: 'period_to' })
  to: string;

  /** The scorecard as it stood when published: the locked snapshot. */
  @Column({ type: 'simple-json' })
  scorecard: ScorecardResponse;

  /** Accounts it was sent to (one receipt each). */
  @Column({ type: 'integer' })
  recipients: number;

  @Column({ ...idColumn, name: 'published_by' })
  publishedBy: string;

  @Column({ ...timestampColumn, name: 'published_at' })
  publishedAt: Date;

  @Column({ ...idColumn, name: 'idempotency_key' })
  idempotencyKey: string;
}

/** One recipient's copy of a 通报, and when they read it. */
@Entity('circular_receipts')
@Index('idx_circular_receipts_user', ['userId', 'circularId'])
export class CircularReceipt {
  @PrimaryColumn({ ...idColumn, name: 'circular_id' })
  circularId: string;

  @PrimaryColumn({ ...idColumn, name: 'user_id' })
  userId: string;

  @Column({ ...timestampColumn, name: 'read_at', nullable: true })
  readAt: Date | null;
}

/** The last document number of a county's year (written only by the upsert in `reserveCircularNumber`). */
@Entity('circular_number_counters')
export class CircularNumberCounter {
  @PrimaryColumn({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  last: number;
}
