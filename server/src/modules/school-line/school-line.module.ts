import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CaseRetentionFollowers } from '../cases/case-retention-followers';
import { CasesModule } from '../cases/cases.module';
import { AttendanceService } from '../children/attendance.service';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PupilChangeFollowers } from '../pupil-changes/pupil-change-followers';
import { PupilChangesModule } from '../pupil-changes/pupil-changes.module';
import { SchoolCalendarModule } from '../school-calendar/school-calendar.module';
import { SchoolsModule } from '../schools/schools.module';
import { AbsenceAlertsController } from './absence-alerts.controller';
import { AbsenceAlerts } from './absence-alerts.service';
import { ClassRecords } from './class-records';
import { ClassesController } from './classes.controller';
import { ClassesService } from './classes.service';
import { FollowUpChildLinks } from './follow-up-child-links';
import { FollowUpController } from './follow-up.controller';
import { FollowUpService } from './follow-up.service';
import { LeaveModule } from './leave.module';
import { RollCallsController } from './roll-calls.controller';
import { RollCallsService } from './roll-calls.service';
import { SchoolLineChildLinks } from './school-line-child-links';
import { SchoolLineDays } from './school-line-days';

/**
 * The school line (BRIEF §4a): classes and their 班主任, the daily roll call, the absence rules on
 * its data and the alerts they raise. Above cases (a returned child's relapse), 学籍异动 and leave;
 * it plugs the calendar and the roll calls into the children module's attendance rules.
 */
@Module({
  imports: [
    AccountsModule,
    AuditModule,
    CasesModule,
    ChildrenModule,
    LeaveModule,
    NotificationsModule,
    PupilChangesModule,
    SchoolCalendarModule,
    SchoolsModule,
  ],
  controllers: [ClassesController, RollCallsController, AbsenceAlertsController, FollowUpController],
  providers: [
    ClassRecords,
    ClassesService,
    RollCallsService,
    AbsenceAlerts,
    SchoolLineDays,
    SchoolLineChildLinks,
    FollowUpService,
    FollowUpChildLinks,
  ],
  exports: [AbsenceAlerts, ClassRecords],
})
export class SchoolLineModule implements OnModuleInit {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly days: SchoolLineDays,
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: SchoolLineChildLinks,
    private readonly followUpLinks: FollowUpChildLinks,
    private readonly pupilChanges: PupilChangeFollowers,
    private readonly alerts: AbsenceAlerts,
    private readonly retention: CaseRetentionFollowers,
    private readonly followUp: FollowUpService,
  ) {}

  /**
   * Attendance counts school days with the county calendar and the roll calls; child merges move the
   * alerts; a pupil who leaves by 学籍异动 is no longer followed; retention strips the school's
   * copies of a finished case's text.
   */
  onModuleInit(): void {
    this.attendance.plug(this.days);
    this.childMoves.register(this.childLinks, this.followUpLinks);
    this.pupilChanges.register(this.alerts);
    this.retention.register(this.followUp);
  }
}
