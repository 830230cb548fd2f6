import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ChildLinkedRecords,
  moveChildRows,
  moveChildRowsBack,
  type ChildRowsTable,
  type MovedRows,
} from '../children/child-linked-records';
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
export class EnrolmentChildLinks extends ChildLinkedRecords {
  readonly module = 'enrolment';
  readonly references = TABLES.map((t) => `${t.table}.child_id`);

  async moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void> {
    for (const table of TABLES) await moveChildRows(manager, table, fromChildId, toChildId, log);
  }

  async moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void> {
    for (const table of [...TABLES].reverse()) await moveChildRowsBack(manager, table, survivorId, mergedId, log);
  }
}
