import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ScorecardsModule } from '../scorecards/scorecards.module';
import { CircularPdfService } from './circular-pdf.service';
import { CircularsController } from './circulars.controller';
import { CircularsService } from './circulars.service';

/** 通报 (BRIEF §5a): scorecards of the scorecards module, published through the notifications module. */
@Module({
  imports: [AuditModule, DivisionsModule, NotificationsModule, ScorecardsModule],
  controllers: [CircularsController],
  providers: [CircularsService, CircularPdfService],
})
export class CircularsModule {}
