import type { Connection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { toAppError } from '../../server/src/common/errors/error.filter';
import type { DatabaseConfig } from '../../server/src/config/config.schema';
import { createDataSource, openDatabase } from '../../server/src/database/data-source';
import { migrations } from '../../server/src/database/migrations';
import { EXIT_SCHEMA_BEHIND } from '../../server/src/database/schema-migrations';
import { snapshotTransaction, transactionWithRetry } from '../../server/src/database/transaction';
import { signInAs } from '../support/api';
import { runCli, type CliResult } from '../support/cli';
import { createTestDatabase, currentDatabaseKind, type TestDatabase } from '../support/database';
import { sql } from '../support/mysql';
import { freePort, startServerProcess, waitForHealth, type ServerProcess } from '../support/process';
import { startTestS3, type TestS3 } from '../support/s3';

/**
 * Issue 17 items 2 and 3. Migrations are a deploy step: `cli migrate` applies them once, however often
 * and however many at once it runs; in cluster mode an instance never migrates or seeds, and refuses
 * a schema that is behind. Conflicts between transactions are retried; sessions wait for Galera.
 * (`npx tsc -b shared server` first: the command line and the servers run compiled.)
 */
const MIGRATION_NAMES = migrations.map((m) => new m().name ?? m.name).sort();
const kind = currentDatabaseKind();
const onMysql = kind === 'mysql' ? describe : describe.skip;

async function tables(db: TestDatabase): Promise<string[]> {
  const dataSource = await createDataSource(db.config);
  await dataSource.initialize();
  try {
    const rows: Array<Record<string, string>> =
      kind === 'mysql'
        ? await dataSource.query('SHOW TABLES')
        : await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    return rows.map((row) => Object.values(row)[0]!).sort();
  } finally {
    await dataSource.destroy();
  }
}

async function appliedMigrations(db: TestDatabase): Promise<string[]> {
  const dataSource = await createDataSource(db.config);
  await dataSource.initialize();
  try {
    return ((await dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((r) => r.name).sort();
  } finally {
    await dataSource.destroy();
  }
}

const appliedBy = (result: CliResult) => [...result.stdout.matchAll(/^applied (\S+)$/gm)].map((m) => m[1]!);

describe('cli migrate', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => Promise.all(dbs.map((db) => db.drop())));

  it('applies every migration once and names each; run again, it has nothing to do', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const first = await runCli(db.url, ['migrate']);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(appliedBy(first).sort()).toEqual(MIGRATION_NAMES);
    expect(first.stdout).toContain(`${MIGRATION_NAMES.length} migration(s) applied; database is up to date`);
    const tablesAfterFirst = await tables(db);

    const again = await runCli(db.url, ['migrate']);
    expect(again).toMatchObject({ status: 0, stdout: 'database is up to date\n', stderr: '' });
    expect(await tables(db)).toEqual(tablesAfterFirst);
    expect(await appliedMigrations(db)).toEqual(MIGRATION_NAMES);
  }, 120_000);

  it('run twice at once on an empty database: one waits for the other, one set of tables, no error', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const [a, b] = await Promise.all([runCli(db.url, ['migrate']), runCli(db.url, ['migrate'])]);
    expect({ a: a.status, b: b.status, errors: a.stderr + b.stderr }).toEqual({ a: 0, b: 0, errors: '' });
    // between them each migration ran exactly once
    expect([...appliedBy(a), ...appliedBy(b)].sort()).toEqual(MIGRATION_NAMES);
    expect(await appliedMigrations(db)).toEqual(MIGRATION_NAMES);
    expect(await tables(db)).toEqual(expect.arrayContaining(['children', 'cases', 'migrations', 'deploy_locks']));
  }, 120_000);
});

