import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/** Case handling: steps and outcomes on the case, visits, notices, transfers, re-checks, attendance, guardians. */
export class CaseHandling1764300000000 implements MigrationInterface {
  name = 'CaseHandling1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.addColumns(
      'cases',
      [
        c.varchar('due_kind', 24, true),
        c.varchar('escalated_to', 16, true),
        c.json('causes', true),
        c.json('escalation_steps', true),
        c.timestamp('confirmed_at', true),
        c.varchar('not_dropout_reason', 16, true),
        c.ref('confirming_school_id', true),
        c.varchar('returned_on', 10, true),
        c.ref('return_school_id', true),
        c.int('return_grade', true),
        c.varchar('placement', 16, true),
      ].map((options) => new TableColumn(options)),
    );

    await createTable(
      queryRunner,
      'case_visits',
      [
        c.id(),
        c.ref('case_id'),
        c.varchar('visited_on', 10),
        c.varchar('visitors', 200),
        c.varchar('met', 100),
        c.varchar('stated_reason', 500),
        c.varchar('commitments', 500, true),
        c.varchar('outcome', 24),
        c.ref('recorded_by'),
        c.timestamp('recorded_at'),
      ],
      [index('idx_case_visits_case', ['case_id', 'visited_on'])],
    );

    await createTable(
      queryRunner,
      'case_notices',
      [
        c.id(),
        c.ref('case_id'),
        c.ref('child_id'),
        c.ref('issued_by'),
        c.timestamp('issued_at'),
        c.varchar('deadline_on', 10),
        { name: 'text', type: 'text', isNullable: false },
        c.varchar('delivery', 8),
        c.timestamp('delivered_at', true),
        c.varchar('received_by', 64, true),
        c.timestamp('acknowledged_at', true),
        c.ref('acknowledged_by', true),
      ],
      [index('idx_case_notices_case', ['case_id']), index('idx_case_notices_child', ['child_id'])],
    );

    await createTable(
      queryRunner,
      'case_transfers',
      [
        c.id(),
        c.ref('case_id'),
        c.divisionCode('to_township_code', true),
        c.ref('to_school_id', true),
        c.varchar('reason', 200),
        c.ref('requested_by'),
        c.timestamp('requested_at'),
        c.timestamp('due_at'),
        c.varchar('status', 12),
        c.timestamp('escalated_at', true),
        c.ref('decided_by', true),
        c.timestamp('decided_at', true),
        c.varchar('decision_note', 200, true),
      ],
      [index('idx_case_transfers_case', ['case_id']), index('idx_case_transfers_to', ['to_township_code', 'status'])],
    );

    await createTable(
      queryRunner,
      'case_rechecks',
      [
        c.id(),
        c.ref('case_id'),
        c.varchar('due_on', 10),
        c.timestamp('done_at', true),
        c.ref('done_by', true),
        c.varchar('result', 12, true),
      ],
      [index('idx_case_rechecks_due', ['due_on', 'done_at'])],
    );

    await createTable(
      queryRunner,
      'attendance',
      [
        c.id(),
        c.ref('child_id'),
        c.ref('school_id'),
        c.varchar('day', 10),
        { name: 'present', type: 'boolean', isNullable: false },
        { name: 'excused', type: 'boolean', isNullable: false },
        c.varchar('source', 8),
        c.ref('recorded_by', true),
        c.timestamp('recorded_at'),
      ],
      [index('uq_attendance_child_day', ['child_id', 'day'], true)],
    );

    await createTable(
      queryRunner,
      'guardianships',
      [
        { ...c.ref('child_id'), isPrimary: true },
        { ...c.ref('user_id'), isPrimary: true },
        c.varchar('relation', 16),
        c.timestamp('created_at'),
      ],
      [index('idx_guardianships_user', ['user_id'])],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['guardianships', 'attendance', 'case_rechecks', 'case_transfers', 'case_notices', 'case_visits']) {
      await queryRunner.dropTable(table);
    }
    for (const column of [
      'placement',
      'return_grade',
      'return_school_id',
      'returned_on',
      'confirming_school_id',
      'not_dropout_reason',
      'confirmed_at',
      'escalation_steps',
      'causes',
      'escalated_to',
      'due_kind',
    ]) {
      await queryRunner.dropColumn('cases', column);
    }
  }
}
