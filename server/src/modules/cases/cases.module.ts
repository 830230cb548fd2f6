import { Module } from '@nestjs/common';
import { ChildrenModule } from '../children/children.module';
import { CaseHandlingController } from './case-handling.controller';
import { CaseHandlingService } from './case-handling.service';
import { CountySettingsService } from './county-settings.service';
import { DeadlinesService } from './deadlines.service';
import { LedgerService } from './ledger.service';
import { RetentionService } from './retention.service';
import { DivisionsModule } from '../divisions/divisions.module';
import { UploadsModule } from '../uploads/uploads.module';
import { CaseRoutingService } from './case-routing.service';
import { CaseViewsService } from './case-views.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [ChildrenModule, DivisionsModule, UploadsModule],
  controllers: [CasesController, CaseHandlingController],
  providers: [
    CasesService,
    CaseRoutingService,
    CaseViewsService,
    CaseHandlingService,
    DeadlinesService,
    LedgerService,
    CountySettingsService,
    RetentionService,
  ],
  exports: [CasesService, CaseRoutingService, CaseViewsService, ChildrenModule, DeadlinesService, RetentionService],
})
export class CasesModule {}
