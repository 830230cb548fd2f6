import { Module } from '@nestjs/common';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { UploadsModule } from '../uploads/uploads.module';
import { EnrolmentNoticesService } from './enrolment-notices.service';
import { EnrolmentController } from './enrolment.controller';
import { EnrolmentService } from './enrolment.service';
import { NoticePdfService } from './notice-pdf.service';

@Module({
  imports: [ChildrenModule, DivisionsModule, UploadsModule],
  controllers: [EnrolmentController],
  providers: [EnrolmentService, EnrolmentNoticesService, NoticePdfService],
})
export class EnrolmentModule {}
