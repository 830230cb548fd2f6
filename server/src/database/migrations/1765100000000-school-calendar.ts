import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable } from './table-builder';

/**
 * The county school calendar (BRIEF §4a): each school year's term dates a county sets, and the days
 * it sets apart from the national holiday schedule (which the server reads from the `chinese-days`
 * package, not from the database).
 */
export class SchoolCalendar1765100000000 implements MigrationInterface {
  name = 'SchoolCalendar1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(queryRunner, 'school_terms', [
      { ...c.divisionCode('county_code'), isPrimary: true },
      { ...c.int('school_year'), isPrimary: true },
      { ...c.varchar('term', 8), isPrimary: true },
      c.varchar('starts_on', 10),
      c.varchar('ends_on', 10),
    ]);
    await createTable(queryRunner, 'calendar_days', [
      { ...c.divisionCode('county_code'), isPrimary: true },
      { ...c.varchar('day', 10), isPrimary: true },
      c.varchar('kind', 8),
      c.varchar('note', 40),
      c.ref('set_by'),
      c.timestamp('set_at'),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('calendar_days');
    await queryRunner.dropTable('school_terms');
  }
}
