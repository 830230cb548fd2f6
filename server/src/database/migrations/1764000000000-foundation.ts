import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);

    await createTable(
      queryRunner,
      'divisions',
      [{ ...c.divisionCode('code'), isPrimary: true }, c.varchar('name', 64), c.varchar('level', 12), c.divisionCode('parent_code', true)],
      [index('idx_divisions_parent', ['parent_code'])],
    );

    await createTable(queryRunner, 'served_counties', [{ ...c.divisionCode('code'), isPrimary: true }, c.json('settings')]);

    await createTable(
      queryRunner,
      'schools',
      [
        c.id(),
        c.varchar('name', 64),
        c.varchar('stage', 8),
        c.varchar('code', 10, true),
        c.divisionCode('county_code'),
        c.divisionCode('township_code'),
        c.divisionCode('village_code', true),
        c.varchar('address', 128, true),
        c.createdAt(),
        c.updatedAt(),
      ],
      [
        index('idx_schools_township', ['township_code', 'name']),
        index('idx_schools_county', ['county_code', 'name']),
        index('uq_schools_code', ['code'], true),
      ],
    );

    await createTable(
      queryRunner,
      'users',
      [
        c.id(),
        c.varchar('openid', 64, true),
        c.varchar('demo_account', 32, true),
        c.varchar('role', 16),
        c.varchar('display_name', 32),
        c.varchar('position', 16, true),
        c.divisionCode('unit_division_code', true),
        c.ref('unit_school_id', true),
        c.divisionCode('county_code', true),
        c.boolean('disabled', false),
        c.varchar('privacy_consent_version', 32, true),
        c.timestamp('privacy_consent_at', true),
        c.timestamp('last_seen_at', true),
        c.createdAt(),
        c.updatedAt(),
      ],
      [
        index('uq_users_openid', ['openid'], true),
        index('uq_users_demo_account', ['demo_account'], true),
        index('idx_users_county_role', ['county_code', 'role']),
      ],
    );

    await createTable(
      queryRunner,
      'sessions',
      [
        c.id(),
        c.varchar('token_hash', 64),
        c.ref('user_id'),
        c.varchar('wechat_session_key', 64, true),
        c.timestamp('created_at'),
        c.timestamp('expires_at'),
        c.timestamp('revoked_at', true),
      ],
      [index('uq_sessions_token_hash', ['token_hash'], true), index('idx_sessions_user', ['user_id'])],
    );

    await createTable(
      queryRunner,
      'invitations',
      [
        c.id(),
        c.varchar('code_hash', 64),
        c.varchar('code_hint', 4),
        c.varchar('role', 16),
        c.varchar('position', 16, true),
        c.divisionCode('unit_division_code', true),
        c.ref('unit_school_id', true),
        c.divisionCode('county_code'),
        c.varchar('note', 64, true),
        c.timestamp('expires_at'),
        c.ref('created_by'),
        c.timestamp('created_at'),
        c.timestamp('used_at', true),
        c.ref('used_by', true),
        c.timestamp('revoked_at', true),
      ],
      [index('uq_invitations_code_hash', ['code_hash'], true), index('idx_invitations_county', ['county_code', 'created_at'])],
    );

    await createTable(
      queryRunner,
      'audit_log',
      [
        c.id(),
        c.timestamp('at'),
        c.ref('actor_id', true),
        c.varchar('actor_role', 16, true),
        c.varchar('action', 48),
        c.varchar('target_type', 32),
        c.varchar('target_id', 64, true),
        c.varchar('reason', 200, true),
        c.json('details', true),
      ],
      [index('idx_audit_target', ['target_type', 'target_id', 'at']), index('idx_audit_actor', ['actor_id', 'at'])],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'invitations', 'sessions', 'users', 'schools', 'served_counties', 'divisions']) {
      await queryRunner.dropTable(table);
    }
  }
}
