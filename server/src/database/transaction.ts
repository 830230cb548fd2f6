import type { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKey, isRetryableConflict } from '../common/errors/database-errors';
import { isMysql } from './dialect';

/**
 * Runs `work` in a transaction and runs it again (up to `attempts` times) when it loses a race the
 * database decided: a unique key another transaction took first, a deadlock, or a Galera
 * certification failure. The retry sees the winner's rows, so "look, then insert" code never has
 * to guess: the unique key is the arbiter and the loser resolves to what the winner wrote. On
 * MySQL it reads committed data (each statement sees what the winner committed, also after waiting
 * for a lock); SQLite runs one transaction at a time anyway.
 */
export async function transactionWithRetry<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (isMysql(dataSource) ? dataSource.transaction('READ COMMITTED', work) : dataSource.transaction(work));
    } catch (error) {
      if (attempt >= attempts || !(isDuplicateKey(error) || isRetryableConflict(error))) throw error;
      // a little jitter so the same pair of transactions does not collide again in step
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
