import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config.schema';
import { Clock } from './clock';
import { RateLimiter } from './http/rate-limiter';
import { LOGGER } from './logging/logger';

/**
 * Configuration, logger, clock and rate limiter: available to every module. Global on purpose, like the
 * data source: this is the platform every module runs on, not a module's data or behaviour, so an import
 * in every module would say nothing. Modules' own services are never global: consumers import their module.
 */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: LOGGER, useValue: logger }, Clock, RateLimiter],
      exports: [APP_CONFIG, LOGGER, Clock, RateLimiter],
    };
  }
}
