import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit, createTable, index } from './table-builder';

/** Registries (户籍, 学籍, absences, poor households), roster fields on children, the cross-check. */
export class Registry1764500000000 implements MigrationInterface {
  name = 'Registry1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.addColumns(
      'children',
      [
        c.varchar('student_number', 19, true),
        c.varchar('birth_date', 10, true),
        c.varchar('class_name', 16, true),
        { name: 'boarding', type: 'boolean', isNullable: true },
        c.varchar('binding_code', 12, true),
        c.divisionCode('county_code', true),
      ].map((options) => new TableColumn(options)),
    );
    await queryRunner.createIndices('children', [
      new TableIndex({ name: 'uq_children_student_number', columnNames: ['student_number'], isUnique: true }),
      new TableIndex({ name: 'uq_children_binding_code', columnNames: ['binding_code'], isUnique: true }),
      new TableIndex({ name: 'idx_children_county', columnNames: ['county_code'] }),
    ]);

    await createTable(
      queryRunner,
      'child_guardians',
      [
        c.id(),
        c.ref('child_id'),
        c.varchar('name', 32),
        c.varchar('relation', 16),
        c.varchar('phone', 20, true),
        c.timestamp('created_at'),
      ],
      [index('idx_child_guardians_child', ['child_id'])],
    );

    await createTable(
      queryRunner,
      'registry_imports',
      [
        c.id(),
        c.varchar('kind', 12),
        c.divisionCode('county_code'),
        c.varchar('file_name', 128),
        c.varchar('file_sha256', 64),
        c.varchar('status', 12),
        c.int('processed'),
        c.int('total', true),
        c.int('created'),
        c.int('updated'),
        c.int('unchanged'),
        c.int('error_count'),
        c.json('errors'),
        c.ref('created_by'),
        c.timestamp('created_at'),
        c.timestamp('finished_at', true),
      ],
      [index('idx_registry_imports_county', ['county_code', 'created_at'])],
    );

    await createTable(
      queryRunner,
      'household_members',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.varchar('id_number', 18, true),
        c.varchar('name', 32),
        c.varchar('name_key', 32),
        c.varchar('sex', 8),
        c.varchar('birth_date', 10),
        c.divisionCode('village_code'),
        c.varchar('guardian_name', 32, true),
        c.varchar('guardian_phone', 20, true),
        c.ref('import_id'),
      ],
      [
        index('uq_household_members_id', ['county_code', 'id_number'], true),
        index('idx_household_members_identity', ['county_code', 'name_key', 'birth_date']),
      ],
    );

    await createTable(
      queryRunner,
      'poverty_registrations',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.varchar('id_number', 18),
        c.varchar('name', 32),
        c.varchar('category', 16),
        c.divisionCode('village_code', true),
        c.ref('import_id'),
      ],
      [index('uq_poverty_registrations', ['county_code', 'id_number', 'category'], true)],
    );

    await createTable(
      queryRunner,
      'crosscheck_runs',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.int('school_year'),
        c.varchar('status', 12),
        c.json('counts'),
        c.varchar('error', 200, true),
        c.ref('started_by'),
        c.timestamp('started_at'),
        c.timestamp('finished_at', true),
      ],
      [index('idx_crosscheck_runs_county', ['county_code', 'started_at'])],
    );

    await createTable(
      queryRunner,
      'crosscheck_reviews',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.ref('run_id'),
        c.ref('household_member_id'),
        c.ref('child_id'),
        c.varchar('reason', 100),
        c.varchar('status', 12),
        c.ref('decided_by', true),
        c.timestamp('decided_at', true),
      ],
      [
        index('uq_crosscheck_reviews_pair', ['household_member_id', 'child_id'], true),
        index('idx_crosscheck_reviews_county', ['county_code', 'status']),
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'crosscheck_reviews',
      'crosscheck_runs',
      'poverty_registrations',
      'household_members',
      'registry_imports',
      'child_guardians',
    ]) {
      await queryRunner.dropTable(table);
    }
    for (const name of ['idx_children_county', 'uq_children_binding_code', 'uq_children_student_number'])
      await queryRunner.dropIndex('children', name);
    for (const column of ['county_code', 'binding_code', 'boarding', 'class_name', 'birth_date', 'student_number'])
      await queryRunner.dropColumn('children', column);
  }
}
