import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionImportService } from './division-import.service';
import { DivisionRecords } from './division-records';
import { DivisionsController } from './divisions.controller';
import { DivisionsService } from './divisions.service';

@Module({
  imports: [AuditModule],
  controllers: [DivisionsController],
  providers: [DivisionsService, DivisionImportService, DivisionRecords],
  exports: [DivisionsService, DivisionImportService, DivisionRecords],
})
export class DivisionsModule {}
