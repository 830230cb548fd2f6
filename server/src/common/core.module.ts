import { type DynamicModule, Global, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config.schema';
import { Clock } from './clock';
import { FileStore } from './files/file-store';
import { JobRunner } from './jobs/job-runner';
import { RateLimiter } from './http/rate-limiter';
import { MemoryRateLimitStore, RateLimitStore, RedisRateLimitStore } from './http/rate-limit-store';
import { LOGGER } from './logging/logger';

/**
 * Configuration, logger, clock, rate limiter, file store and background jobs: available to every module. Global on purpose, like the
 * data source: this is the platform every module runs on, not a module's data or behaviour, so an import
 * in every module would say nothing. Modules' own services are never global: consumers import their module.
 */
@Global()
@Module({})
export class CoreModule implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly limits: RateLimitStore) {}

  /** The limits' store (Redis) is connected before the server serves, and disconnected when it stops. */
  async onModuleInit(): Promise<void> {
    await this.limits.open();
  }

  async onModuleDestroy(): Promise<void> {
    await this.limits.close();
  }

  /** `files`: the store the configuration names, opened and checked before the modules start (`openFileStore`). */
  static register(config: AppConfig, logger: Logger, files: FileStore): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        Clock,
        {
          // the limits count in Redis when the deployment has one (every instance shares it), else in memory
          provide: RateLimitStore,
          useFactory: (clock: Clock) =>
            config.redis.url ? new RedisRateLimitStore(config.redis.url, config.redis.keyPrefix, logger) : new MemoryRateLimitStore(clock),
          inject: [Clock],
        },
        RateLimiter,
        // files (uploads, registry sheets waiting for their import) live where every instance reads them
        { provide: FileStore, useValue: files },
        JobRunner,
      ],
      exports: [APP_CONFIG, LOGGER, Clock, RateLimiter, FileStore, JobRunner],
    };
  }
}
