import type { MigrationInterface, QueryRunner } from 'typeorm';
import { index } from './table-builder';

/**
 * Inbox order (BRIEF §4: priority groups first): cases by priority, then newest. MariaDB reads a
 * county's or a township's first page along this index and stops after one page, checking the
 * routing-code prefix on the way; for a narrow scope (a village, a school, the triage queue) it
 * reads the scope's few cases by their own index and sorts them.
 */
export class InboxPriority1764910000000 implements MigrationInterface {
  name = 'InboxPriority1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('cases', index('idx_cases_priority', ['priority', 'id']));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_priority');
  }
}
