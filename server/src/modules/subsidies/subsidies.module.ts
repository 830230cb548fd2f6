import { Module } from '@nestjs/common';
import { ChildrenModule } from '../children/children.module';
import { ChildSubsidiesService } from './child-subsidies.service';
import { ComplaintsService } from './complaints.service';
import { EligibilityService } from './eligibility.service';
import { PaymentsService } from './payments.service';
import { SubsidiesController } from './subsidies.controller';
import { SubsidyPoliciesService } from './subsidy-policies.service';

@Module({
  imports: [ChildrenModule],
  controllers: [SubsidiesController],
  providers: [SubsidyPoliciesService, EligibilityService, PaymentsService, ChildSubsidiesService, ComplaintsService],
})
export class SubsidiesModule {}
