import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * 督导 spot checks (issue 18 part 5): a county's draws of closed cases (the seed recorded, one draw per
 * idempotency key), the sampled cases with the inspectors' findings, and the 整改 items a problem opens
 * (one per sampled case at most).
 */
export class SpotChecks1765610000000 implements MigrationInterface {
  name = 'SpotChecks1765610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'spot_checks',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.varchar('period_from', 10),
        c.varchar('period_to', 10),
        c.int('seed'),
        c.json('townships'),
        c.int('item_count'),
        c.ref('created_by'),
        c.timestamp('created_at'),
        c.ref('idempotency_key'),
      ],
      [index('uq_spot_checks_idempotency', ['county_code', 'idempotency_key'], true)],
    );
    await createTable(
      queryRunner,
      'spot_check_items',
      [
        c.id(),
        c.ref('spot_check_id'),
        c.int('position'),
        c.ref('case_id'),
        c.varchar('case_number', 40),
        c.ref('child_id'),
        c.divisionCode('county_code'),
        c.divisionCode('township_code'),
        c.divisionCode('village_code', true),
        c.ref('school_id', true),
        c.int('grade', true),
        c.timestamp('closed_at'),
        c.varchar('result', 16, true),
        { name: 'note', type: 'text', isNullable: true },
        c.varchar('checked_on', 10, true),
        c.ref('inspected_by', true),
        c.varchar('inspector_unit', 40, true),
        c.timestamp('recorded_at', true),
        c.boolean('reopened', false),
      ],
      [
        index('uq_spot_check_items_case', ['spot_check_id', 'case_id'], true),
        index('idx_spot_check_items_findings', ['county_code', 'checked_on']),
        index('idx_spot_check_items_child', ['child_id']),
      ],
    );
    await createTable(
      queryRunner,
      'rectifications',
      [
        c.id(),
        c.ref('spot_check_id'),
        c.ref('item_id'),
        c.ref('case_id'),
        c.varchar('case_number', 40),
        c.divisionCode('county_code'),
        c.divisionCode('township_code'),
        c.ref('school_id', true),
        c.varchar('result', 16),
        { name: 'problem', type: 'text' },
        c.varchar('deadline_on', 10),
        c.varchar('status', 10),
        { name: 'report_note', type: 'text', isNullable: true },
        c.ref('reported_by', true),
        c.timestamp('reported_at', true),
        { name: 'review_note', type: 'text', isNullable: true },
        c.ref('reviewed_by', true),
        c.timestamp('reviewed_at', true),
        c.int('returns'),
        c.timestamp('created_at'),
        c.int('version'),
      ],
      [
        index('uq_rectifications_item', ['item_id'], true),
        index('idx_rectifications_township', ['township_code', 'status']),
        index('idx_rectifications_county', ['county_code', 'id']),
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rectifications');
    await queryRunner.dropTable('spot_check_items');
    await queryRunner.dropTable('spot_checks');
  }
}
