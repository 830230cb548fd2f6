import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * 通报 (issue 18 part 4): a county's published scorecards, each a locked snapshot with its document
 * number (the county's yearly counter, incremented by the database in the publishing transaction),
 * and one receipt per township leader and school staff member it was sent to.
 */
export class Circulars1765540000000 implements MigrationInterface {
  name = 'Circulars1765540000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'circulars',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.int('year'),
        c.int('sequence'),
        c.varchar('number', 40),
        c.varchar('title', 64),
        { name: 'comment', type: 'text', isNullable: true },
        c.varchar('table_by', 8),
        c.varchar('period_from', 10),
        c.varchar('period_to', 10),
        c.json('scorecard'),
        c.int('recipients'),
        c.ref('published_by'),
        c.timestamp('published_at'),
        c.ref('idempotency_key'),
      ],
      [
        index('uq_circulars_idempotency', ['county_code', 'idempotency_key'], true),
        index('uq_circulars_number', ['county_code', 'year', 'sequence'], true),
      ],
    );
    await createTable(
      queryRunner,
      'circular_receipts',
      [{ ...c.ref('circular_id'), isPrimary: true }, { ...c.ref('user_id'), isPrimary: true }, c.timestamp('read_at', true)],
      [index('idx_circular_receipts_user', ['user_id', 'circular_id'])],
    );
    await createTable(queryRunner, 'circular_number_counters', [
      { ...c.divisionCode('county_code'), isPrimary: true },
      { ...c.int('year'), isPrimary: true },
      c.int('last'),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('circular_number_counters');
    await queryRunner.dropTable('circular_receipts');
    await queryRunner.dropTable('circulars');
  }
}
