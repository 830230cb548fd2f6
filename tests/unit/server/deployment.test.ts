import type { ArgumentsHost } from '@nestjs/common';
import pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { ErrorFilter, toAppError } from '../../../server/src/common/errors/error.filter';
import { ConfigError, loadConfig } from '../../../server/src/config/config.schema';
import { SchemaBehindError } from '../../../server/src/database/schema-migrations';
import { BACKOFF_CAP_MS, retryDelayMs, TRANSACTION_ATTEMPTS, transactionWithRetry } from '../../../server/src/database/transaction';

/**
 * Issue 17 items 2 and 3: the deployment setting (one process migrates and seeds at start; a cluster's
 * instances never do), conflicts retried, and what is left of one answered as 409 in Chinese.
 */

/** What mysql2 raises, wrapped by TypeORM as it is (errno, code, SQLSTATE). */
function driverError(code: string, errno: number, sqlState: string, message: string): QueryFailedError {
  const error = Object.assign(new Error(message), { code, errno, sqlState, sqlMessage: message });
  return new QueryFailedError('UPDATE t SET n = n + 1 WHERE id = ?', [1], error);
}
const deadlock = () => driverError('ER_LOCK_DEADLOCK', 1213, '40001', 'Deadlock found when trying to get lock; try restarting transaction');
/** Galera: another node committed the same rows first; the loser fails at commit. */
const certificationFailure = () =>
  driverError(
    'ER_LOCK_DEADLOCK',
    1213,
    '40001',
    'WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction',
  );
const lockWaitTimeout = () => driverError('ER_LOCK_WAIT_TIMEOUT', 1205, 'HY000', 'Lock wait timeout exceeded; try restarting transaction');

/** A data source whose transactions run `work` on a stand-in manager, failing the first attempts as told. */
function fakeDataSource(failures: Array<() => Error>): { dataSource: DataSource; attempts: () => number } {
  let attempts = 0;
  const dataSource = {
    driver: { options: { type: 'mariadb' } },
    transaction: async (...args: unknown[]) => {
      attempts += 1;
      const work = args[args.length - 1] as (manager: EntityManager) => Promise<unknown>;
      const result = await work({} as EntityManager);
      const failure = failures.shift();
      if (failure) throw failure(); // the database rolled the attempt back at commit
      return result;
    },
  } as unknown as DataSource;
  return { dataSource, attempts: () => attempts };
}

describe('transactionWithRetry', () => {
  it('runs a transaction that lost a deadlock or a Galera certification again, until it commits', async () => {
    const { dataSource, attempts } = fakeDataSource([deadlock, certificationFailure]);
    await expect(transactionWithRetry(dataSource, async () => 'stored')).resolves.toBe('stored');
    expect(attempts()).toBe(3);
  });

  it('gives up after a bounded number of attempts and lets the conflict through', async () => {
    const { dataSource, attempts } = fakeDataSource(Array.from({ length: TRANSACTION_ATTEMPTS }, () => deadlock));
    await expect(transactionWithRetry(dataSource, async () => 'stored')).rejects.toBeInstanceOf(QueryFailedError);
    expect(attempts()).toBe(TRANSACTION_ATTEMPTS);
  });

  it('does not retry a lock wait timeout (it has waited long already) nor a refusal of the product', async () => {
    const timeout = fakeDataSource([lockWaitTimeout]);
    await expect(transactionWithRetry(timeout.dataSource, async () => 'stored')).rejects.toBeInstanceOf(QueryFailedError);
    expect(timeout.attempts()).toBe(1);
    const refused = fakeDataSource([() => new Error('CASE_CLOSED')]);
    await expect(transactionWithRetry(refused.dataSource, async () => 'stored')).rejects.toThrow('CASE_CLOSED');
    expect(refused.attempts()).toBe(1);
  });

  it('waits a random, growing and capped time between attempts (full jitter)', () => {
    expect(retryDelayMs(1, () => 0)).toBe(0);
    expect(retryDelayMs(1, () => 0.999)).toBeLessThan(20);
    expect(retryDelayMs(3, () => 0.999)).toBeGreaterThan(retryDelayMs(1, () => 0.999));
    expect(retryDelayMs(20, () => 1)).toBe(BACKOFF_CAP_MS);
  });
});

