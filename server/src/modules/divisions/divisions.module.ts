import { Module } from '@nestjs/common';
import { DivisionImportService } from './division-import.service';
import { DivisionsController } from './divisions.controller';
import { DivisionsService } from './divisions.service';

@Module({
  controllers: [DivisionsController],
  providers: [DivisionsService, DivisionImportService],
  exports: [DivisionsService, DivisionImportService],
})
export class DivisionsModule {}
