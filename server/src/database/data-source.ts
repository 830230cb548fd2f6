import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as mysql from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';
import { EnrolmentTallySubscriber } from '../modules/registry/enrolment-tally.subscriber';
import { entities } from './entities';
import { migrations } from './migrations';
import { assertSchemaCurrent, migrateSchema } from './schema-migrations';
import { MYSQL_PREPARED_STATEMENTS } from './sql';

export type MysqlFlavour = 'mysql' | 'mariadb';

/**
 * TypeORM reads MariaDB's catalogue differently from MySQL's (column defaults), so the server asks
 * which one it is talking to before it builds the data source.
 */
export async function detectMysqlFlavour(url: string): Promise<MysqlFlavour> {
  const connection = await createConnection({ uri: url, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as Array<{ version: string }>)[0]?.version ?? '');
    return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

export function dataSourceOptions(config: DatabaseConfig, flavour: MysqlFlavour = 'mysql'): DataSourceOptions {
  const common = {
    entities,
    migrations,
    subscribers: [EnrolmentTallySubscriber] as Array<new () => unknown>,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.file,
      // WAL lets readers work while a writer commits; the busy timeout queues concurrent writers.
      enableWAL: config.file !== ':memory:',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: flavour,
    url: config.url,
    charset: 'utf8mb4_unicode_ci',
    // Dates are UTC in the database whatever the server's zone.
    timezone: 'Z',
    poolSize: config.poolSize,
    extra: {
      connectTimeout: 5000,
      enableKeepAlive: true,
      maxPreparedStatements: MYSQL_PREPARED_STATEMENTS,
      // mysql2 captures a stack trace for every statement, in case it fails: 4–8 % of the server's CPU
      // on the tip path (bench/RESULTS.md). A failed statement's error still names its code and SQL.
      trace: false,
    },
  };
}

export async function createDataSource(config: DatabaseConfig): Promise<DataSource> {
  const flavour = config.kind === 'mysql' ? await detectMysqlFlavour(config.url) : undefined;
  const dataSource = new DataSource(dataSourceOptions(config, flavour));
  if (config.kind === 'sqlite') serialiseTransactions(dataSource);
  if (config.kind === 'mysql')
    sessionSettingsOnEveryConnection(dataSource, config.wsrepSyncWait ? [READ_COMMITTED, SYNC_WAIT] : [READ_COMMITTED]);
  return dataSource;
}

const READ_COMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';
const SYNC_WAIT = 'SET SESSION wsrep_sync_wait = 1';

/**
 * Session settings the pool runs on every connection it opens, before the connection is handed out
 * (mysql2 queues them ahead of the first query). A connection on which one failed is closed rather
 * than used without it.
 *
 * - READ COMMITTED is the sessions' isolation level, so `transactionWithRetry` (every request's
 *   write) starts with START TRANSACTION alone: naming the level per transaction costs a round trip
 *   each time (one statement in sixteen on the tip path). A transaction that needs one snapshot
 *   throughout names REPEATABLE READ (`snapshotTransaction`).
 * - On Galera a node applies other nodes' writes a little later than they commit: a read right after
 *   a write through another node may miss it. With `wsrep_sync_wait = 1` each read first waits until
 *   the node has applied everything committed before it. On a MariaDB without Galera the variable
 *   exists and does nothing; MySQL does not know it (`checkSyncWait` says so at start).
 */
function sessionSettingsOnEveryConnection(dataSource: DataSource, statements: string[]): void {
  const driver = dataSource.driver as unknown as { mysql: typeof mysql; syncWaitError?: Error };
  const library = driver.mysql;
  driver.mysql = Object.create(library, {
    createPool: {
      value: (options: mysql.PoolOptions) => {
        const pool = library.createPool(options);
        pool.on('connection', (connection) => {
          for (const statement of statements) {
            connection.query(statement, (error) => {
              if (!error) return;
              if (statement === SYNC_WAIT) driver.syncWaitError = error;
              connection.destroy();
            });
          }
        });
        return pool;
      },
    },
  }) as typeof mysql;
}

/** Refuses to start when `DB_WSREP_SYNC_WAIT` is on but the database cannot set it, naming the setting. */
async function checkSyncWait(dataSource: DataSource): Promise<void> {
  let value: unknown;
  try {
    const rows: Array<{ value: unknown }> = await dataSource.query('SELECT @@session.wsrep_sync_wait AS value');
    value = rows[0]?.value;
  } catch (error) {
    value = (dataSource.driver as unknown as { syncWaitError?: Error }).syncWaitError?.message ?? (error as Error).message;
  }
  if (Number(value) !== 1) {
    throw new Error(
      `DB_WSREP_SYNC_WAIT: the database did not take wsrep_sync_wait = 1 (${String(value)}); it needs MariaDB (Galera); set DB_WSREP_SYNC_WAIT=false for MySQL`,
    );
  }
}

/**
 * SQLite has one connection, and TypeORM turns a transaction begun while another is open into a
 * savepoint of the first: two requests' transactions would interleave and one's rollback would undo
 * the other's work. The embedded database runs in one process, so its transactions take turns here.
 */
function serialiseTransactions(dataSource: DataSource): void {
  const manager = dataSource.manager;
  const begin = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => begin(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof manager.transaction;
}

/**
 * Connects, and brings the schema up to date (`migrate`, the default: one process, or the deploy step
 * itself) or refuses a schema that is behind (`check`: an instance of a cluster, which never migrates).
 */
export async function openDatabase(config: DatabaseConfig, schema: 'migrate' | 'check' = 'migrate'): Promise<DataSource> {
  const dataSource = await createDataSource(config);
  await dataSource.initialize();
  try {
    if (config.kind === 'mysql' && config.wsrepSyncWait) await checkSyncWait(dataSource);
    if (schema === 'migrate') await migrateSchema(dataSource);
    else await assertSchemaCurrent(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
