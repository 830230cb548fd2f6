import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolsModule } from '../schools/schools.module';
import { UploadsModule } from '../uploads/uploads.module';
import { PupilChangeChildLinks } from './pupil-change-child-links';
import { PupilChangeFollowers } from './pupil-change-followers';
import { PupilChangeRecords } from './pupil-change-records';
import { PupilChangesController } from './pupil-changes.controller';
import { PupilChangesService } from './pupil-changes.service';

/**
 * 学籍异动: transfers out, 休学, moves away. Below the school line and the absence monitor, which ask
 * it which pupils are away (PupilChangeRecords) and follow an effective change (PupilChangeFollowers).
 */
@Module({
  imports: [AccountsModule, AuditModule, CasesModule, ChildrenModule, DivisionsModule, NotificationsModule, SchoolsModule, UploadsModule],
  controllers: [PupilChangesController],
  providers: [PupilChangesService, PupilChangeRecords, PupilChangeFollowers, PupilChangeChildLinks],
  exports: [PupilChangeRecords, PupilChangeFollowers],
})
export class PupilChangesModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: PupilChangeChildLinks,
  ) {}

  /** Child merges move this module's rows of a child through PupilChangeChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
