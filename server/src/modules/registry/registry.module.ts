import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { PupilChangesModule } from '../pupil-changes/pupil-changes.module';
import { SchoolCalendarModule } from '../school-calendar/school-calendar.module';
import { SchoolLineModule } from '../school-line/school-line.module';
import { SchoolsModule } from '../schools/schools.module';
import { AbsenceMonitorService } from './absence-monitor.service';
import { ConsolidationController } from './consolidation.controller';
import { ConsolidationService } from './consolidation.service';
import { CrosscheckController } from './crosscheck.controller';
import { RegionController } from './region.controller';
import { CrosscheckService } from './crosscheck.service';
import { RegistryController } from './registry.controller';
import { RegistryImportService } from './registry-import.service';
import { EnrolmentTallyService } from './enrolment-tally.service';
import { HouseholdRecords } from './household-records';
import { StatsService } from './stats.service';
import { CrosscheckChildLinks } from './crosscheck-child-links';

@Module({
  imports: [
    AccountsModule,
    AuditModule,
    CasesModule,
    ChildrenModule,
    DivisionsModule,
    PupilChangesModule,
    SchoolCalendarModule,
    SchoolLineModule,
    SchoolsModule,
  ],
  controllers: [RegistryController, CrosscheckController, RegionController, ConsolidationController],
  providers: [
    RegistryImportService,
    CrosscheckService,
    AbsenceMonitorService,
    StatsService,
    ConsolidationService,
    EnrolmentTallyService,
    HouseholdRecords,
    CrosscheckChildLinks,
  ],
  exports: [
    RegistryImportService,
    CrosscheckService,
    AbsenceMonitorService,
    HouseholdRecords,
    StatsService,
    // periodic reports: their enrolment and the county's 巩固率
    ConsolidationService,
    EnrolmentTallyService,
  ],
})
export class RegistryModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: CrosscheckChildLinks,
  ) {}

  /** Child merges move this module's rows of a child through CrosscheckChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
