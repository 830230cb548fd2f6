import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsModule } from '../schools/schools.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { CountyAdminsService } from './county-admins.service';
import { UnitsService } from './units.service';
import { UserRecords } from './user-records';

@Module({
  imports: [AuditModule, DivisionsModule, SchoolsModule],
  controllers: [AccountsController],
  providers: [AccountsService, CountyAdminsService, UnitsService, UserRecords],
  exports: [AccountsService, CountyAdminsService, UnitsService, UserRecords],
})
export class AccountsModule {}
