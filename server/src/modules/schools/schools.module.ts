import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsController } from './schools.controller';
import { SchoolRecords } from './school-records';
import { SchoolsService } from './schools.service';

@Module({
  imports: [AuditModule, DivisionsModule],
  controllers: [SchoolsController],
  providers: [SchoolsService, SchoolRecords],
  exports: [SchoolsService, SchoolRecords],
})
export class SchoolsModule {}
