import { Injectable } from '@nestjs/common';
import { ChildRowsFollow, type ChildRowsTable } from '../children/child-linked-records';
import { CrosscheckReview } from './registry.entities';

const REVIEWS: ChildRowsTable = { entity: CrosscheckReview, table: 'crosscheck_reviews', key: 'id', uniqueWith: ['householdMemberId'] };

/** A child's cross-check reviews follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class CrosscheckChildLinks extends ChildRowsFollow {
  constructor() {
    super('registry', [REVIEWS]);
  }
}
