import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { DispatchReports } from '../cases/dispatch-reports';
import { DivisionsModule } from '../divisions/divisions.module';
import { RegistryModule } from '../registry/registry.module';
import { SchoolsModule } from '../schools/schools.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/**
 * Periodic reports up the chain (BRIEF §5a): figures from the cases, registry (roster, 巩固率) and
 * schools modules; late and returned reports on the cases module's dispatch list.
 */
@Module({
  imports: [AuditModule, CasesModule, DivisionsModule, RegistryModule, SchoolsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule implements OnModuleInit {
  constructor(
    private readonly dispatch: DispatchReports,
    private readonly reports: ReportsService,
  ) {}

  onModuleInit(): void {
    this.dispatch.plug((manager, caller, now) => this.reports.dispatchItems(manager, caller, now));
  }
}
