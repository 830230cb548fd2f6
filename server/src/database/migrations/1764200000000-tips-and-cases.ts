import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/** Children, cases with their routing and timeline, tips, uploads, and notifications. */
export class TipsAndCases1764200000000 implements MigrationInterface {
  name = 'TipsAndCases1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);

    await createTable(
      queryRunner,
      'children',
      [
        c.id(),
        c.varchar('name', 32),
        c.varchar('name_key', 32),
        c.varchar('sex', 8),
        c.int('birth_year', true),
        c.boolean('birth_year_exact', false),
        c.varchar('id_number', 18, true),
        c.divisionCode('village_code', true),
        c.ref('school_id', true),
        c.int('grade', true),
        c.json('priority_groups'),
        c.createdAt(),
        c.updatedAt(),
      ],
      [index('idx_children_identity', ['name_key', 'village_code', 'birth_year']), index('idx_children_id_number', ['id_number'])],
    );

    await createTable(
      queryRunner,
      'cases',
      [
        c.id(),
        c.ref('child_id'),
        c.varchar('status', 16),
        c.varchar('source', 16),
        c.divisionCode('county_code'),
        c.divisionCode('township_code', true),
        c.divisionCode('village_code', true),
        c.divisionCode('routing_code'),
        c.ref('school_id', true),
        c.ref('assignee_id', true),
        c.timestamp('opened_at'),
        c.timestamp('due_at', true),
        c.timestamp('closed_at', true),
        c.ref('merged_into_id', true),
        c.int('tip_count'),
        c.int('version'),
      ],
      [
        index('idx_cases_routing', ['routing_code', 'opened_at']),
        index('idx_cases_school', ['school_id', 'opened_at']),
        index('idx_cases_due', ['routing_code', 'due_at']),
        index('idx_cases_child', ['child_id']),
      ],
    );

    await createTable(
      queryRunner,
      'case_routings',
      [
        c.id(),
        c.ref('case_id'),
        c.timestamp('at'),
        c.divisionCode('township_code', true),
        c.ref('school_id', true),
        c.varchar('rule', 24),
        c.ref('actor_id', true),
        c.varchar('reason', 200, true),
      ],
      [index('idx_case_routings_case', ['case_id', 'at'])],
    );

    await createTable(
      queryRunner,
      'case_events',
      [c.id(), c.ref('case_id'), c.timestamp('at'), c.ref('actor_id', true), c.varchar('kind', 32), c.json('data', true)],
      [index('idx_case_events_case', ['case_id', 'at'])],
    );

    await createTable(
      queryRunner,
      'tips',
      [
        c.id(),
        c.ref('supervisor_id'),
        c.ref('idempotency_key'),
        c.varchar('request_hash', 64),
        c.ref('case_id'),
        c.boolean('already_followed', false),
        c.varchar('child_name', 32),
        c.varchar('child_sex', 8),
        c.int('child_age', true),
        c.int('child_grade', true),
        c.ref('last_school_id', true),
        c.varchar('last_school_name', 64, true),
        c.varchar('child_id_number', 18, true),
        c.divisionCode('division_code', true),
        c.varchar('location_note', 128, true),
        { name: 'observation', type: 'text', isNullable: false },
        c.varchar('contact', 64, true),
        c.ref('photo_id', true),
        c.timestamp('created_at'),
      ],
      [
        index('uq_tips_idempotency', ['supervisor_id', 'idempotency_key'], true),
        index('idx_tips_supervisor', ['supervisor_id', 'created_at']),
        index('idx_tips_case', ['case_id']),
      ],
    );

    await createTable(
      queryRunner,
      'uploads',
      [
        c.id(),
        c.ref('owner_id'),
        c.varchar('purpose', 24),
        c.varchar('mime', 32),
        c.int('bytes'),
        c.varchar('sha256', 64),
        c.ref('attached_to', true),
        c.timestamp('created_at'),
      ],
      [index('idx_uploads_owner', ['owner_id', 'created_at'])],
    );

    await createTable(
      queryRunner,
      'outbox',
      [
        c.id(),
        c.varchar('dedupe_key', 120),
        c.ref('user_id'),
        c.varchar('template', 24),
        c.json('payload'),
        c.varchar('status', 12),
        c.int('attempts'),
        c.timestamp('next_attempt_at'),
        c.timestamp('leased_until', true),
        c.varchar('last_error', 200, true),
        c.timestamp('created_at'),
        c.timestamp('sent_at', true),
      ],
      [index('uq_outbox_dedupe', ['dedupe_key'], true), index('idx_outbox_due', ['status', 'next_attempt_at'])],
    );

    await createTable(
      queryRunner,
      'messages',
      [
        c.id(),
        c.ref('user_id'),
        c.varchar('dedupe_key', 120),
        c.varchar('title', 64),
        c.varchar('body', 500),
        c.varchar('link', 200, true),
        c.timestamp('created_at'),
        c.timestamp('read_at', true),
      ],
      [index('uq_messages_dedupe', ['dedupe_key'], true), index('idx_messages_user', ['user_id', 'id'])],
    );

    await createTable(queryRunner, 'subscription_grants', [
      { ...c.ref('user_id'), isPrimary: true },
      { ...c.varchar('template', 24), isPrimary: true },
      c.int('remaining'),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'subscription_grants',
      'messages',
      'outbox',
      'uploads',
      'tips',
      'case_events',
      'case_routings',
      'cases',
      'children',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
