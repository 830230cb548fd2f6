import { Module } from '@nestjs/common';
import { UploadRecords } from './upload-records';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

@Module({
  controllers: [UploadsController],
  providers: [UploadsService, UploadRecords],
  exports: [UploadsService, UploadRecords],
})
export class UploadsModule {}
