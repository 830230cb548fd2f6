import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { createApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config/config.schema';
import { createLogger } from './common/logging/logger';
import { EXIT_SCHEMA_BEHIND, SchemaBehindError } from './database/schema-migrations';
import { startFakeWechat, type FakeWechatServer } from './modules/wechat/fake-wechat.server';

export interface RunningServer {
  url: string;
  config: AppConfig;
  /** The in-process fake WeChat API, when one was started (demo and test modes). */
  fakeWechat: FakeWechatServer | null;
  app: NestExpressApplication;
  close(): Promise<void>;
}

/**
 * Starts the product: outside production without a configured WeChat base URL the local fake
 * WeChat API starts in-process first, so sign-in works with no network.
 */
export async function startServer(
  config: AppConfig = loadConfig(),
  logger: Logger = createLogger(config.log.level),
): Promise<RunningServer> {
  let fakeWechat: FakeWechatServer | null = null;
  if (!config.wechat.apiBase && config.mode !== 'production') {
    fakeWechat = await startFakeWechat({ appId: config.wechat.appId, appSecret: config.wechat.appSecret });
    config = { ...config, wechat: { ...config.wechat, apiBase: fakeWechat.url } };
    logger.info({ url: fakeWechat.url }, 'local fake WeChat API started');
  }
  try {
    const app = await createApp(config, logger);
    await app.listen(config.http.port, config.http.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
    return {
      url,
      config,
      fakeWechat,
      app,
      close: async () => {
        await app.close();
        await fakeWechat?.close();
      },
    };
  } catch (error) {
    await fakeWechat?.close();
    throw error;
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.log.level);
  let server: RunningServer;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    if (error instanceof SchemaBehindError) {
      // the deploy forgot `cli migrate`: say so plainly and stop; a restart after migrating serves
      console.error(error.message);
      process.exit(EXIT_SCHEMA_BEHIND);
    }
    throw error;
  }
  logger.info({ url: server.url, mode: config.mode, database: config.database.kind }, `保学通 is running at ${server.url}`);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // In-flight requests finish, then the database pool closes; a stuck shutdown is cut short.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
