import { Injectable } from '@nestjs/common';
import { caseNumberYear, formatCaseNumber } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { isMysql } from '../../database/dialect';
import { selectRows, write } from '../../database/sql';
import { DivisionsService } from '../divisions/divisions.service';
import type { DropoutCase } from './case.entity';

/**
 * Reserves `count` consecutive numbers of a county's year in the caller's transaction and returns the
 * first. One statement: the counter row is created or incremented by the database (never read, then
 * written), and it stays locked until the transaction ends, so parallel openings take turns on it.
 */
export async function reserveCaseNumbers(manager: EntityManager, countyCode: string, year: number, count: number): Promise<number> {
  if (isMysql(manager)) {
    // the upsert hands the new last number back as the statement's insert id (LAST_INSERT_ID(expr))
    const { insertId } = await write(
      manager,
      'INSERT INTO case_number_counters (county_code, year, last) VALUES (?, ?, LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + VALUES(last))',
      [countyCode, year, count],
    );
    return insertId - count + 1;
  }
  const [row] = await selectRows<{ last: number | string }>(
    manager,
    'INSERT INTO case_number_counters (county_code, year, last) VALUES (?, ?, ?) ON CONFLICT (county_code, year) DO UPDATE SET last = last + excluded.last RETURNING last',
    [countyCode, year, count],
  );
  return Number(row!.last) - count + 1;
}

/** Gives new cases their numbers (案件编号) before they are inserted, in the transaction that inserts them. */
@Injectable()
export class CaseNumbers {
  constructor(private readonly divisions: DivisionsService) {}

  /**
   * Numbers the cases in their order, one reservation per county and year (a tip: one statement; a
   * cross-check batch: one per county). The county's name comes from the division names every tip
   * reads anyway (cached per process), so a tip adds no other statement.
   */
  async assign(manager: EntityManager, records: Array<Pick<DropoutCase, 'countyCode' | 'openedAt' | 'caseNumber'>>): Promise<void> {
    if (!records.length) return;
    const names = await this.divisions.names([...new Set(records.map((r) => r.countyCode))], manager);
    const groups = new Map<string, typeof records>();
    for (const record of records) {
      const key = `${record.countyCode}:${caseNumberYear(record.openedAt)}`;
      const group = groups.get(key);
      if (group) group.push(record);
      else groups.set(key, [record]);
    }
    for (const group of groups.values()) {
      const { countyCode, openedAt } = group[0]!;
      const year = caseNumberYear(openedAt);
      const first = await reserveCaseNumbers(manager, countyCode, year, group.length);
      const county = { code: countyCode, name: names.get(countyCode) };
      group.forEach((record, i) => (record.caseNumber = formatCaseNumber(county, year, first + i)));
    }
  }
}
