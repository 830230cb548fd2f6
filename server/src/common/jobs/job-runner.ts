import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDay } from '@baoxue/shared';
import type { Logger } from 'pino';
import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { transactionWithRetry } from '../../database/transaction';
import { Clock } from '../clock';
import { isDuplicateKey } from '../errors/database-errors';
import { newId } from '../ids';
import { LOGGER } from '../logging/logger';
import { Job, type JobPayload } from './job.entity';

/** What a job's code is given when it runs. */
export interface JobContext<P> {
  readonly id: string;
  readonly runKey: string;
  readonly payload: P;
  /** 1 on the first claim; more after a failed attempt or when another instance took the job over. */
  readonly attempt: number;
  /**
   * Aborted when this instance no longer holds the job (its lease was lost to another instance) or is
   * stopping: the work stops at its next safe point by throwing (`signal.throwIfAborted()`).
   */
  readonly signal: AbortSignal;
}

export interface JobDefinition<P> {
  run(job: JobContext<P>): Promise<unknown>;
  /**
   * Called once when the job is given up: its attempts are spent, by errors or by holders that stopped
   * heart-beating. The owner records the reason on its own rows (an import marked failed for its county).
   */
  givenUp?(job: { id: string; runKey: string; payload: P; reason: string }): Promise<void>;
  /**
   * Claims allowed, takeovers included (default 3). 1: a job whose holder dies is given up, never run
   * twice. A job handed back by a stopping instance spends no attempt: work that must not start over
   * records its own end when its signal aborts (the cross-check fails itself).
   */
  maxAttempts?: number;
}

/** A schedule's period: one job per minute, hour or China day, whichever instance queues it first. */
export type JobPeriod = 'minute' | 'hour' | 'day';

const DEFAULT_ATTEMPTS = 3;
/** A job interrupted by a stopping instance is handed back; the stop waits this long for it to notice. */
const STOP_WAIT_MS = 8_000;
const PRUNE_EVERY_MS = 3_600_000;
/** Finished runs of schedules are kept two days, other jobs (imports, cross-checks) thirty. */
const KEEP_SCHEDULED_MS = 2 * 86_400_000;
const KEEP_JOBS_MS = 30 * 86_400_000;
const SETTLED_POLL_MS = 25;

class LeaseLost extends Error {
  constructor(readonly stopping: boolean) {
    super(stopping ? 'the instance is stopping' : 'the job was taken over by another instance');
  }
}

