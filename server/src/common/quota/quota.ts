import type { EntityManager } from 'typeorm';

function isMysql(manager: EntityManager): boolean {
  const type = manager.connection.driver.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/**
 * Takes `amount` of a subject's allowance for a period, inside the caller's transaction, and
 * answers whether the allowance still covered it. The counter row is written first (an upsert that
 * locks it until commit), so parallel requests queue on the row and never see the same remainder;
 * a refused request's transaction is rolled back by the caller's error, giving the amount back.
 */
export async function consumeQuota(manager: EntityManager, subject: string, period: string, limit: number, amount = 1): Promise<boolean> {
  if (isMysql(manager)) {
    await manager.query(
      'INSERT INTO quota_counters (subject, period, used) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE used = used + VALUES(used)',
      [subject, period, amount],
    );
    const [row] = (await manager.query('SELECT used FROM quota_counters WHERE subject = ? AND period = ? FOR UPDATE', [
      subject,
      period,
    ])) as Array<{
      used: number | string;
    }>;
    return Number(row?.used) <= limit;
  }
  const [row] = (await manager.query(
    'INSERT INTO quota_counters (subject, period, used) VALUES (?, ?, ?) ON CONFLICT (subject, period) DO UPDATE SET used = used + excluded.used RETURNING used',
    [subject, period, amount],
  )) as Array<{ used: number }>;
  return Number(row?.used) <= limit;
}
