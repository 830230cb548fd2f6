import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { FileStore } from '../../common/files/file-store';
import { openFileStore } from '../../common/files/open-file-store';
import { LOGGER } from '../../common/logging/logger';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { UploadRecords } from './upload-records';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

@Module({
  controllers: [UploadsController],
  providers: [
    UploadsService,
    UploadRecords,
    { provide: FileStore, useFactory: (config: AppConfig, logger: Logger) => openFileStore(config, logger), inject: [APP_CONFIG, LOGGER] },
  ],
  exports: [UploadsService, UploadRecords],
})
export class UploadsModule {}
