import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegistryModule } from '../registry/registry.module';
import { SchoolsModule } from '../schools/schools.module';
import { UploadsModule } from '../uploads/uploads.module';
import { EnrolmentNoticesService } from './enrolment-notices.service';
import { EnrolmentController } from './enrolment.controller';
import { EnrolmentService } from './enrolment.service';
import { NoticePdfService } from './notice-pdf.service';
import { EnrolmentChildLinks } from './enrolment-child-links';

@Module({
  imports: [AuditModule, ChildrenModule, DivisionsModule, NotificationsModule, RegistryModule, SchoolsModule, UploadsModule],
  controllers: [EnrolmentController],
  providers: [EnrolmentService, EnrolmentNoticesService, NoticePdfService, EnrolmentChildLinks],
})
export class EnrolmentModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: EnrolmentChildLinks,
  ) {}

  /** Child merges move this module's rows of a child through EnrolmentChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
