import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * The school's follow-up of an absent pupil (BRIEF §4a): its contacts with the family, its reports
 * of a pupil as a suspected dropout (one per phone key), and 学籍异动 (transfer out, 休学, moved away).
 */
export class PupilChanges1765120000000 implements MigrationInterface {
  name = 'PupilChanges1765120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'family_contacts',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('school_id'),
        c.ref('child_id'),
        c.ref('alert_id', true),
        c.varchar('contacted_on', 10),
        c.varchar('channel', 8),
        c.varchar('contact_person', 20),
        c.varchar('outcome', 12),
        c.varchar('note', 500, true),
        c.varchar('next_step', 200, true),
        c.ref('recorded_by'),
        c.timestamp('recorded_at'),
      ],
      [index('idx_family_contacts_child', ['child_id', 'contacted_on'])],
    );
    await createTable(
      queryRunner,
      'school_reports',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('school_id'),
        c.ref('child_id'),
        c.ref('case_id'),
        c.boolean('existing', false),
        c.varchar('reason', 500),
        c.ref('reported_by'),
        c.varchar('client_key', 36),
        c.timestamp('reported_at'),
      ],
      [index('uq_school_reports_client_key', ['reported_by', 'client_key'], true), index('idx_school_reports_child', ['child_id'])],
    );
    await createTable(
      queryRunner,
      'pupil_changes',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('child_id'),
        c.varchar('kind', 12),
        c.varchar('status', 12),
        c.varchar('open_key', 36),
        c.ref('from_school_id'),
        c.int('from_grade', true),
        c.varchar('from_class_name', 16, true),
        c.ref('to_school_id', true),
        c.varchar('destination', 60, true),
        c.varchar('effective_on', 10),
        c.varchar('reason', 300),
        c.ref('document_upload_id', true),
        c.ref('requested_by'),
        c.timestamp('requested_at'),
        c.ref('decided_by', true),
        c.timestamp('decided_at', true),
        c.varchar('decision_note', 200, true),
        c.ref('closed_case_id', true),
      ],
      [
        index('uq_pupil_changes_open', ['child_id', 'open_key'], true),
        index('idx_pupil_changes_from', ['from_school_id', 'status']),
        index('idx_pupil_changes_to', ['to_school_id', 'status']),
        index('idx_pupil_changes_county', ['county_code', 'kind', 'status']),
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pupil_changes');
    await queryRunner.dropTable('school_reports');
    await queryRunner.dropTable('family_contacts');
  }
}
