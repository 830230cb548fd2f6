import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** What the job needs to know beyond its run key (plain JSON). */
export type JobPayload = Record<string, string | number | boolean | null> | null;

/**
 * One piece of background work (a registry import, a cross-check, a day's absence rules, a minute's
 * deadline pass). `(kind, run_key)` is unique, so the same import or the same period is queued once
 * however many instances ask. An instance holds a running job by a lease it renews (heartbeat); a job
 * whose holder stops renewing is taken over by another instance, or failed with a reason.
 */
@Entity('jobs')
@Index('uq_jobs_kind_run_key', ['kind', 'runKey'], { unique: true })
@Index('idx_jobs_due', ['status', 'runAfter'])
export class Job {
  @PrimaryColumn(idColumn)
  id: string;

  /** What to do: a name defined with `JobRunner.define` (`registry_import`, `deadlines`, …). */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** Which one: the import's id, the period (`2026-12-06T04:51`), … */
  @Column({ type: 'varchar', length: 120, name: 'run_key' })
  runKey: string;

  @Column({ type: 'varchar', length: 12 })
  status: JobStatus;

  @Column({ type: 'simple-json', nullable: true })
  payload: JobPayload;

  /** The instance holding the lease (`host/pid/random`), null while queued. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  holder: string | null;

  @Column({ ...timestampColumn, name: 'leased_until', nullable: true })
  leasedUntil: Date | null;

  @Column({ ...timestampColumn, name: 'heartbeat_at', nullable: true })
  heartbeatAt: Date | null;

  /** Claims so far, counting takeovers: a job is given up once it reaches `max_attempts`. */
  @Column({ type: 'integer' })
  attempts: number;

  @Column({ type: 'integer', name: 'max_attempts' })
  maxAttempts: number;

  /** Not claimed before this (a retry's backoff). */
  @Column({ ...timestampColumn, name: 'run_after' })
  runAfter: Date;

  /** Why the last attempt failed or why the job was given up (for operators; users see their own records). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column({ ...timestampColumn, name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
