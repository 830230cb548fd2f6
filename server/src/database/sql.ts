import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { QueryFailedError, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { isMysql } from './dialect';

/**
 * Hand-written SQL for the hot paths (a tip, the session check), where TypeORM's query building and
 * its promise wrapper cost more than the database's own work (bench: a third of the server's CPU on
 * the tip path). On MySQL a statement goes straight to the connection as a prepared statement
 * (mysql2 `execute`: prepared once per connection, then only the values travel, in the binary
 * protocol); on SQLite through TypeORM's query runner as any other query. Either way it runs on the
 * manager's connection — inside its transaction when it has one — and a failure is the same
 * `QueryFailedError` TypeORM throws, so the retry and error handling see no difference.
 */

/** What a write answers: rows changed, and on MySQL the statement's insert id (LAST_INSERT_ID). */
export interface WriteResult {
  affectedRows: number;
  insertId: number;
}

type Callback = (error: Error | null, result: unknown) => void;

interface MysqlConnection {
  execute(sql: string, values: unknown[], callback: Callback): void;
  query(sql: string, values: unknown[], callback: Callback): void;
}

/** The connection a MySQL statement runs on: the manager's transaction's, else one from the pool. */
async function mysqlConnection(manager: EntityManager): Promise<MysqlConnection> {
  const runner = manager.queryRunner;
  if (runner && !runner.isReleased) return (await runner.connect()) as MysqlConnection;
  return (manager.connection.driver as unknown as { pool: MysqlConnection }).pool;
}

/**
 * Runs one statement. `prepared`: as a prepared statement, for the few statements a hot path repeats
 * (each connection keeps at most `MYSQL_PREPARED_STATEMENTS` of them, the server a bounded number in
 * all); otherwise as text with the values escaped by the driver, for statements of many shapes
 * (multi-row INSERTs of any length).
 */
async function run(manager: EntityManager, sql: string, values: unknown[], prepared = true): Promise<unknown> {
  if (!isMysql(manager)) return manager.query(sql, values);
  const connection = await mysqlConnection(manager);
  const done =
    (resolve: (result: unknown) => void, reject: (error: unknown) => void): Callback =>
    (error, result) =>
      error ? reject(new QueryFailedError(sql, values, error)) : resolve(result);
  return new Promise((resolve, reject) =>
    prepared ? connection.execute(sql, values, done(resolve, reject)) : connection.query(sql, values, done(resolve, reject)),
  );
}

/** Prepared statements a MySQL connection keeps (mysql2 closes the least used beyond it). */
export const MYSQL_PREPARED_STATEMENTS = 64;

/** `count` placeholders for an IN list or a row of values: `?, ?, ?`. */
export function placeholders(count: number): string {
  return Array<string>(count).fill('?').join(', ');
}

/** Rows of a SELECT, typed by the caller (column names as the SQL writes them). */
export async function selectRows<T>(manager: EntityManager | DataSource, sql: string, values: unknown[] = []): Promise<T[]> {
  return (await run('manager' in manager ? manager.manager : manager, sql, values)) as T[];
}

/** An INSERT, UPDATE or DELETE. SQLite reports neither count nor id: use RETURNING there. */
export async function write(manager: EntityManager, sql: string, values: unknown[] = []): Promise<WriteResult> {
  const result = (await run(manager, sql, values)) as Partial<WriteResult> | undefined;
  return { affectedRows: Number(result?.affectedRows ?? 0), insertId: Number(result?.insertId ?? 0) };
}

interface InsertPlan {
  columns: ColumnMetadata[];
  head: string;
  tail: string;
}

const plans = new WeakMap<EntityMetadata, Map<OnDuplicate, InsertPlan>>();

/** What an INSERT does with a row whose unique key another row holds: fail (the default) or skip it. */
export type OnDuplicate = 'fail' | 'skip';

/** The INSERT's column list for an entity, built once from its metadata. */
function insertPlan(manager: EntityManager, metadata: EntityMetadata, onDuplicate: OnDuplicate): InsertPlan {
  let byMode = plans.get(metadata);
  if (!byMode) plans.set(metadata, (byMode = new Map()));
  let plan = byMode.get(onDuplicate);
  if (!plan) {
    const driver = manager.connection.driver;
    const columns = metadata.columns.filter((c) => c.isInsert && !c.isVirtual);
    // only a unique key's conflict is skipped (INSERT IGNORE would also swallow bad values)
    const key = driver.escape(metadata.primaryColumns[0]!.databaseName);
    plan = {
      columns,
      head: `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `,
      tail: onDuplicate === 'fail' ? '' : isMysql(manager) ? ` ON DUPLICATE KEY UPDATE ${key} = ${key}` : ' ON CONFLICT DO NOTHING',
    };
    byMode.set(onDuplicate, plan);
  }
  return plan;
}

/**
 * Inserts entity rows in one statement inside the manager's transaction, values prepared by the
 * driver as TypeORM prepares them (JSON, booleans, dates); an absent value takes the column's default
 * (a create or update date: now). Subscribers hear of each row (AfterInsert) as with TypeORM's insert —
 * except with `onDuplicate: 'skip'`, where which rows went in is for the caller to read (use it where
 * nobody subscribes: notices, claims). The statement is built from the entity's metadata, because
 * TypeORM's insert builder spends 50–90 µs per row on parameter bookkeeping.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
  onDuplicate: OnDuplicate = 'fail',
): Promise<void> {
  if (rows.length === 0) return;
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    await manager.transaction((inner) => insertRows(inner, entity, rows, onDuplicate));
    return;
  }
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const mysql = isMysql(manager);
  const { columns, head, tail } = insertPlan(manager, metadata, onDuplicate);
  const now = new Date();
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = columns.map((column) => {
      let value: unknown = column.getEntityValue(row);
      if (value === undefined) {
        // the column's default (SQLite has no DEFAULT in VALUES), else NULL
        if (column.isCreateDate || column.isUpdateDate) value = now;
        else if (mysql) return 'DEFAULT';
        else return column.default !== undefined && column.default !== null ? driver.normalizeDefault(column)! : 'NULL';
      }
      values.push(driver.preparePersistentValue(value, column));
      return '?';
    });
    return `(${cells.join(', ')})`;
  });
  // a hot path's few rows as a prepared statement; a batch's many rows, of any count, as text
  await run(manager, head + tuples.join(', ') + tail, values, rows.length <= 4);
  if (onDuplicate === 'fail') for (const row of rows) await runner.broadcaster.broadcast('AfterInsert', metadata, row);
}
