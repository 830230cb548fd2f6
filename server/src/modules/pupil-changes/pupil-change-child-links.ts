import { Injectable } from '@nestjs/common';
import { ChildRowsFollow } from '../children/child-linked-records';
import { PupilChange } from './pupil-change.entity';

/**
 * A child's 学籍异动 follow it to the survivor of a merge (ChildLinkedRecords). A pending change of
 * the merged record stays with it when the survivor has one pending too (one per child: `open_key`).
 */
@Injectable()
export class PupilChangeChildLinks extends ChildRowsFollow {
  constructor() {
    super('pupil-changes', [{ entity: PupilChange, table: 'pupil_changes', key: 'id', uniqueWith: ['openKey'] }]);
  }
}
