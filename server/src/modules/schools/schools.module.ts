import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsController } from './schools.controller';
import { SchoolImportService } from './school-import.service';
import { SchoolRecords } from './school-records';
import { SchoolsService } from './schools.service';

@Module({
  imports: [AuditModule, DivisionsModule],
  controllers: [SchoolsController],
  providers: [SchoolsService, SchoolImportService, SchoolRecords],
  exports: [SchoolsService, SchoolImportService, SchoolRecords],
})
export class SchoolsModule {}
