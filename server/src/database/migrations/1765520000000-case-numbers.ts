import { caseNumberYear, formatCaseNumber } from '@baoxue/shared';
import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { rawDate } from '../raw-date';
import { ColumnKit, index } from './table-builder';

/** Cases numbered per UPDATE batch (one statement of `CASE id WHEN … END`). */
const CHUNK = 500;

interface OpenedCase {
  id: string;
  county_code: string;
  opened_at: Date | string;
}

/**
 * Numbers every case without a number in opening order per county and year (China time) and sets
 * each counter to its last number: what the migration does to the cases opened before it.
 */
export async function numberCases(queryRunner: QueryRunner): Promise<void> {
  const cases = (await queryRunner.query(
    'SELECT id, county_code, opened_at FROM cases WHERE case_number IS NULL ORDER BY county_code, opened_at, id',
  )) as OpenedCase[];
  const counties = [...new Set(cases.map((c) => c.county_code))];
  const names = new Map<string, string>();
  if (counties.length) {
    const rows = (await queryRunner.query(
      `SELECT code, name FROM divisions WHERE code IN (${counties.map(() => '?').join(', ')})`,
      counties,
    )) as Array<{ code: string; name: string }>;
    for (const row of rows) names.set(row.code, row.name);
  }
  const last = new Map<string, { countyCode: string; year: number; last: number }>();
  const numbered = cases.map((c) => {
    const year = caseNumberYear(rawDate(c.opened_at));
    const key = `${c.county_code}:${year}`;
    const counter = last.get(key) ?? { countyCode: c.county_code, year, last: 0 };
    counter.last++;
    last.set(key, counter);
    return { id: c.id, number: formatCaseNumber({ code: c.county_code, name: names.get(c.county_code) }, year, counter.last) };
  });
  for (let i = 0; i < numbered.length; i += CHUNK) {
    const chunk = numbered.slice(i, i + CHUNK);
    await queryRunner.query(
      `UPDATE cases SET case_number = CASE id ${chunk.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      [...chunk.flatMap((c) => [c.id, c.number]), ...chunk.map((c) => c.id)],
    );
  }
  for (const counter of last.values())
    await queryRunner.query('INSERT INTO case_number_counters (county_code, year, last) VALUES (?, ?, ?)', [
      counter.countyCode,
      counter.year,
      counter.last,
    ]);
}

/**
 * 案件编号 (issue 16): every case gets its county's yearly sequence number, `光山-2026-000123`. The
 * cases opened before are numbered here in opening order per county and year (China time), and the
 * counters start where they end, so new cases continue each sequence. The column stays nullable:
 * SQLite cannot add a NOT NULL column without a default to a table with rows (every row is filled).
 */
export class CaseNumbers1765520000000 implements MigrationInterface {
  name = 'CaseNumbers1765520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const kit = new ColumnKit(queryRunner);
    await queryRunner.addColumn('cases', new TableColumn({ name: 'case_number', type: 'varchar', length: '40', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'case_number_counters',
        columns: [{ ...kit.divisionCode('county_code'), isPrimary: true }, { ...kit.int('year'), isPrimary: true }, kit.int('last')],
      }),
    );

    await numberCases(queryRunner);
    await queryRunner.createIndex('cases', index('uq_cases_number', ['case_number', 'county_code'], true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'uq_cases_number');
    await queryRunner.dropTable('case_number_counters');
    await queryRunner.dropColumn('cases', 'case_number');
  }
}