onMysql('cluster mode (DEPLOYMENT=cluster)', () => {
  let db: TestDatabase;
  let s3: TestS3;
  let clusterEnv: Record<string, string>;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    s3 = await startTestS3();
    clusterEnv = {
      ...s3.env,
      DEPLOYMENT: 'cluster',
      APP_MODE: 'demo', // would seed at start in single mode
      REDIS_URL: process.env.BX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `bx-test-${process.pid}-${Date.now()}:`,
      H5_DIR: '',
      LOG_LEVEL: 'silent',
      OUTBOX_POLL_MS: '0',
    };
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await s3?.close();
    await db?.drop();
  });

  async function startInstance(): Promise<{ server: ServerProcess; url: string }> {
    const port = await freePort();
    const server = startServerProcess({ ...clusterEnv, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1' });
    servers.push(server);
    return { server, url: `http://127.0.0.1:${port}` };
  }

  it('instances started before `cli migrate` refuse to serve, name the command, exit non-zero and create nothing', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    const codes = await Promise.all([a.server.exited, b.server.exited]);
    expect(codes).toEqual([EXIT_SCHEMA_BEHIND, EXIT_SCHEMA_BEHIND]);
    for (const { server } of [a, b]) {
      expect(server.output()).toContain('The database schema is behind this version of the server');
      expect(server.output()).toContain('run `node server/dist/cli.js migrate` once');
    }
    expect(await tables(db)).toEqual([]);
  }, 60_000);

  it('after one `cli migrate`, two instances started at once both serve, and neither seeds the demo', async () => {
    const migrated = await runCli(db.url, ['migrate'], clusterEnv);
    expect(migrated).toMatchObject({ status: 0, stderr: '' });
    expect(appliedBy(migrated).sort()).toEqual(MIGRATION_NAMES);

    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    await Promise.all([waitForHealth(`${a.url}/api/health`, 60_000), waitForHealth(`${b.url}/api/health`, 60_000)]);
    const conn = await sql(db.url);
    try {
      const [counties] = await conn.query('SELECT COUNT(*) AS n FROM served_counties');
      expect(Number((counties as Array<{ n: number }>)[0]!.n)).toBe(0);

      // the demo is a deploy step too, once, and the running instances see it
      const seeded = await runCli(db.url, ['seed-demo'], clusterEnv);
      expect(seeded).toMatchObject({ status: 0, stdout: 'demo county 光山县 and its accounts loaded\n' });
      expect((await runCli(db.url, ['seed-demo'], clusterEnv)).stdout).toContain('nothing loaded');
      const admin = await signInAs({ apiUrl: `${a.url}/api` }, 'county-admin');
      expect((await admin.get('/me')).status).toBe(200);
    } finally {
      await conn.end();
    }
  }, 120_000);
});

onMysql('reads after writes on Galera: wsrep_sync_wait', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('mysql');
  });
  afterAll(async () => db?.drop());

  /** The session value on as many distinct pooled connections as the pool holds at once. */
  async function sessionValues(config: DatabaseConfig): Promise<{ values: number[]; connections: number }> {
    const dataSource = await openDatabase(config);
    try {
      const rows = await Promise.all(
        Array.from({ length: 5 }, () =>
          dataSource.transaction(
            async (manager) =>
              (await manager.query('SELECT @@session.wsrep_sync_wait AS value, CONNECTION_ID() AS id, SLEEP(0.2) AS slept')) as Array<{
                value: number;
                id: number;
              }>,
          ),
        ),
      );
      return { values: rows.map((r) => Number(r[0]!.value)), connections: new Set(rows.map((r) => r[0]!.id)).size };
    } finally {
      await dataSource.destroy();
    }
  }

  it('is set on every connection the pool opens when on (cluster mode), and left alone otherwise', async () => {
    const on = await sessionValues({ ...db.config, wsrepSyncWait: true } as DatabaseConfig);
    expect(on).toEqual({ values: [1, 1, 1, 1, 1], connections: 5 });
    const off = await sessionValues(db.config);
    expect(off.values).toEqual([0, 0, 0, 0, 0]);
  }, 60_000);
});

