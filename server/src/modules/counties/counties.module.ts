import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { SchoolsModule } from '../schools/schools.module';
import { CountyOnboardingService } from './county-onboarding.service';

/** Bringing a county in and naming its county admins: the operator's commands (`server/src/cli.ts`). */
@Module({
  imports: [AccountsModule, AuditModule, DivisionsModule, InvitationsModule, SchoolsModule],
  providers: [CountyOnboardingService],
  exports: [CountyOnboardingService],
})
export class CountiesModule {}
