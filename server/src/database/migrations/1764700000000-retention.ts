import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit, index } from './table-builder';

/** Retention: when a finished case was pseudonymised, and an index to find the ones due. */
export class Retention1764700000000 implements MigrationInterface {
  name = 'Retention1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.addColumn('cases', new TableColumn(c.timestamp('pseudonymised_at', true)));
    await queryRunner.createIndex('cases', index('idx_cases_retention', ['county_code', 'closed_at']));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_retention');
    await queryRunner.dropColumn('cases', 'pseudonymised_at');
  }
}
