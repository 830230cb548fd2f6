import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { AttendanceService } from './attendance.service';
import { ChildMergeService } from './child-merge.service';
import { ChildRegistry } from './child-registry.service';
import { ChildReviewsService } from './child-reviews.service';
import { ChildrenController } from './children.controller';

/** The child registry: one record per child, whatever reported it (BRIEF §3a), its merges and splits, and its attendance. */
@Module({
  imports: [DivisionsModule],
  controllers: [ChildrenController],
  providers: [ChildRegistry, AttendanceService, ChildMergeService, ChildReviewsService],
  exports: [ChildRegistry, AttendanceService, ChildMergeService],
})
export class ChildrenModule {}
