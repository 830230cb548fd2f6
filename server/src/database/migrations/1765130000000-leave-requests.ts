import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/** Parents' leave requests 请假 (BRIEF §4a): one row per request, decided by the class's 班主任 or the school's leader. */
export class LeaveRequests1765130000000 implements MigrationInterface {
  name = 'LeaveRequests1765130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'leave_requests',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('school_id'),
        c.ref('child_id'),
        c.int('grade'),
        c.varchar('class_name', 16),
        c.varchar('kind', 12),
        c.varchar('from_day', 10),
        c.varchar('to_day', 10),
        c.varchar('reason', 200),
        c.ref('photo_upload_id', true),
        c.varchar('status', 12),
        c.ref('requested_by'),
        c.varchar('client_key', 36),
        c.timestamp('requested_at'),
        c.ref('decided_by', true),
        c.timestamp('decided_at', true),
        c.varchar('decision_note', 200, true),
      ],
      [
        index('uq_leave_requests_client_key', ['requested_by', 'client_key'], true),
        index('idx_leave_requests_child_day', ['child_id', 'from_day']),
        index('idx_leave_requests_school_status', ['school_id', 'status']),
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leave_requests');
  }
}
