import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ChildLinkedRecords,
  moveChildRows,
  moveChildRowsBack,
  type ChildRowsTable,
  type MovedRows,
} from '../children/child-linked-records';
import { CrosscheckReview } from './registry.entities';

const REVIEWS: ChildRowsTable = { entity: CrosscheckReview, table: 'crosscheck_reviews', key: 'id', uniqueWith: ['householdMemberId'] };

/** A child's cross-check reviews follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class CrosscheckChildLinks extends ChildLinkedRecords {
  readonly module = 'registry';
  readonly references = ['crosscheck_reviews.child_id'];

  async moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void> {
    await moveChildRows(manager, REVIEWS, fromChildId, toChildId, log);
  }

  async moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void> {
    await moveChildRowsBack(manager, REVIEWS, survivorId, mergedId, log);
  }
}
