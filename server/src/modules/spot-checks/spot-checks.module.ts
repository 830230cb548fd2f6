import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { DispatchRectifications } from '../cases/dispatch-rectifications';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchoolsModule } from '../schools/schools.module';
import { SpotCheckChildLinks } from './spot-check-child-links';
import { SpotChecksController } from './spot-checks.controller';
import { SpotChecksService } from './spot-checks.service';

/** 督导 spot checks and 整改 items (BRIEF §5a): cases through the cases module's services, counted by the scorecards. */
@Module({
  imports: [AuditModule, CasesModule, ChildrenModule, DivisionsModule, NotificationsModule, SchoolsModule],
  controllers: [SpotChecksController],
  providers: [SpotChecksService, SpotCheckChildLinks],
  exports: [SpotChecksService],
})
export class SpotChecksModule implements OnModuleInit {
  constructor(
    private readonly dispatch: DispatchRectifications,
    private readonly spotChecks: SpotChecksService,
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: SpotCheckChildLinks,
  ) {}

  /** The dispatch list (cases module) shows the open 整改 items; child merges move the sampled children through SpotCheckChildLinks. */
  onModuleInit(): void {
    this.dispatch.plug((manager, caller, now) => this.spotChecks.dispatchItems(manager, caller, now));
    this.childMoves.register(this.childLinks);
  }
}
