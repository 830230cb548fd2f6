import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsModule } from '../schools/schools.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { UnitsService } from './units.service';
import { UserRecords } from './user-records';

@Module({
  imports: [AuditModule, DivisionsModule, SchoolsModule],
  controllers: [AccountsController],
  providers: [AccountsService, UnitsService, UserRecords],
  exports: [AccountsService, UnitsService, UserRecords],
})
export class AccountsModule {}
