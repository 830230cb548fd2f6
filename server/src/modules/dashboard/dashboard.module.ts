import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { RegistryModule } from '../registry/registry.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** The home dashboard of a county admin or a township leader: figures of the cases, statistics and dispatch modules. */
@Module({
  imports: [CasesModule, RegistryModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
