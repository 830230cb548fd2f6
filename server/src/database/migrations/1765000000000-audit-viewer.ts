import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ColumnKit, index } from './table-builder';

const INDEXES = [
  index('idx_audit_child', ['child_id', 'id']),
  index('idx_audit_county', ['county_code', 'id']),
  index('idx_audit_division', ['division_code', 'id']),
];

/**
 * The audit viewer (BRIEF §7): each entry names the child concerned, the county and division it
 * belongs to (the county admin's and the township leader's scope) and the actor's position and unit
 * at the time (a parent's access history names units, not people). Entries written before are
 * filled from what they name: the child of a child entry or of a read case, the county and place of
 * that child or case, and the actor's current unit.
 */
export class AuditViewer1765000000000 implements MigrationInterface {
  name = 'AuditViewer1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    await queryRunner.addColumns(
      'audit_log',
      [
        c.varchar('actor_position', 16, true),
        c.divisionCode('actor_division_code', true),
        c.ref('actor_school_id', true),
        c.ref('child_id', true),
        c.divisionCode('county_code', true),
        c.divisionCode('division_code', true),
      ].map((options) => new TableColumn(options)),
    );
    for (const statement of [
      `UPDATE audit_log SET child_id = target_id WHERE target_type = 'child'`,
      `UPDATE audit_log SET child_id = (SELECT c.child_id FROM cases c WHERE c.id = audit_log.target_id) WHERE action = 'case.read'`,
      `UPDATE audit_log SET
         actor_position = (SELECT u.position FROM users u WHERE u.id = audit_log.actor_id),
         actor_division_code = (SELECT u.unit_division_code FROM users u WHERE u.id = audit_log.actor_id),
         actor_school_id = (SELECT u.unit_school_id FROM users u WHERE u.id = audit_log.actor_id)
       WHERE actor_id IS NOT NULL`,
      // where the act belongs: the case's routing, else the child's village, else the actor's unit
      `UPDATE audit_log SET division_code = (SELECT c.routing_code FROM cases c WHERE c.id = audit_log.target_id) WHERE action = 'case.read'`,
      `UPDATE audit_log SET division_code = (SELECT ch.village_code FROM children ch WHERE ch.id = audit_log.child_id)
       WHERE division_code IS NULL AND child_id IS NOT NULL`,
      `UPDATE audit_log SET division_code = actor_division_code WHERE division_code IS NULL`,
      `UPDATE audit_log SET division_code = (SELECT s.township_code FROM schools s WHERE s.id = audit_log.actor_school_id)
       WHERE division_code IS NULL AND actor_school_id IS NOT NULL`,
      // a supervisor's acts belong to no township (AuditService.record): township leaders must not see who the tipsters are
      // (nor the acts of someone who is a supervisor now, e.g. redeeming the code that made them one)
      `UPDATE audit_log SET division_code = NULL
       WHERE actor_role = 'supervisor' OR actor_id IN (SELECT u.id FROM users u WHERE u.role = 'supervisor')`,
      `UPDATE audit_log SET county_code = (SELECT c.county_code FROM cases c WHERE c.id = audit_log.target_id) WHERE action = 'case.read'`,
      `UPDATE audit_log SET county_code = (SELECT ch.county_code FROM children ch WHERE ch.id = audit_log.child_id)
       WHERE county_code IS NULL AND child_id IS NOT NULL`,
      `UPDATE audit_log SET county_code = (SELECT u.county_code FROM users u WHERE u.id = audit_log.actor_id)
       WHERE county_code IS NULL AND actor_id IS NOT NULL`,
      `UPDATE audit_log SET county_code = target_id WHERE county_code IS NULL AND target_type = 'county'`,
    ]) {
      await queryRunner.query(statement);
    }
    for (const created of INDEXES) await queryRunner.createIndex('audit_log', created);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const dropped of INDEXES) await queryRunner.dropIndex('audit_log', dropped.name!);
    for (const column of ['division_code', 'county_code', 'child_id', 'actor_school_id', 'actor_division_code', 'actor_position'])
      await queryRunner.dropColumn('audit_log', column);
  }
}