describe('a write conflict that reaches the user', () => {
  it.each([
    ['a deadlock', deadlock],
    ['a Galera certification failure', certificationFailure],
    ['a lock wait timeout', lockWaitTimeout],
  ])('%s is 409 WRITE_CONFLICT with a Chinese message, never a 500', (_name, error) => {
    expect(toAppError(error())).toMatchObject({ code: 'WRITE_CONFLICT', status: 409, message: '数据正被他人同时修改，请稍后重试' });
  });

  it('is answered by the error filter in the product error shape, and not logged as a server failure', () => {
    const logged: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
    let status = 0;
    let body: unknown;
    const response = {
      headersSent: false,
      setHeader: () => undefined,
      status: (code: number) => {
        status = code;
        return { json: (value: unknown) => (body = value) };
      },
    };
    const host = {
      switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ method: 'POST', route: { path: '/api/cases/:id' } }) }),
    } as unknown as ArgumentsHost;
    new ErrorFilter(logger).catch(deadlock(), host);
    expect(status).toBe(409);
    expect(body).toEqual({ code: 'WRITE_CONFLICT', message: '数据正被他人同时修改，请稍后重试', fields: {} });
    expect(logged).toEqual([]);
  });
});

describe('the deployment setting', () => {
  const MYSQL = 'mysql://baoxue:pw@10.0.0.5:3306/baoxue';
  /** What a cluster needs besides: shared limits and a shared file store (the other slices' rules). */
  const CLUSTER = {
    DEPLOYMENT: 'cluster',
    DATABASE_URL: MYSQL,
    REDIS_URL: 'redis://10.0.0.7:6379',
    FILE_STORE: 's3',
    S3_BUCKET: 'baoxue',
    S3_ENDPOINT: 'http://10.0.0.8:9000',
    S3_ACCESS_KEY_ID: 'key',
    S3_SECRET_ACCESS_KEY: 'secret',
    FILE_URL_SECRET: 'a-cluster-wide-secret-of-forty-characters!',
  };
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
  };

  it('is single by default: one process migrates and seeds the demo at start, and sessions set no Galera wait', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ deployment: 'single', seedDemo: true });
    expect(loadConfig({ DATABASE_URL: MYSQL }).database).toMatchObject({ kind: 'mysql', wsrepSyncWait: false });
  });

  it('in cluster mode never seeds at start, and every MySQL session waits for the cluster (wsrep_sync_wait)', () => {
    const config = loadConfig({ ...CLUSTER, APP_MODE: 'demo' });
    expect(config).toMatchObject({ deployment: 'cluster', seedDemo: false });
    expect(config.database).toMatchObject({ kind: 'mysql', wsrepSyncWait: true });
    expect(loadConfig({ ...CLUSTER, DB_WSREP_SYNC_WAIT: 'false' }).database).toMatchObject({ wsrepSyncWait: false });
    expect(loadConfig({ DATABASE_URL: MYSQL, DB_WSREP_SYNC_WAIT: 'true' }).database).toMatchObject({ wsrepSyncWait: true });
  });

  it('refuses a cluster on the embedded SQLite file, a seed at start, and an unknown mode, naming the variable', () => {
    expect(problems({ ...CLUSTER, DATABASE_URL: 'sqlite:./data/baoxue.sqlite' })).toContain(
      'DATABASE_URL: cluster mode needs a shared MySQL/MariaDB database',
    );
    expect(problems({ ...CLUSTER, SEED_DEMO: 'true' })).toContain(
      'SEED_DEMO: in cluster mode instances never seed at start; run `node server/dist/cli.js seed-demo`',
    );
    expect(problems({ DEPLOYMENT: 'several' })).toContain('DEPLOYMENT: must be single or cluster');
    expect(problems(CLUSTER)).toBe('');
  });

  it('tells an instance on a schema that is behind which migrations are missing and the command that applies them', () => {
    const error = new SchemaBehindError(['LeaveRequests1765130000000']);
    expect(error.message).toContain('1 migration(s) pending (LeaveRequests1765130000000)');
    expect(error.message).toContain('run `node server/dist/cli.js migrate` once');
  });
});
