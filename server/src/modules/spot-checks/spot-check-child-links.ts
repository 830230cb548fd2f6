import { Injectable } from '@nestjs/common';
import { ChildRowsFollow } from '../children/child-linked-records';
import { SpotCheckItem } from './spot-check.entities';

/** A sampled case's child in a spot check follows the child to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class SpotCheckChildLinks extends ChildRowsFollow {
  constructor() {
    super('spot-checks', [{ entity: SpotCheckItem, table: 'spot_check_items', key: 'id' }]);
  }
}
