import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolsModule } from '../schools/schools.module';
import { ChildSubsidiesService } from './child-subsidies.service';
import { ComplaintsService } from './complaints.service';
import { EligibilityService } from './eligibility.service';
import { PaymentsService } from './payments.service';
import { SubsidiesController } from './subsidies.controller';
import { SubsidyPoliciesService } from './subsidy-policies.service';
import { SubsidyChildLinks } from './subsidy-child-links';

@Module({
  imports: [AuditModule, ChildrenModule, DivisionsModule, NotificationsModule, SchoolsModule],
  controllers: [SubsidiesController],
  providers: [SubsidyPoliciesService, EligibilityService, PaymentsService, ChildSubsidiesService, ComplaintsService, SubsidyChildLinks],
})
export class SubsidiesModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: SubsidyChildLinks,
  ) {}

  /** Child merges move this module's rows of a child through SubsidyChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
