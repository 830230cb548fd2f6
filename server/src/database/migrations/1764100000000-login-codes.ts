import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

export class LoginCodes1764100000000 implements MigrationInterface {
  name = 'LoginCodes1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await createTable(
      queryRunner,
      'login_codes',
      [c.id(), c.varchar('code_hash', 64), c.ref('user_id'), c.timestamp('expires_at'), c.timestamp('used_at', true)],
      [index('uq_login_codes_code_hash', ['code_hash'], true)],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_codes');
  }
}
