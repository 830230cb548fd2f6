import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolCalendarModule } from '../school-calendar/school-calendar.module';
import { UploadsModule } from '../uploads/uploads.module';
import { ClassRecords } from './class-records';
import { LeaveChildLinks } from './leave-child-links';
import { LeaveController } from './leave.controller';
import { LeaveRecords } from './leave-records';
import { LeaveService } from './leave.service';

/**
 * Parents' leave requests 请假 (the school line, BRIEF §4a). The roll call reads approved leave
 * through the exported `LeaveRecords`.
 */
@Module({
  imports: [AccountsModule, AuditModule, ChildrenModule, NotificationsModule, SchoolCalendarModule, UploadsModule],
  controllers: [LeaveController],
  providers: [LeaveService, LeaveRecords, LeaveChildLinks, ClassRecords],
  exports: [LeaveRecords],
})
export class LeaveModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: LeaveChildLinks,
  ) {}

  /** Child merges move a child's leave requests through LeaveChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
