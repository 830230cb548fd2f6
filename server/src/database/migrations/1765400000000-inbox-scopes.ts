import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { index } from './table-builder';

/** The routing code's first `length` digits, computed and stored by the database (both dialects: `substr`). */
function routingPart(name: string, length: number): TableColumn {
  return new TableColumn({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: true,
    generatedType: 'STORED',
    asExpression: `substr(routing_code, 1, ${length})`,
  });
}

const INDICES = [
  index('idx_cases_inbox_county', ['routing_county', 'priority', 'id']),
  index('idx_cases_inbox_township', ['routing_township', 'priority', 'id']),
  index('idx_cases_inbox_routing', ['routing_code', 'priority', 'id']),
  index('idx_cases_inbox_school', ['school_id', 'priority', 'id']),
  index('idx_cases_overdue_county', ['routing_county', 'due_at', 'merged_into_id']),
  index('idx_cases_overdue_township', ['routing_township', 'due_at', 'merged_into_id']),
];

/**
 * The inbox of every scope as one index range (BRIEF §4: priority groups first, then newest). A
 * county's or a township's scope is a prefix of the routing code; its county and township parts
 * become generated columns, so the scope is an equality and the index (scope, priority, id) reads a
 * page in order and stops after it, whatever the depth of the cursor. A village and the triage
 * queue are one routing code, a school its id. The overdue count of a county or a township is read
 * from (scope, due_at, merged_into_id) alone. They replace the single (priority, id) index, which
 * walked the whole order and filtered each row by the prefix.
 */
export class InboxScopes1765400000000 implements MigrationInterface {
  name = 'InboxScopes1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cases', [routingPart('routing_county', 6), routingPart('routing_township', 9)]);
    await queryRunner.createIndices('cases', INDICES);
    await queryRunner.dropIndex('cases', 'idx_cases_priority');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('cases', index('idx_cases_priority', ['priority', 'id']));
    for (const { name } of INDICES) await queryRunner.dropIndex('cases', name!);
    await queryRunner.dropColumns('cases', ['routing_township', 'routing_county']);
  }
}
