import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';
import { EnrolmentTallySubscriber } from '../modules/registry/enrolment-tally.subscriber';
import { entities } from './entities';
import { migrations } from './migrations';

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
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  };
}

export async function createDataSource(config: DatabaseConfig): Promise<DataSource> {
  const flavour = config.kind === 'mysql' ? await detectMysqlFlavour(config.url) : undefined;
  const dataSource = new DataSource(dataSourceOptions(config, flavour));
  if (config.kind === 'sqlite') serialiseTransactions(dataSource);
  return dataSource;
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

/** Connects and brings the schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  const dataSource = await createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
