import { Injectable } from '@nestjs/common';
import { ChildRowsFollow } from '../children/child-linked-records';
import { LeaveRequest } from './leave.entity';

/** A child's leave requests follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class LeaveChildLinks extends ChildRowsFollow {
  constructor() {
    super('school-line-leave', [{ entity: LeaveRequest, table: 'leave_requests', key: 'id' }]);
  }
}
