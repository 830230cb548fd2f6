import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ChildLinkedRecords,
  moveChildRows,
  moveChildRowsBack,
  type ChildRowsTable,
  type MovedRows,
} from '../children/child-linked-records';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPayment } from './subsidy.entities';

/** In this order on a merge, reversed on a split. */
const TABLES: readonly ChildRowsTable[] = [
  { entity: SubsidyEligibilityRow, table: 'subsidy_eligibility', key: 'id', uniqueWith: ['schoolYear'] },
  { entity: SubsidyPayment, table: 'subsidy_payments', key: 'id', uniqueWith: ['semester', 'reference'] },
  { entity: SubsidyComplaint, table: 'subsidy_complaints', key: 'id' },
];

/** A child's eligibility, payments and complaints follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class SubsidyChildLinks extends ChildLinkedRecords {
  readonly module = 'subsidies';
  readonly references = TABLES.map((t) => `${t.table}.child_id`);

  async moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void> {
    for (const table of TABLES) await moveChildRows(manager, table, fromChildId, toChildId, log);
  }

  async moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void> {
    for (const table of [...TABLES].reverse()) await moveChildRowsBack(manager, table, survivorId, mergedId, log);
  }
}
