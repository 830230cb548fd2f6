import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsModule } from '../schools/schools.module';
import { AuditLogController } from './audit-log.controller';
import { AuditLogService } from './audit-log.service';

/**
 * Reading the audit log (BRIEF §7): the viewer of the county and its townships, and a parent's
 * access history of their child. It sits above the modules whose acts it names (children, accounts,
 * divisions, schools); the audit module below them only writes.
 */
@Module({
  imports: [AccountsModule, AuditModule, ChildrenModule, DivisionsModule, SchoolsModule],
  controllers: [AuditLogController],
  providers: [AuditLogService],
})
export class AuditLogModule {}
