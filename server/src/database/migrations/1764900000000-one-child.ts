import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';
import { newId } from '../../common/ids';
import { describeRepair, repairChildRecords, repairedAnything } from '../../modules/children/child-repair';
import { withoutTallyNotes } from '../../modules/registry/enrolment-tally.subscriber';
import { standaloneChildMerges } from './child-merges';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * One child, one record (BRIEF §3a): merged records point to their survivor; a case claims its
 * child while open (a unique key, so a child never has two open cases); one child per ID number;
 * the review list of possible duplicates and the log of merges; claim rows that serialise reports
 * matched by name; per-period quota counters. Existing databases are repaired before the unique
 * keys are added (exact duplicates merged, tip-made children linked, county codes set).
 */
export class OneChild1764900000000 implements MigrationInterface {
  name = 'OneChild1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.addColumn('children', new TableColumn(c.ref('merged_into_id', true)));
    await queryRunner.addColumns('cases', [
      new TableColumn(c.ref('open_child_id', true)),
      new TableColumn({ ...c.int('priority'), default: 0 }),
    ]);
    await createTable(
      queryRunner,
      'child_match_reviews',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('child_id'),
        c.ref('candidate_id'),
        c.varchar('reason', 24),
        c.varchar('source', 16),
        c.varchar('status', 12),
        c.ref('decided_by', true),
        c.timestamp('decided_at', true),
        c.varchar('decision_note', 200, true),
        c.timestamp('created_at'),
      ],
      [
        index('uq_child_match_reviews_pair', ['child_id', 'candidate_id'], true),
        index('idx_child_match_reviews_county', ['county_code', 'status', 'created_at']),
      ],
    );
    await createTable(
      queryRunner,
      'child_merges',
      [
        c.id(),
        c.ref('survivor_id'),
        c.ref('merged_id'),
        c.varchar('reason', 200),
        c.ref('actor_id', true),
        c.timestamp('at'),
        c.json('moved'),
        c.timestamp('split_at', true),
        c.ref('split_by', true),
        c.varchar('split_reason', 200, true),
      ],
      [index('idx_child_merges_survivor', ['survivor_id']), index('idx_child_merges_merged', ['merged_id'])],
    );
    await createTable(queryRunner, 'child_identity_claims', [
      { ...c.varchar('name_key', 32), isPrimary: true },
      { ...c.varchar('place', 48), isPrimary: true },
      c.int('uses'),
    ]);
    await createTable(queryRunner, 'quota_counters', [
      { ...c.varchar('subject', 80), isPrimary: true },
      { ...c.varchar('period', 16), isPrimary: true },
      c.int('used'),
    ]);

    // the change rows name no county yet (TallyChangeCounties): the repair leaves one of this schema
    const report = await withoutTallyNotes(queryRunner, () =>
      repairChildRecords(queryRunner.manager, standaloneChildMerges(queryRunner.connection, undefined, 'before-viewer')),
    );
    if (repairedAnything(report)) {
      await queryRunner.query('INSERT INTO enrolment_tally_changes (id, changed_at) VALUES (?, CURRENT_TIMESTAMP)', [newId()]);
      // what the repair did is the operator's to know (the same report as `repair-children`)
      console.info(describeRepair(report));
    }

    await queryRunner.createIndex('children', index('uq_children_id_number', ['id_number'], true));
    await queryRunner.createIndex('children', index('idx_children_merged_into', ['merged_into_id']));
    await queryRunner.createIndex('cases', index('uq_cases_open_child', ['open_child_id'], true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'uq_cases_open_child');
    await queryRunner.dropIndex('children', 'idx_children_merged_into');
    await queryRunner.dropIndex('children', 'uq_children_id_number');
    for (const table of ['quota_counters', 'child_identity_claims', 'child_merges', 'child_match_reviews'])
      await queryRunner.dropTable(table);
    await queryRunner.dropColumns('cases', ['open_child_id', 'priority']);
    await queryRunner.dropColumn('children', 'merged_into_id');
  }
}
