import { Global, Module } from '@nestjs/common';
import { CaseTipRecords, CaseTips } from '../cases/case-tips';
import { CasesModule } from '../cases/cases.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { UploadsModule } from '../uploads/uploads.module';
import { CaseTipsService } from './case-tips.service';
import { TipMilestonesService } from './tip-milestones.service';
import { TipsController } from './tips.controller';
import { TipsService } from './tips.service';

/**
 * Tips from supervisors. Global because it provides CaseTips and CaseTipRecords, the tips of a case as
 * the cases module and child merges need them, to modules that sit below it (as AuthModule provides AccountSessions).
 */
@Global()
@Module({
  imports: [CasesModule, DivisionsModule, UploadsModule],
  controllers: [TipsController],
  providers: [
    TipsService,
    TipMilestonesService,
    CaseTipsService,
    { provide: CaseTips, useExisting: CaseTipsService },
    { provide: CaseTipRecords, useExisting: CaseTipsService },
  ],
  exports: [CaseTips, CaseTipRecords],
})
export class TipsModule {}