/**
 * Background work that runs once across every instance and survives its holder (BRIEF §9). A job is a
 * row of `jobs`, unique by kind and run key, so an import or a period is queued once however many
 * instances ask. An instance claims a due job by a conditional update (only one can win it) and holds it
 * by a lease it renews every third of its length; a job whose holder stopped renewing is claimed again by
 * whichever instance polls next — the attempt is counted, and a job out of attempts is given up with a
 * reason (`JobDefinition.givenUp`). No instance ever touches another's running job while its lease lives,
 * so a restarting instance fails nobody's import. Lease times are wall-clock times of the instances
 * (kept in step by NTP); periods follow the application clock.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Who holds a lease: host, process and a random part (two apps in one test process differ). */
  readonly holder = `${hostname().slice(0, 50)}/${process.pid}/${randomBytes(4).toString('hex')}`;
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly schedules = new Map<string, JobPeriod>();
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<unknown> | null = null;
  private stopping = false;
  private lastPrune = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /** Registers what a kind of job does (in the owning service's constructor or onModuleInit). */
  define<P>(kind: string, definition: JobDefinition<P>): void {
    if (this.definitions.has(kind)) throw new Error(`job kind ${kind} is defined twice`);
    this.definitions.set(kind, definition as JobDefinition<never>);
  }

  /** Runs `work` once per period across all instances (queued by whichever instance polls first). */
  every(kind: string, period: JobPeriod, work: () => Promise<unknown>): void {
    this.define(kind, { run: () => work() });
    this.schedules.set(kind, period);
  }

  onApplicationBootstrap(): void {
    if (this.config.jobs.pollMs <= 0) return;
    this.timer = setInterval(() => this.poll(), this.config.jobs.pollMs);
    this.timer.unref();
    this.poll();
  }

  /** Stops polling and hands running jobs back (their attempt not counted) so another instance goes on at once. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    for (const { controller } of this.active.values()) controller.abort(new LeaseLost(true));
    const running = Promise.all([...this.active.values()].map((job) => job.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /**
   * Queues a job, in the caller's transaction when given one (the import's row and its job commit
   * together). The same kind and run key queued again returns the job already there.
   */
  async enqueue(manager: EntityManager, kind: string, runKey: string, payload: JobPayload = null): Promise<string> {
    // alone, in a transaction of its own that is tried again: through several Galera writers, another
    // node queueing the same key at once fails this insert's commit as a conflict (1213), not as a
    // duplicate; the next try finds that job. A caller's transaction is retried by its caller.
    if (!manager.queryRunner?.isTransactionActive)
      return transactionWithRetry(this.dataSource, (transaction) => this.enqueue(transaction, kind, runKey, payload));
    const definition = this.definitionOf(kind);
    const now = new Date();
    const job: Job = {
      id: newId(),
      kind,
      runKey,
      status: 'queued',
      payload,
      holder: null,
      leasedUntil: null,
      heartbeatAt: null,
      attempts: 0,
      maxAttempts: definition.maxAttempts ?? DEFAULT_ATTEMPTS,
      runAfter: now,
      error: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    };
    try {
      await manager.insert(Job, job);
      return job.id;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await manager.findOne(Job, { where: { kind, runKey }, select: { id: true } });
      if (!existing) throw error;
      return existing.id;
    }
  }

  /**
   * Starts a queued job in this instance now, when nobody holds it (right after the request that queued
   * it committed, so the user does not wait for a poll). Another instance may win it, and an instance
   * already running its share of jobs leaves it to the next poll of any instance.
   */
  start(id: string): void {
    void this.dataSource.manager
      .findOneBy(Job, { id })
      .then((row) => (row && !this.stopping && this.active.size < this.config.jobs.concurrency ? this.claimAndRun(row) : false))
      .catch((error: unknown) => this.logger.warn({ err: error, job: id }, 'starting a job failed'));
  }

  /**
   * Resolves with the job once it is done or failed (tests, the CLI). With polling off, this instance
   * runs what is due itself, so a retried job still finishes.
   */
  async settled(id: string, timeoutMs = 120_000): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.active.get(id)?.done;
      const row = await this.dataSource.manager.findOneBy(Job, { id });
      if (!row) throw new Error(`job ${id} does not exist`);
      if (row.status === 'done' || row.status === 'failed') return row;
      if (Date.now() > deadline) throw new Error(`job ${id} (${row.kind}) did not finish within ${timeoutMs} ms: ${row.status}`);
      if (this.config.jobs.pollMs <= 0) await this.runDue();
      await new Promise((resolve) => setTimeout(resolve, SETTLED_POLL_MS));
    }
  }

  /**
   * One pass: queues this period's scheduled jobs, then claims due jobs (queued, or running under a lease
   * that expired) up to this instance's concurrency. Returns how many it started; they run on.
   */
  async runDue(): Promise<number> {
    if (this.stopping) return 0;
    await this.enqueueSchedules();
    await this.pruneIfDue();
    const free = this.config.jobs.concurrency - this.active.size;
    if (free <= 0 || this.definitions.size === 0) return 0;
    const now = new Date();
    const due = await this.dataSource.manager
      .createQueryBuilder(Job, 'j')
      .where('j.kind IN (:...kinds)', { kinds: [...this.definitions.keys()] })
      .andWhere("((j.status = 'queued' AND j.run_after <= :now) OR (j.status = 'running' AND j.leased_until < :now))", { now })
      .orderBy('j.run_after', 'ASC')
      .limit(free + 4)
      .getMany();
    let started = 0;
    for (const row of due) {
      if (this.active.size >= this.config.jobs.concurrency || this.stopping) break;
      if (await this.claimAndRun(row)) started++;
    }
    return started;
  }

  /** Runs everything due until nothing is left, waiting for it (tests). */
  async drain(): Promise<void> {
    for (;;) {
      const started = await this.runDue();
      await Promise.all([...this.active.values()].map((job) => job.done));
      if (started === 0) return;
    }
  }

  private poll(): void {
    if (this.polling || this.stopping) return;
    this.polling = this.runDue()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'looking for background jobs failed'))
      .finally(() => (this.polling = null));
  }

  private definitionOf(kind: string): JobDefinition<never> {
    const definition = this.definitions.get(kind);
    if (!definition) throw new Error(`no job kind ${kind} is defined`);
    return definition;
  }

  private async enqueueSchedules(): Promise<void> {
    const now = this.clock.now();
    for (const [kind, period] of this.schedules) {
      const runKey = periodKey(period, now);
      if (await this.dataSource.manager.exists(Job, { where: { kind, runKey } })) continue;
      await this.enqueue(this.dataSource.manager, kind, runKey);
    }
  }

  private async pruneIfDue(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    const finished = In(['done', 'failed']);
    if (this.schedules.size) {
      await this.dataSource.manager.delete(Job, {
        kind: In([...this.schedules.keys()]),
        status: finished,
        finishedAt: LessThan(new Date(Date.now() - KEEP_SCHEDULED_MS)),
      });
    }
    await this.dataSource.manager.delete(Job, { status: finished, finishedAt: LessThan(new Date(Date.now() - KEEP_JOBS_MS)) });
  }

  /**
   * Claims the job by a conditional update on what was read (its attempts and state), so of several
   * instances exactly one wins it; then runs it here. A job whose silent holder spent its last attempt
   * is given up instead.
   */
  private async claimAndRun(row: Job): Promise<boolean> {
    const definition = this.definitions.get(row.kind);
    if (!definition || this.active.has(row.id)) return false;
    const now = new Date();
    const claimable =
      "id = :id AND attempts = :attempts AND ((status = 'queued' AND run_after <= :now) OR (status = 'running' AND leased_until < :now))";
    if (row.status === 'running' && row.attempts >= row.maxAttempts) {
      const reason = `its holder ${row.holder ?? '?'} stopped renewing the lease on attempt ${row.attempts} of ${row.maxAttempts}`;
      const given = await this.dataSource
        .createQueryBuilder()
        .update(Job)
        .set({ status: 'failed', error: reason, finishedAt: now, holder: null, leasedUntil: null })
        .where(claimable, { id: row.id, attempts: row.attempts, now })
        .execute();
      if (given.affected === 1) await this.giveUp(row, definition, reason);
      return false;
    }
    const attempt = row.attempts + 1;
    const claimed = await this.dataSource
      .createQueryBuilder()
      .update(Job)
      .set({
        status: 'running',
        holder: this.holder,
        leasedUntil: new Date(now.getTime() + this.config.jobs.leaseMs),
        heartbeatAt: now,
        attempts: attempt,
        startedAt: row.startedAt ?? now,
      })
      .where(claimable, { id: row.id, attempts: row.attempts, now })
      .execute();
    if (claimed.affected !== 1) return false;
    if (row.status === 'running')
      this.logger.warn({ job: row.id, kind: row.kind, from: row.holder, attempt }, 'took over a job whose holder stopped');
    this.execute(row, definition, attempt);
    return true;
  }

  private execute(row: Job, definition: JobDefinition<never>, attempt: number): void {
    const controller = new AbortController();
    let renewedAt = Date.now();
    const heartbeat = setInterval(
      () =>
        void this.renew(row.id, attempt).then(
          (held) => {
            if (held) renewedAt = Date.now();
            else controller.abort(new LeaseLost(false));
          },
          (error: unknown) => {
            this.logger.warn({ err: error, job: row.id }, 'renewing a job lease failed');
            // unable to renew for a whole lease: another instance may hold it by now
            if (Date.now() - renewedAt > this.config.jobs.leaseMs) controller.abort(new LeaseLost(false));
          },
        ),
      Math.max(50, Math.floor(this.config.jobs.leaseMs / 3)),
    );
    heartbeat.unref();
    const context = { id: row.id, runKey: row.runKey, payload: row.payload as never, attempt, signal: controller.signal };
    const done = (async () => {
      try {
        await definition.run(context);
        if (!(await this.settle(row.id, attempt, { status: 'done', error: null, finishedAt: new Date() })))
          this.logger.warn({ job: row.id, kind: row.kind }, 'a job finished after its lease was lost');
      } catch (error) {
        const reason = controller.signal.reason;
        if (reason instanceof LeaseLost) {
          // stopping: handed back without counting the attempt; lost: the new holder owns it now
          if (reason.stopping) await this.release(row.id, attempt);
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn({ err: error, job: row.id, kind: row.kind, attempt }, 'a background job failed');
        if (attempt >= row.maxAttempts) {
          const reason = `attempt ${attempt} of ${row.maxAttempts} failed: ${message}`.slice(0, 500);
          if (await this.settle(row.id, attempt, { status: 'failed', error: reason, finishedAt: new Date() }))
            await this.giveUp(row, definition, reason);
        } else {
          const retryAt = new Date(Date.now() + Math.min(60_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2));
          await this.settle(row.id, attempt, {
            status: 'queued',
            holder: null,
            leasedUntil: null,
            runAfter: retryAt,
            error: message.slice(0, 500),
          });
        }
      } finally {
        clearInterval(heartbeat);
        this.active.delete(row.id);
      }
    })().catch((error: unknown) => this.logger.error({ err: error, job: row.id }, 'recording a job outcome failed'));
    this.active.set(row.id, { controller, done });
  }

  /** Extends the lease while this instance still holds the job; false when it was taken over. */
  private async renew(id: string, attempt: number): Promise<boolean> {
    const now = new Date();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Job)
      .set({ leasedUntil: new Date(now.getTime() + this.config.jobs.leaseMs), heartbeatAt: now })
      .where("id = :id AND holder = :holder AND attempts = :attempt AND status = 'running'", { id, holder: this.holder, attempt })
      .execute();
    return result.affected === 1;
  }

  /** Writes the outcome only while this instance still holds the job (fenced by holder and attempt). */
  private async settle(id: string, attempt: number, changes: Partial<Omit<Job, 'payload'>>): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Job)
      .set(changes)
      .where("id = :id AND holder = :holder AND attempts = :attempt AND status = 'running'", { id, holder: this.holder, attempt })
      .execute();
    return result.affected === 1;
  }

  private async release(id: string, attempt: number): Promise<void> {
    await this.settle(id, attempt, { status: 'queued', holder: null, leasedUntil: null, attempts: attempt - 1 }).catch((error: unknown) =>
      this.logger.warn({ err: error, job: id }, 'handing a job back failed'),
    );
  }

  private async giveUp(row: Job, definition: JobDefinition<never>, reason: string): Promise<void> {
    this.logger.error({ job: row.id, kind: row.kind, reason }, 'a background job was given up');
    await definition
      .givenUp?.({ id: row.id, runKey: row.runKey, payload: row.payload as never, reason })
      .catch((error: unknown) => this.logger.error({ err: error, job: row.id }, 'recording a given-up job failed'));
  }
}

/** The run key of a period: `2026-12-06T04:51` (minute, UTC), `2026-12-06T04` (hour, UTC), `2026-12-06` (China day). */
export function periodKey(period: JobPeriod, now: Date): string {
  if (period === 'day') return chinaDay(now);
  return now.toISOString().slice(0, period === 'minute' ? 16 : 13);
}
