import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SchoolCalendarController } from './school-calendar.controller';
import { SchoolCalendarService } from './school-calendar.service';
import { SchoolCalendars } from './school-calendars';

/** The county school calendar (BRIEF §4a); other modules count school days with `SchoolCalendars`. */
@Module({
  imports: [AuditModule],
  controllers: [SchoolCalendarController],
  providers: [SchoolCalendarService, SchoolCalendars],
  exports: [SchoolCalendars],
})
export class SchoolCalendarModule {}
