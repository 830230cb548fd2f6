import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { CaseBatchOpening } from './case-batch-opening';
import { CaseNumbers } from './case-numbers';
import { CaseHandlingController } from './case-handling.controller';
import { CaseHandlingService } from './case-handling.service';
import { CaseRecords } from './case-records';
import { CaseRetentionFollowers } from './case-retention-followers';
import { CaseTipRecords, CaseTips } from './case-tips';
import { CountySettingsService } from './county-settings.service';
import { DeadlinesService } from './deadlines.service';
import { LedgerService } from './ledger.service';
import { RetentionService } from './retention.service';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolCalendarModule } from '../school-calendar/school-calendar.module';
import { SchoolsModule } from '../schools/schools.module';
import { UploadsModule } from '../uploads/uploads.module';
import { CaseRoutingService } from './case-routing.service';
import { CaseViewsService } from './case-views.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { PluggedCaseTips } from './plugged-case-tips';
import { CaseChildLinks } from './case-child-links';
import { DispatchRectifications } from './dispatch-rectifications';
import { DispatchReports } from './dispatch-reports';

@Module({
  imports: [
    AccountsModule,
    AuditModule,
    ChildrenModule,
    DivisionsModule,
    NotificationsModule,
    SchoolCalendarModule,
    SchoolsModule,
    UploadsModule,
  ],
  controllers: [CasesController, CaseHandlingController],
  providers: [
    CasesService,
    CaseBatchOpening,
    CaseNumbers,
    CaseRoutingService,
    CaseViewsService,
    CaseHandlingService,
    DeadlinesService,
    LedgerService,
    CountySettingsService,
    RetentionService,
    CaseRetentionFollowers,
    CaseRecords,
    CaseChildLinks,
    DispatchRectifications,
    DispatchReports,
    // the tips module plugs its implementation in (TipsModule.onModuleInit)
    PluggedCaseTips,
    { provide: CaseTips, useExisting: PluggedCaseTips },
    { provide: CaseTipRecords, useExisting: PluggedCaseTips },
  ],
  exports: [
    CaseHandlingService,
    CaseRecords,
    PluggedCaseTips,
    CasesService,
    CaseBatchOpening,
    CaseRoutingService,
    CaseViewsService,
    ChildrenModule,
    DeadlinesService,
    RetentionService,
    CaseRetentionFollowers,
    DispatchRectifications,
    DispatchReports,
  ],
})
export class CasesModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: CaseChildLinks,
  ) {}

  /** Child merges move this module's rows of a child through CaseChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
