import type { EntityManager } from 'typeorm';
import { isMysql } from '../../database/dialect';
import { selectRows, write } from '../../database/sql';

/**
 * Takes the next 通报 number of a county's year in the caller's transaction. One statement, as case
 * numbers are reserved (`reserveCaseNumbers`): the database creates or increments the counter row and
 * keeps it locked until the transaction ends, so two publications never share a number, and one that
 * rolls back gives its number back.
 */
export async function reserveCircularNumber(manager: EntityManager, countyCode: string, year: number): Promise<number> {
  if (isMysql(manager)) {
    const { insertId } = await write(
      manager,
      'INSERT INTO circular_number_counters (county_code, year, last) VALUES (?, ?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + 1)',
      [countyCode, year],
    );
    return insertId;
  }
  const [row] = await selectRows<{ last: number | string }>(
    manager,
    'INSERT INTO circular_number_counters (county_code, year, last) VALUES (?, ?, 1) ON CONFLICT (county_code, year) DO UPDATE SET last = last + 1 RETURNING last',
    [countyCode, year],
  );
  return Number(row!.last);
}
