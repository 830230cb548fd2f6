import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * Background work that runs once across instances and survives its holder (issue 17): the jobs table,
 * and the claim that keeps one cross-check running per county (`crosscheck_runs.running_county`, set
 * while it runs, unique; NULLs never collide).
 */
export class Jobs1765300000000 implements MigrationInterface {
  name = 'Jobs1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'jobs',
      [
        c.id(),
        c.varchar('kind', 40),
        c.varchar('run_key', 120),
        c.varchar('status', 12),
        c.json('payload', true),
        c.varchar('holder', 80, true),
        c.timestamp('leased_until', true),
        c.timestamp('heartbeat_at', true),
        c.int('attempts'),
        c.int('max_attempts'),
        c.timestamp('run_after'),
        c.varchar('error', 500, true),
        c.timestamp('created_at'),
        c.timestamp('started_at', true),
        c.timestamp('finished_at', true),
      ],
      [index('uq_jobs_kind_run_key', ['kind', 'run_key'], true), index('idx_jobs_due', ['status', 'run_after'])],
    );
    await queryRunner.addColumn('crosscheck_runs', new TableColumn(c.divisionCode('running_county', true)));
    await queryRunner.createIndex('crosscheck_runs', index('uq_crosscheck_runs_running', ['running_county'], true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('crosscheck_runs', 'uq_crosscheck_runs_running');
    await queryRunner.dropColumn('crosscheck_runs', 'running_county');
    await queryRunner.dropTable('jobs');
  }
}
