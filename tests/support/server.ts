import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../server/src/config/config.schema';
import { Clock } from '../../server/src/common/clock';
import { createLogger } from '../../server/src/common/logging/logger';
import { startServer } from '../../server/src/main';
import { startFakeWechat, type FakeWechatServer } from '../../server/src/modules/wechat/fake-wechat.server';
import { createTestDatabase, currentDatabaseKind, type DatabaseKind } from './database';

export interface TestServer {
  /** http://127.0.0.1:port — the H5 app (when built) is at `/`, the API under `/api`. */
  baseUrl: string;
  apiUrl: string;
  wechatBaseUrl: string;
  /** The server's database as DATABASE_URL names it, for a command-line process run beside it. */
  databaseUrl: string;
  fakeWechat: FakeWechatServer;
  app: INestApplication;
  dataSource: DataSource;
  clock: Clock;
  /** The server's last error-level log lines (unless a logger was given or BX_TEST_LOG_LEVEL set): what lies behind a 5xx. */
  recentErrors(): string[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  database?: DatabaseKind;
  /**
   * Share another test server's database (its `databaseUrl`), as a second instance of one deployment does;
   * the first server drops it. Start the second with `seedDemo: false`.
   */
  databaseUrl?: string;
  /** A fake WeChat already running, e.g. one for two instances (the caller closes it); otherwise each server has its own. */
  fakeWechat?: FakeWechatServer;
  /** `test` (default) or `demo` allow the demo sign-in; `production` uses a separately started fake WeChat. */
  mode?: 'test' | 'demo' | 'production';
  /** Load the demo county and accounts (default true). */
  seedDemo?: boolean;
  /** Serve the built H5 app from this directory. */
  h5Dir?: string;
  /** Extra environment variables, as the server would read them. */
  env?: Record<string, string>;
  /**
   * Where the server logs. By default only errors are kept, in memory (`recentErrors`), for the API
   * client to show beside a 5xx; BX_TEST_LOG_LEVEL=info writes every line to the output instead.
   */
  logger?: Logger;
}

const PRODUCTION_APP = {
  WECHAT_APP_ID: 'wx1234567890abcdef',
  WECHAT_APP_SECRET: 'production-test-secret',
  FILE_URL_SECRET: 'production-test-file-url-secret-0123456789',
  WECHAT_TEMPLATE_NEW_CASE: 'tmpl-new-case',
  WECHAT_TEMPLATE_TIP_PROGRESS: 'tmpl-tip-progress',
  WECHAT_TEMPLATE_SUBSIDY_PAID: 'tmpl-subsidy-paid',
  WECHAT_TEMPLATE_LEAVE_DECIDED: 'tmpl-leave-decided',
};

/** A real server on a random port with its own fresh database and fake WeChat API. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await createTestDatabase(options.database ?? currentDatabaseKind());
  const production = options.mode === 'production';
  const uploadDir = mkdtempSync(join(tmpdir(), 'bx-uploads-'));
  // Production never starts the fake itself: it is given a WeChat base URL like the real one.
  const externalFake = production
    ? await startFakeWechat({ appId: PRODUCTION_APP.WECHAT_APP_ID, appSecret: PRODUCTION_APP.WECHAT_APP_SECRET })
    : null;
  const config = loadConfig({
    ...(externalFake ? { ...PRODUCTION_APP, WECHAT_API_BASE: externalFake.url } : {}),
    ...(options.fakeWechat ? { WECHAT_API_BASE: options.fakeWechat.url } : {}),
    APP_MODE: options.mode ?? 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    SEED_DEMO: String(options.seedDemo ?? !production),
    H5_DIR: options.h5Dir ?? '',
    UPLOAD_DIR: uploadDir,
    LOG_LEVEL: process.env.BX_TEST_LOG_LEVEL ?? 'silent',
    VALIDATE_RESPONSES: 'true',
    // the cluster tier's read-write pass: sessions spread over Galera nodes wait for replication, as a cluster's do
    ...(process.env.BX_TEST_WSREP_SYNC_WAIT ? { DB_WSREP_SYNC_WAIT: process.env.BX_TEST_WSREP_SYNC_WAIT } : {}),
    ...options.env,
  });
  const errors = new RecentLines(ERROR_LINES_KEPT);
  const logger = options.logger ?? (process.env.BX_TEST_LOG_LEVEL ? createLogger(config.log.level) : createLogger('error', errors));
  let server;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    await externalFake?.close();
    await database.drop();
    rmSync(uploadDir, { recursive: true, force: true });
    throw error;
  }
  const fakeWechat = externalFake ?? options.fakeWechat ?? server.fakeWechat!;
  const baseUrl = server.url.replace('localhost', '127.0.0.1');
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api`,
    wechatBaseUrl: fakeWechat.url,
    databaseUrl: database.url,
    fakeWechat,
    app: server.app,
    dataSource: server.app.get<DataSource>(getDataSourceToken()),
    clock: server.app.get(Clock),
    recentErrors: () => errors.lines(),
    close: async () => {
      await server.close();
      await externalFake?.close();
      await database.drop();
      rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

/** Error lines a test server keeps (the newest): a failing request's cause, not a whole run's log. */
const ERROR_LINES_KEPT = 20;

/** A pino destination holding the last few lines it was given. */
class RecentLines {
  private readonly kept: string[] = [];

  constructor(private readonly limit: number) {}

  write(line: string): void {
    this.kept.push(line.trimEnd());
    if (this.kept.length > this.limit) this.kept.shift();
  }

  lines(): string[] {
    return [...this.kept];
  }
}
