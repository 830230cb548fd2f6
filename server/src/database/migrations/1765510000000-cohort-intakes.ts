import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable } from './table-builder';

/** Counties' grade-1 intakes of earlier years (一年级入学人数), for 巩固率: one row per county and entry year. */
export class CohortIntakes1765510000000 implements MigrationInterface {
  name = 'CohortIntakes1765510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(queryRunner, 'cohort_intakes', [
      { ...c.divisionCode('county_code'), isPrimary: true },
      { ...c.int('entry_year'), isPrimary: true },
      c.int('intake'),
      c.varchar('source', 100),
      c.json('townships'),
      c.ref('updated_by'),
      c.timestamp('updated_at'),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cohort_intakes');
  }
}
