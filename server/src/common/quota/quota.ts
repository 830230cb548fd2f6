import type { EntityManager } from 'typeorm';
import { isMysql } from '../../database/dialect';
import { write } from '../../database/sql';

/**
 * Takes `amount` of a subject's allowance for a period, inside the caller's transaction, and
 * answers whether the allowance still covered it. The counter row is written first (an upsert that
 * locks it until commit), so parallel requests queue on the row and never see the same remainder;
 * a refused request's transaction is rolled back by the caller's error, giving the amount back.
 */
export async function consumeQuota(manager: EntityManager, subject: string, period: string, limit: number, amount = 1): Promise<boolean> {
  if (isMysql(manager)) {
    // One statement: the upsert hands the new count back as the statement's insert id (LAST_INSERT_ID(expr))
    const { insertId } = await write(
      manager,
      'INSERT INTO quota_counters (subject, period, used) VALUES (?, ?, LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE used = LAST_INSERT_ID(used + VALUES(used))',
      [subject, period, amount],
    );
    return insertId <= limit;
  }
  const [row] = (await manager.query(
    'INSERT INTO quota_counters (subject, period, used) VALUES (?, ?, ?) ON CONFLICT (subject, period) DO UPDATE SET used = used + excluded.used RETURNING used',
    [subject, period, amount],
  )) as Array<{ used: number }>;
  return Number(row?.used) <= limit;
}

/**
 * Makes the transactions of one subject (a user's binding attempts, a child's guardians) take turns:
 * the first to write the subject's row holds it until it ends, the others wait, then read what it
 * committed. For rules a count alone cannot hold, such as "at most N failures in a sliding window".
 */
export async function takeTurn(manager: EntityManager, subject: string): Promise<void> {
  if (isMysql(manager))
    await manager.query(
      "INSERT INTO quota_counters (subject, period, used) VALUES (?, 'turns', 1) ON DUPLICATE KEY UPDATE used = used + 1",
      [subject],
    );
  else
    await manager.query(
      "INSERT INTO quota_counters (subject, period, used) VALUES (?, 'turns', 1) ON CONFLICT (subject, period) DO UPDATE SET used = used + 1",
      [subject],
    );
}
