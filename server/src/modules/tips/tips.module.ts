import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { PluggedCaseTips } from '../cases/plugged-case-tips';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolsModule } from '../schools/schools.module';
import { UploadsModule } from '../uploads/uploads.module';
import { CaseTipsService } from './case-tips.service';
import { TipMilestonesService } from './tip-milestones.service';
import { TipsController } from './tips.controller';
import { TipsService } from './tips.service';

/** Tips from supervisors. */
@Module({
  imports: [AccountsModule, AuditModule, CasesModule, DivisionsModule, NotificationsModule, SchoolsModule, UploadsModule],
  controllers: [TipsController],
  providers: [TipsService, TipMilestonesService, CaseTipsService],
})
export class TipsModule implements OnModuleInit {
  constructor(
    private readonly caseTips: PluggedCaseTips,
    private readonly implementation: CaseTipsService,
  ) {}

  /** The cases module reads and moves the tips of a case through CaseTips, which this module implements. */
  onModuleInit(): void {
    this.caseTips.plug(this.implementation);
  }
}
