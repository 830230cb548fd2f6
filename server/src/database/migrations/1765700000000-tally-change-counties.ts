import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit } from './table-builder';

/**
 * A change to the pupils names the county it touched, so the enrolment tallies recount that county
 * alone rather than every pupil of the province. A change that names none (the rows written before,
 * a writer that could not tell) still recounts everything.
 */
export class TallyChangeCounties1765700000000 implements MigrationInterface {
  name = 'TallyChangeCounties1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.addColumn('enrolment_tally_changes', new TableColumn(c.divisionCode('county_code', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('enrolment_tally_changes', 'county_code');
  }
}
