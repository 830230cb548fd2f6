import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { AbsenceMonitorService } from './absence-monitor.service';
import { CrosscheckController } from './crosscheck.controller';
import { CrosscheckService } from './crosscheck.service';
import { RegistryController } from './registry.controller';
import { RegistryImportService } from './registry-import.service';
import { EnrolmentTallyService } from './enrolment-tally.service';
import { StatsService } from './stats.service';

@Module({
  imports: [CasesModule, ChildrenModule, DivisionsModule],
  controllers: [RegistryController, CrosscheckController],
  providers: [RegistryImportService, CrosscheckService, AbsenceMonitorService, StatsService, EnrolmentTallyService],
  exports: [RegistryImportService, CrosscheckService, AbsenceMonitorService],
})
export class RegistryModule {}
