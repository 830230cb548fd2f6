import type { MigrationInterface, QueryRunner } from 'typeorm';
import { index } from './table-builder';

/**
 * Data-quality flags (issue 18 item 6) read one account's work in time order: its visits by when they
 * were logged (bursts of visits, visits dated on a day it worked elsewhere) and its timeline events of
 * a day, and a period's visits by when they were logged and its returns by when they were recorded.
 * Without these indices each rule would scan every visit and event of every county.
 */
export class DataQualityIndices1765617300000 implements MigrationInterface {
  name = 'DataQualityIndices1765617300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('case_visits', index('idx_case_visits_recorder', ['recorded_by', 'recorded_at']));
    await queryRunner.createIndex('case_events', index('idx_case_events_actor', ['actor_id', 'at']));
    await queryRunner.createIndex('case_visits', index('idx_case_visits_recorded', ['recorded_at']));
    await queryRunner.createIndex('case_events', index('idx_case_events_kind', ['kind', 'at']));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('case_events', 'idx_case_events_kind');
    await queryRunner.dropIndex('case_visits', 'idx_case_visits_recorded');
    await queryRunner.dropIndex('case_events', 'idx_case_events_actor');
    await queryRunner.dropIndex('case_visits', 'idx_case_visits_recorder');
  }
}
