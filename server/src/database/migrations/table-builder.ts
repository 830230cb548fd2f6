import { Table, TableIndex, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { isMysql } from '../dialect';

/**
 * Dialect-neutral column helpers for migrations. The only differences between MySQL and SQLite
 * are datetime precision and the default expression for "now".
 */
export class ColumnKit {
  readonly mysql: boolean;

  constructor(queryRunner: QueryRunner) {
    this.mysql = isMysql(queryRunner.connection);
  }

  id(name = 'id'): TableColumnOptions {
    return { name, type: 'varchar', length: '36', isPrimary: name === 'id' };
  }

  ref(name: string, nullable = false): TableColumnOptions {
    return { name, type: 'varchar', length: '36', isNullable: nullable };
  }

  varchar(name: string, length: number, nullable = false): TableColumnOptions {
    return { name, type: 'varchar', length: String(length), isNullable: nullable };
  }

  divisionCode(name: string, nullable = false): TableColumnOptions {
    return this.varchar(name, 12, nullable);
  }

  boolean(name: string, defaultValue: boolean): TableColumnOptions {
    return { name, type: 'boolean', default: defaultValue ? 1 : 0, isNullable: false };
  }

  json(name: string, nullable = false): TableColumnOptions {
    return { name, type: 'text', isNullable: nullable };
  }

  int(name: string, nullable = false): TableColumnOptions {
    // `integer` is what SQLite reports and what MySQL reads as `int`.
    return { name, type: 'integer', isNullable: nullable };
  }

  timestamp(name: string, nullable = false): TableColumnOptions {
    return { name, type: 'datetime', precision: 6, isNullable: nullable };
  }

  createdAt(name = 'created_at'): TableColumnOptions {
    return { ...this.timestamp(name), default: this.mysql ? 'CURRENT_TIMESTAMP(6)' : "datetime('now')" };
  }

  updatedAt(name = 'updated_at'): TableColumnOptions {
    return this.mysql
      ? { ...this.timestamp(name), default: 'CURRENT_TIMESTAMP(6)', onUpdate: 'CURRENT_TIMESTAMP(6)' }
      : { ...this.timestamp(name), default: "datetime('now')" };
  }
}

export function index(name: string, columnNames: string[], isUnique = false): TableIndex {
  return new TableIndex({ name, columnNames, isUnique });
}

export async function createTable(queryRunner: QueryRunner, name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) {
  await queryRunner.createTable(new Table({ name, columns, indices }), false);
}
