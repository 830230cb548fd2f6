import { Injectable } from '@nestjs/common';
import { ChildRowsFollow, type ChildRowsTable } from '../children/child-linked-records';
import { DeferralApplication, EnrolmentNotice } from './enrolment.entities';

/** Notices before deferrals: a deferral goes where its enrolment notice went. Reversed on a split. */
const TABLES: readonly ChildRowsTable[] = [
  { entity: EnrolmentNotice, table: 'enrolment_notices', key: 'id', uniqueWith: ['schoolYear'] },
  {
    entity: DeferralApplication,
    table: 'deferral_applications',
    key: 'id',
    staysWith: { column: 'noticeId', table: 'enrolment_notices' },
  },
];

/** A child's enrolment notices and deferral applications follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class EnrolmentChildLinks extends ChildRowsFollow {
  constructor() {
    super('enrolment', TABLES);
  }
}
