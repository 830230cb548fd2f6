import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../server/src/config/config.schema';
import { Clock } from '../../server/src/common/clock';
import { createLogger } from '../../server/src/common/logging/logger';
import { startServer } from '../../server/src/main';
import type { FakeWechatServer } from '../../server/src/modules/wechat/fake-wechat.server';
import { createTestDatabase, currentDatabaseKind, type DatabaseKind } from './database';

export interface TestServer {
  /** http://127.0.0.1:port — the H5 app (when built) is at `/`, the API under `/api`. */
  baseUrl: string;
  apiUrl: string;
  wechatBaseUrl: string;
  fakeWechat: FakeWechatServer;
  app: INestApplication;
  dataSource: DataSource;
  clock: Clock;
  close(): Promise<void>;
}

export interface TestServerOptions {
  database?: DatabaseKind;
  /** `test` (default) or `demo`; both allow the demo sign-in. */
  mode?: 'test' | 'demo';
  /** Load the demo county and accounts (default true). */
  seedDemo?: boolean;
  /** Serve the built H5 app from this directory. */
  h5Dir?: string;
  /** Extra environment variables, as the server would read them. */
  env?: Record<string, string>;
}

export const H5_DIST = resolve(__dirname, '../../miniapp/dist/h5');

/** A real server on a random port with its own fresh database and fake WeChat API. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase(options.database ?? currentDatabaseKind());
  const config = loadConfig({
    APP_MODE: options.mode ?? 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    SEED_DEMO: String(options.seedDemo ?? true),
    H5_DIR: options.h5Dir ?? '',
    LOG_LEVEL: process.env.BX_TEST_LOG_LEVEL ?? 'silent',
    VALIDATE_RESPONSES: 'true',
    ...options.env,
  });
  const logger = createLogger(config.log.level);
  let server;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const baseUrl = server.url.replace('localhost', '127.0.0.1');
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api`,
    wechatBaseUrl: server.fakeWechat!.url,
    fakeWechat: server.fakeWechat!,
    app: server.app,
    dataSource: server.app.get<DataSource>(getDataSourceToken()),
    clock: server.app.get(Clock),
    close: async () => {
      await server.close();
      await database.drop();
    },
  };
}
