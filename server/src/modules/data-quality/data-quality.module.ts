import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { DataQualityController } from './data-quality.controller';
import { DataQualityService } from './data-quality.service';

/**
 * Data-quality flags (数据质量, issue 18 item 6): read-only SQL over the case, visit, timeline and
 * attendance tables (no entity of theirs imported), named through the accounts and divisions modules.
 */
@Module({
  imports: [AccountsModule, DivisionsModule],
  controllers: [DataQualityController],
  providers: [DataQualityService],
})
export class DataQualityModule {}
