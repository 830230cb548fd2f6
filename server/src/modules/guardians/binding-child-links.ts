import { Injectable } from '@nestjs/common';
import { ChildRowsFollow, type ChildRowsTable } from '../children/child-linked-records';
import { BindingAttempt } from './binding-attempt.entity';

const ATTEMPTS: ChildRowsTable = { entity: BindingAttempt, table: 'binding_attempts', key: 'id' };

/** A child's binding attempts follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class BindingChildLinks extends ChildRowsFollow {
  constructor() {
    super('guardians', [ATTEMPTS]);
  }
}
