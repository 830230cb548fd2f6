import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit } from './table-builder';

/**
 * A county's first county admin redeems a code the operator prints from the command line
 * (`invite-county-admin`): such an invitation has no issuing user, so `created_by` may be empty.
 */
export class OperatorInvitations1765020000000 implements MigrationInterface {
  name = 'OperatorInvitations1765020000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.changeColumn('invitations', 'created_by', new TableColumn(c.ref('created_by', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.query('DELETE FROM invitations WHERE created_by IS NULL');
    await queryRunner.changeColumn('invitations', 'created_by', new TableColumn(c.ref('created_by')));
  }
}
