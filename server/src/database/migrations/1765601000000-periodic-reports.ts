import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * Periodic reports with approval (issue 18 part 2): one row per (kind, unit, period), unique in the
 * database so making a draft is an upsert; the approved figures are kept on the row as a locked
 * snapshot. Due days are county settings (JSON in served_counties, defaults in shared): no column.
 */
export class PeriodicReports1765601000000 implements MigrationInterface {
  name = 'PeriodicReports1765601000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'periodic_reports',
      [
        c.id(),
        c.varchar('kind', 20),
        c.varchar('period', 7),
        c.ref('unit_id'),
        c.divisionCode('county_code'),
        c.divisionCode('township_code', true),
        c.varchar('status', 12),
        c.json('figures'),
        c.timestamp('generated_at'),
        { name: 'explanation', type: 'text', isNullable: true },
        { name: 'review_comment', type: 'text', isNullable: true },
        c.ref('submitted_by', true),
        c.timestamp('submitted_at', true),
        c.ref('approved_by', true),
        c.timestamp('approved_at', true),
        c.timestamp('returned_at', true),
        c.timestamp('updated_at'),
      ],
      [
        index('uq_periodic_reports_unit_period', ['kind', 'unit_id', 'period'], true),
        index('idx_periodic_reports_county', ['county_code', 'kind', 'period']),
      ],
    );
    await createTable(
      queryRunner,
      'periodic_report_events',
      [
        c.id(),
        c.ref('report_id'),
        c.varchar('action', 12),
        c.timestamp('at'),
        c.ref('actor_id', true),
        { name: 'comment', type: 'text', isNullable: true },
      ],
      [index('idx_periodic_report_events_report', ['report_id', 'at'])],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('periodic_report_events');
    await queryRunner.dropTable('periodic_reports');
  }
}
