import type { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKey, isRetryableConflict } from '../common/errors/database-errors';
import { isMysql } from './dialect';

/**
 * How many times a transaction runs at most before its conflict reaches the caller (as 409
 * WRITE_CONFLICT). Through several Galera writer nodes twenty requests on one row (one child reported
 * by twenty supervisors at once) lose to each other at commit, one winner a round: five runs with a
 * 200 ms cap left some of them a 409 (the cluster tier's read-write pass); ten with a one-second cap
 * served them on a quiet machine, but ten reports of one pupil on a busy CI machine (longer
 * transactions, more of them overlapping each round) left one a 409 at eight. Twelve runs wait at
 * most about six seconds in all (three on average) and only where writes collide.
 */
export const TRANSACTION_ATTEMPTS = 12;
const BACKOFF_BASE_MS = 10;
export const BACKOFF_CAP_MS = 1000;

/**
 * Runs `work` in a transaction and runs it again (up to `attempts` times) when it loses a race the
 * database decided: a unique key another transaction took first, a deadlock, or a Galera
 * certification failure (another node committed the same rows first: errno 1213, SQLSTATE 40001).
 * The database rolled the loser back whole, and the retry sees the winner's rows, so "look, then
 * insert" code never has to guess: the unique key is the arbiter and the loser resolves to what the
 * winner wrote (a tip's idempotency key, a case's version). `work` must therefore be safe to run
 * again: it writes only through the manager, never outside the transaction. On MySQL it reads
 * committed data (each statement sees what the winner committed, also after waiting for a lock): the
 * pool's sessions are READ COMMITTED (`createDataSource`), so no statement names the level. SQLite runs
 * one transaction at a time anyway.
 */
export async function transactionWithRetry<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  attempts = TRANSACTION_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !(isDuplicateKey(error) || isRetryableConflict(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }
}

/**
 * A transaction whose reads all see one snapshot, taken at its first read (REPEATABLE READ on MySQL,
 * named per transaction since the sessions default to READ COMMITTED): a recount, an export or a job
 * that reads a set and then writes what it read must not see other transactions' rows appear halfway.
 */
export function snapshotTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return isMysql(dataSource) ? dataSource.transaction('REPEATABLE READ', work) : dataSource.transaction(work);
}

/** Exponential backoff with full jitter, so the same two transactions do not collide again in step. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}
