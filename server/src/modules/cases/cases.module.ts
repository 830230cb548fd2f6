import { Module } from '@nestjs/common';
import { ChildrenService } from '../children/children.service';
import { DivisionsModule } from '../divisions/divisions.module';
import { UploadsModule } from '../uploads/uploads.module';
import { CaseRoutingService } from './case-routing.service';
import { CaseViewsService } from './case-views.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { TipMilestonesService } from './tip-milestones.service';

@Module({
  imports: [DivisionsModule, UploadsModule],
  controllers: [CasesController],
  providers: [CasesService, CaseRoutingService, CaseViewsService, TipMilestonesService, ChildrenService],
  exports: [CasesService, CaseRoutingService, CaseViewsService, TipMilestonesService, ChildrenService],
})
export class CasesModule {}
