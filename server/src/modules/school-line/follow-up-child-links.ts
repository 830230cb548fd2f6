import { Injectable } from '@nestjs/common';
import { ChildRowsFollow } from '../children/child-linked-records';
import { FamilyContact, SchoolReport } from './follow-up.entities';

/** A child's family contacts and the school's reports of it follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class FollowUpChildLinks extends ChildRowsFollow {
  constructor() {
    super('school-line-follow-up', [
      { entity: FamilyContact, table: 'family_contacts', key: 'id' },
      { entity: SchoolReport, table: 'school_reports', key: 'id' },
    ]);
  }
}
