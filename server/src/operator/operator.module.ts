import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.schema';
import { CoreModule } from '../common/core.module';
import type { FileStore } from '../common/files/file-store';
import { createLogger } from '../common/logging/logger';
import { AuthModule } from '../modules/auth/auth.module';
import { CountiesModule } from '../modules/counties/counties.module';

/**
 * What the operator's county commands run on: the counties module with the platform it needs, on the
 * command's open database, without HTTP, workers or schedulers. Auth provides the sessions a revoked
 * county admin loses.
 */
@Module({})
export class OperatorModule {
  static register(config: AppConfig, dataSource: DataSource, files: FileStore): DynamicModule {
    return {
      module: OperatorModule,
      imports: [
        CoreModule.register(config, createLogger('silent'), files),
        TypeOrmModule.forRootAsync({ useFactory: () => ({}), dataSourceFactory: () => Promise.resolve(dataSource) }),
        AuthModule.register({ devLogin: false }),
        CountiesModule,
      ],
    };
  }
}
