import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * Enrolment tallies: pupils on the roster counted by village, school, grade and poverty, so the
 * dropout statistics never scan every pupil; a change log tells when they must be counted again.
 * Indexes for the cross-check (a county's pupils by ID number, covering the anti-join; pupils born
 * the same day in a household child's village) and for the dropouts of a school year.
 */
export class EnrolmentTallies1764800000000 implements MigrationInterface {
  name = 'EnrolmentTallies1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(queryRunner, 'enrolment_tallies', [
      { ...c.divisionCode('county_code'), isPrimary: true },
      { ...c.varchar('village_code', 12), isPrimary: true },
      { ...c.varchar('school_id', 36), isPrimary: true },
      { ...c.int('grade'), isPrimary: true },
      { name: 'poor', type: 'boolean', isNullable: false, isPrimary: true },
      c.int('pupils'),
    ]);
    await createTable(queryRunner, 'enrolment_tally_changes', [c.id(), c.timestamp('changed_at')]);
    await queryRunner.dropIndex('children', 'idx_children_id_number');
    await queryRunner.createIndices('children', [
      index('idx_children_id_roster', ['id_number', 'county_code', 'student_number']),
      index('idx_children_village_birth', ['village_code', 'birth_date']),
    ]);
    await queryRunner.createIndex('cases', index('idx_cases_confirmed', ['confirmed_at']));
    // existing pupils are counted on first use
    await queryRunner.query("INSERT INTO enrolment_tally_changes (id, changed_at) VALUES ('migration', CURRENT_TIMESTAMP)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_confirmed');
    await queryRunner.dropIndex('children', 'idx_children_village_birth');
    await queryRunner.dropIndex('children', 'idx_children_id_roster');
    await queryRunner.createIndex('children', index('idx_children_id_number', ['id_number']));
    await queryRunner.dropTable('enrolment_tally_changes');
    await queryRunner.dropTable('enrolment_tallies');
  }
}
