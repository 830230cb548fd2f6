import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ChildLinkedRecords,
  moveChildRows,
  moveChildRowsBack,
  type ChildRowsTable,
  type MovedRows,
} from '../children/child-linked-records';
import { BindingAttempt } from './binding-attempt.entity';

const ATTEMPTS: ChildRowsTable = { entity: BindingAttempt, table: 'binding_attempts', key: 'id' };

/** A child's binding attempts follow it to the survivor of a merge (ChildLinkedRecords). */
@Injectable()
export class BindingChildLinks extends ChildLinkedRecords {
  readonly module = 'guardians';
  readonly references = ['binding_attempts.child_id'];

  async moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void> {
    await moveChildRows(manager, ATTEMPTS, fromChildId, toChildId, log);
  }

  async moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void> {
    await moveChildRowsBack(manager, ATTEMPTS, survivorId, mergedId, log);
  }
}
