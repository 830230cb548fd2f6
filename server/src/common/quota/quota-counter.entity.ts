import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How much of a limited allowance a subject has used in a period (e.g. a supervisor's tips on one
 * China day). Incremented in the transaction that consumes it, so parallel requests queue on the row.
 */
@Entity('quota_counters')
export class QuotaCounter {
  /** What is limited and for whom, e.g. `tips:<userId>`. */
  @PrimaryColumn({ type: 'varchar', length: 80 })
  subject: string;

  /** The period, e.g. the China date `2026-12-04`. */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  period: string;

  @Column({ type: 'integer' })
  used: number;
}
