import { Module } from '@nestjs/common';
import { AttendanceService } from './attendance.service';
import { ChildRegistry } from './child-registry.service';

/** The child registry: one record per child, whatever reported it (BRIEF §3a), and its attendance. */
@Module({
  providers: [ChildRegistry, AttendanceService],
  exports: [ChildRegistry, AttendanceService],
})
export class ChildrenModule {}