/** A fresh database opened as the server opens it, and a second connection to it with the table `table` (id, n). */
function probeDatabase(table: string): { db: TestDatabase; dataSource: DataSource; admin: Connection } {
  const probe = {} as { db: TestDatabase; dataSource: DataSource; admin: Connection };
  beforeAll(async () => {
    probe.db = await createTestDatabase('mysql');
    probe.dataSource = await openDatabase(probe.db.config);
    probe.admin = await sql(probe.db.url);
    await probe.admin.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL) ENGINE=InnoDB`);
  }, 60_000);
  afterAll(async () => {
    await probe.admin?.end();
    await probe.dataSource?.destroy();
    await probe.db?.drop();
  });
  return probe;
}

onMysql('isolation: request writes read committed data, snapshot transactions one snapshot', () => {
  const probe = probeDatabase('isolation_probe');
  beforeAll(async () => {
    await probe.admin.query('INSERT INTO isolation_probe (id, n) VALUES (1, 0)');
  });

  /** Reads the row, lets another connection commit a change to it, reads it again. */
  async function readTwice(run: (work: (manager: DataSource['manager']) => Promise<number[]>) => Promise<number[]>): Promise<number[]> {
    const read = async (manager: DataSource['manager']) =>
      Number(((await manager.query('SELECT n FROM isolation_probe WHERE id = 1')) as Array<{ n: number }>)[0]!.n);
    return run(async (manager) => {
      const before = await read(manager);
      await probe.admin.query('UPDATE isolation_probe SET n = n + 1 WHERE id = 1');
      return [before, await read(manager)];
    });
  }

  it('transactionWithRetry sees what another transaction committed meanwhile, on every pooled connection, naming no level', async () => {
    const [before, after] = await readTwice((work) => transactionWithRetry(probe.dataSource, work));
    expect(after).toBe(before! + 1);
    const levels = await Promise.all(
      Array.from({ length: 5 }, () =>
        transactionWithRetry(probe.dataSource, async (manager) => {
          const [row] = (await manager.query(
            'SELECT @@session.tx_isolation AS level, CONNECTION_ID() AS id, SLEEP(0.2) AS slept',
          )) as Array<{
            level: string;
            id: number;
          }>;
          return row!;
        }),
      ),
    );
    expect(levels.map((l) => l.level)).toEqual(Array(5).fill('READ-COMMITTED'));
    expect(new Set(levels.map((l) => l.id)).size).toBe(5);
  }, 60_000);

  it('snapshotTransaction reads one snapshot throughout', async () => {
    const [before, after] = await readTwice((work) => snapshotTransaction(probe.dataSource, work));
    expect(after).toBe(before);
  }, 60_000);
});

onMysql('a deadlock between two transactions', () => {
  const probe = probeDatabase('deadlock_probe');

  /**
   * Two transactions each lock one row, wait until the other holds its row, then lock the other's:
   * InnoDB kills one of them (errno 1213), as Galera does the loser of a certification.
   */
  async function crossedWrites(run: (work: (manager: DataSource['manager']) => Promise<void>) => Promise<void>) {
    await probe.admin.query('DELETE FROM deadlock_probe');
    await probe.admin.query('INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)');
    let arrived = 0;
    let bothHoldOne!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHoldOne = resolve));
    let attempts = 0;
    const writer = (first: number, second: number) =>
      run(async (manager) => {
        attempts += 1;
        await manager.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = ?', [first]);
        if (++arrived === 2) bothHoldOne();
        await barrier;
        await manager.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = ?', [second]);
      });
    const outcomes = await Promise.allSettled([writer(1, 2), writer(2, 1)]);
    const [rows] = await probe.admin.query('SELECT id, n FROM deadlock_probe ORDER BY id');
    return { outcomes, attempts, rows: (rows as Array<{ id: number; n: number }>).map((r) => [r.id, r.n]) };
  }

  it('without retries, loses one of them with ER_LOCK_DEADLOCK, which the error filter answers as 409 in Chinese', async () => {
    const { outcomes, rows } = await crossedWrites((work) => probe.dataSource.transaction(work));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatchObject({ driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' } });
    expect(toAppError(failed[0]!.reason)).toMatchObject({
      code: 'WRITE_CONFLICT',
      status: 409,
      message: '数据正被他人同时修改，请稍后重试',
    });
    expect(rows).toEqual([
      [1, 1],
      [2, 1],
    ]);
  }, 60_000);

  it('inside transactionWithRetry, both succeed: the loser runs again after the winner commits', async () => {
    const { outcomes, attempts, rows } = await crossedWrites((work) => transactionWithRetry(probe.dataSource, work));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(rows).toEqual([
      [1, 2],
      [2, 2],
    ]);
  }, 60_000);
});
