import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

const CHILDREN_CLASS = index('idx_children_school_class', ['school_id', 'grade', 'class_name']);
const ATTENDANCE_ROLL_CALL = index('idx_attendance_roll_call', ['roll_call_id']);

/**
 * The school line's classes and roll calls (BRIEF §4a): the 班主任 of each class, one roll call per
 * class and school day (its marks are attendance rows, with the reason and the roll call they came
 * from; `source` grows to name `roll_call`), its same-day edits by idempotency key, and the alerts
 * raised when a pupil is absent without leave for the county's number of school days.
 */
export class SchoolLine1765110000000 implements MigrationInterface {
  name = 'SchoolLine1765110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'class_teachers',
      [
        { ...c.ref('school_id'), isPrimary: true },
        { ...c.int('grade'), isPrimary: true },
        { ...c.varchar('class_name', 16), isPrimary: true },
        { ...c.ref('user_id'), isPrimary: true },
        c.ref('assigned_by'),
        c.timestamp('assigned_at'),
      ],
      [index('idx_class_teachers_user', ['user_id'])],
    );
    await createTable(
      queryRunner,
      'roll_calls',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('school_id'),
        c.int('grade'),
        c.varchar('class_name', 16),
        c.varchar('day', 10),
        c.int('pupils'),
        c.int('absent'),
        c.int('late'),
        c.varchar('client_key', 36),
        c.ref('taken_by'),
        c.timestamp('taken_at'),
        c.ref('updated_by'),
        c.timestamp('updated_at'),
      ],
      [
        index('uq_roll_calls_class_day', ['school_id', 'grade', 'class_name', 'day'], true),
        index('idx_roll_calls_county_day', ['county_code', 'day']),
        index('uq_roll_calls_client_key', ['client_key'], true),
      ],
    );
    await createTable(
      queryRunner,
      'roll_call_edits',
      [{ ...c.varchar('client_key', 36), isPrimary: true }, c.ref('roll_call_id'), c.ref('edited_by'), c.timestamp('edited_at')],
      [index('idx_roll_call_edits_roll_call', ['roll_call_id'])],
    );
    await createTable(
      queryRunner,
      'absence_alerts',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('school_id'),
        c.ref('child_id'),
        c.int('grade'),
        c.varchar('class_name', 16),
        c.varchar('streak_start', 10),
        c.varchar('last_absent_day', 10),
        c.int('streak'),
        c.varchar('status', 12),
        c.ref('case_id', true),
        c.timestamp('created_at'),
        c.timestamp('updated_at'),
      ],
      [
        index('uq_absence_alerts_child_streak', ['child_id', 'streak_start'], true),
        index('idx_absence_alerts_school_status', ['school_id', 'status']),
      ],
    );
    await queryRunner.addColumns('attendance', [
      new TableColumn(c.varchar('reason', 12, true)),
      new TableColumn(c.ref('roll_call_id', true)),
    ]);
    await queryRunner.changeColumn('attendance', 'source', new TableColumn(c.varchar('source', 12)));
    await queryRunner.createIndex('attendance', ATTENDANCE_ROLL_CALL);
    await queryRunner.createIndex('children', CHILDREN_CLASS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('children', CHILDREN_CLASS.name!);
    await queryRunner.dropIndex('attendance', ATTENDANCE_ROLL_CALL.name!);
    await queryRunner.query(`DELETE FROM attendance WHERE source = 'roll_call'`);
    await queryRunner.changeColumn('attendance', 'source', new TableColumn(new ColumnKit(queryRunner).varchar('source', 8)));
    await queryRunner.dropColumn('attendance', 'roll_call_id');
    await queryRunner.dropColumn('attendance', 'reason');
    for (const table of ['absence_alerts', 'roll_call_edits', 'roll_calls', 'class_teachers']) await queryRunner.dropTable(table);
  }
}
