import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChildrenModule } from '../children/children.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolsModule } from '../schools/schools.module';
import { SchoolNoticesController } from './school-notices.controller';
import { SchoolNoticesService } from './school-notices.service';

@Module({
  imports: [AuditModule, ChildrenModule, NotificationsModule, SchoolsModule],
  controllers: [SchoolNoticesController],
  providers: [SchoolNoticesService],
})
export class SchoolNoticesModule {}
