import { Injectable } from '@nestjs/common';
import { ChildRowsFollow, type ChildRowsTable } from '../children/child-linked-records';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPayment } from './subsidy.entities';

/** In this order on a merge, reversed on a split. */
const TABLES: readonly ChildRowsTable[] = [
  { entity: SubsidyEligibilityRow, table: 'subsidy_eligibility', key: 'id', uniqueWith: ['schoolYear'] },
  { entity: SubsidyPayment, table: 'subsidy_payments', key: 'id', uniqueWith: ['semester', 'reference'] },
  { entity: SubsidyComplaint, table: 'subsidy_complaints', key: 'id' },
];

/** A child's eligibility, payments and complaints follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class SubsidyChildLinks extends ChildRowsFollow {
  constructor() {
    super('subsidies', TABLES);
  }
}
