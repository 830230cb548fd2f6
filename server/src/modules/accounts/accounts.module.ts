import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { UnitsService } from './units.service';

@Module({
  imports: [DivisionsModule],
  controllers: [AccountsController],
  providers: [AccountsService, UnitsService],
  exports: [AccountsService, UnitsService],
})
export class AccountsModule {}
