import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MigrationExecutor, type DataSource } from 'typeorm';
import { isDuplicateKey, isRetryableConflict } from '../common/errors/database-errors';

/** What an operator runs to bring a cluster's schema up to date (a deploy step, before the instances start). */
export const MIGRATE_COMMAND = 'node server/dist/cli.js migrate';

/** The exit status of a process that refuses a schema that is behind (EX_TEMPFAIL: start it again after migrating). */
export const EXIT_SCHEMA_BEHIND = 75;

/** An instance in cluster mode found migrations this version needs that the database has not had. */
export class SchemaBehindError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is behind this version of the server: ${pending.length} migration(s) pending (${pending.join(', ')}). ` +
        `In cluster mode (DEPLOYMENT=cluster) instances never migrate at start: run \`${MIGRATE_COMMAND}\` once with the same ` +
        'DATABASE_URL, then start the instances.',
    );
  }
}

/** Migrations of this version the database has not had yet, by name; reads only (creates no table). */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  return (await new MigrationExecutor(dataSource).getPendingMigrations()).map((migration) => migration.name);
}

export async function assertSchemaCurrent(dataSource: DataSource): Promise<void> {
  const pending = await pendingMigrations(dataSource);
  if (pending.length) throw new SchemaBehindError(pending);
}

/**
 * Applies the pending migrations under the deploy lock and returns their names (none when another
 * run already applied them). Two runs at once — two `cli migrate`, or two single-mode servers
 * starting on one empty database — take turns: the second waits, then finds nothing to do.
 */
export async function migrateSchema(dataSource: DataSource, options: DeployLockOptions = {}): Promise<string[]> {
  return withDeployLock(
    dataSource,
    async () => (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name),
    options,
  );
}

export interface DeployLockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs?: number;
  /** How long the lock is held without a heartbeat: a holder that died frees it after this. */
  leaseMs?: number;
  /** Told once when another process holds the lock and this one waits. */
  onWait?: (holder: string) => void;
}

const LOCK_TABLE = 'deploy_locks';
const LOCK_NAME = 'schema';
const POLL_MS = 250;

/**
 * One schema change at a time across every node. MySQL's GET_LOCK is held per server, and on a Galera
 * cluster each node has its own: two runs through two nodes would both get it. A row with a lease is
 * replicated like any write — its primary key lets one holder in (on Galera the other loses at insert
 * or at commit) — and a holder that dies frees it when the lease runs out. The table is created here,
 * before any migration, so it is not one of them; the holder renews the lease while it works.
 */
export async function withDeployLock<T>(dataSource: DataSource, work: () => Promise<T>, options: DeployLockOptions = {}): Promise<T> {
  const leaseMs = options.leaseMs ?? 60_000;
  const deadline = Date.now() + (options.waitMs ?? 10 * 60_000);
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (name varchar(32) NOT NULL PRIMARY KEY, holder varchar(128) NOT NULL, expires_at bigint NOT NULL)`,
  );
  let told = false;
  while (!(await tryAcquire(dataSource, holder, leaseMs))) {
    if (!told && options.onWait) {
      const rows: Array<{ holder: string }> = await dataSource.query(`SELECT holder FROM ${LOCK_TABLE} WHERE name = ?`, [LOCK_NAME]);
      options.onWait(rows[0]?.holder ?? 'another process');
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the deploy lock (${LOCK_TABLE}) held by another process`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const heartbeat = setInterval(() => {
    dataSource
      .query(`UPDATE ${LOCK_TABLE} SET expires_at = ? WHERE name = ? AND holder = ?`, [Date.now() + leaseMs, LOCK_NAME, holder])
      .catch(() => undefined); // a missed beat only shortens the lease; the next one renews it
  }, leaseMs / 4);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await dataSource.query(`DELETE FROM ${LOCK_TABLE} WHERE name = ? AND holder = ?`, [LOCK_NAME, holder]);
  }
}

async function tryAcquire(dataSource: DataSource, holder: string, leaseMs: number): Promise<boolean> {
  const now = Date.now();
  // Look before trying to write: while a live holder works, a waiter only reads. On SQLite a waiter's
  // write attempt (even one refused by the key) would make the holder's migration fail with
  // SQLITE_BUSY when it upgrades its transaction to write; the key still decides who gets it.
  const live: Array<{ expires_at: number | string }> = await dataSource.query(`SELECT expires_at FROM ${LOCK_TABLE} WHERE name = ?`, [
    LOCK_NAME,
  ]);
  if (live.length && Number(live[0]!.expires_at) >= now) return false;
  try {
    await dataSource.query(`INSERT INTO ${LOCK_TABLE} (name, holder, expires_at) VALUES (?, ?, ?)`, [LOCK_NAME, holder, now + leaseMs]);
    return true;
  } catch (error) {
    if (!isDuplicateKey(error) && !isRetryableConflict(error)) throw error;
  }
  // held: take it over only when its holder stopped renewing the lease
  const runner = dataSource.createQueryRunner();
  try {
    const taken = await runner.query(
      `UPDATE ${LOCK_TABLE} SET holder = ?, expires_at = ? WHERE name = ? AND expires_at < ?`,
      [holder, now + leaseMs, LOCK_NAME, now],
      true,
    );
    return taken.affected === 1;
  } catch (error) {
    if (isRetryableConflict(error)) return false;
    throw error;
  } finally {
    await runner.release();
  }
}
