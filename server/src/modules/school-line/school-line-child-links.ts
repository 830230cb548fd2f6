import { Injectable } from '@nestjs/common';
import { ChildRowsFollow } from '../children/child-linked-records';
import { AbsenceAlert } from './school-line.entities';

/**
 * A child's absence alerts follow it to the survivor of a merge (ChildLinkedRecords); an alert of
 * the same streak the survivor already has stays behind. Roll calls name no child: their marks are
 * attendance rows, which the children module moves.
 */
@Injectable()
export class SchoolLineChildLinks extends ChildRowsFollow {
  constructor() {
    super('school-line-alerts', [{ entity: AbsenceAlert, table: 'absence_alerts', key: 'id', uniqueWith: ['streakStart'] }]);
  }
}
