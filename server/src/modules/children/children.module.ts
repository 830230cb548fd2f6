import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsModule } from '../schools/schools.module';
import { AttendanceService } from './attendance.service';
import { ChildMergeService } from './child-merge.service';
import { ChildRecordMoves } from './child-record-moves';
import { ChildRecords } from './child-records';
import { ChildRegistry } from './child-registry.service';
import { ChildReviewsService } from './child-reviews.service';
import { ChildrenController } from './children.controller';

/**
 * The child registry: one record per child, whatever reported it (BRIEF §3a), its merges and splits, and its attendance.
 * Modules owning rows of a child register their ChildLinkedRecords with ChildRecordMoves (in their onModuleInit), so
 * that merges move those rows while this module depends on none of them.
 */
@Module({
  imports: [AccountsModule, AuditModule, DivisionsModule, SchoolsModule],
  controllers: [ChildrenController],
  providers: [ChildRegistry, AttendanceService, ChildMergeService, ChildReviewsService, ChildRecords, ChildRecordMoves],
  exports: [ChildRegistry, AttendanceService, ChildMergeService, ChildRecords, ChildRecordMoves],
})
export class ChildrenModule {}
