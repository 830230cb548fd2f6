import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable } from './table-builder';

/**
 * State every instance of a deployment shares (issue 17): cache versions (a change through one instance
 * clears the others' caches) and the WeChat access token with its refresh lease.
 */
export class SharedState1765210000000 implements MigrationInterface {
  name = 'SharedState1765210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(queryRunner, 'cache_versions', [{ ...c.varchar('name', 40), isPrimary: true }, c.int('version')]);
    await createTable(queryRunner, 'wechat_access_tokens', [
      { ...c.varchar('app_id', 64), isPrimary: true },
      c.varchar('access_token', 512, true),
      c.timestamp('expires_at', true),
      c.varchar('refresh_by', 36, true),
      c.timestamp('refresh_until', true),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('wechat_access_tokens');
    await queryRunner.dropTable('cache_versions');
  }
}
