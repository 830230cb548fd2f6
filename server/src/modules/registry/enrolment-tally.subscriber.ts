import {
  EventSubscriber,
  type InsertEvent,
  type QueryRunner,
  type RemoveEvent,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
  type UpdateEvent,
} from 'typeorm';
import { newId } from '../../common/ids';
import type { ChildRow } from '../children/child-records';
import { ChildSubscriber } from '../children/child-subscriber';
import { EnrolmentTallyChange } from './registry.entities';

/** What the enrolment tallies count a pupil by. */
const COUNTED: ReadonlyArray<keyof ChildRow> = ['studentNumber', 'grade', 'villageCode', 'schoolId', 'countyCode', 'priorityGroups'];
const NOTED = Symbol('enrolment tallies noted');

/**
 * Every write to children that can change a tally leaves a change row in the same transaction, so
 * a tally is never trusted after a pupil changed (BRIEF §5 statistics), whatever code wrote it.
 * Inserts of children who are not pupils (a tip's child) change nothing. One row per transaction.
 */
@EventSubscriber()
export class EnrolmentTallySubscriber extends ChildSubscriber {
  async afterInsert(event: InsertEvent<ChildRow>): Promise<void> {
    if (event.entity?.studentNumber) await this.note(event.queryRunner);
  }

  async afterUpdate(event: UpdateEvent<ChildRow>): Promise<void> {
    // save() names the columns it changed; a query-builder update only has the values it sets
    const changed = event.updatedColumns.length
      ? event.updatedColumns.map((c) => c.propertyName)
      : Object.keys((event.entity ?? {}) as object);
    if (changed.some((key) => (COUNTED as string[]).includes(key))) await this.note(event.queryRunner);
  }

  async afterRemove(event: RemoveEvent<ChildRow>): Promise<void> {
    await this.note(event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive) delete (event.queryRunner.data as { [NOTED]?: boolean })[NOTED];
  }

  /** A rolled-back savepoint may have taken the change row with it. */
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete (event.queryRunner.data as { [NOTED]?: boolean })[NOTED];
  }

  private async note(queryRunner: QueryRunner): Promise<void> {
    const data = queryRunner.data as { [NOTED]?: boolean };
    if (queryRunner.isTransactionActive && data[NOTED]) return;
    await queryRunner.manager.insert(EnrolmentTallyChange, { id: newId(), changedAt: new Date() });
    if (queryRunner.isTransactionActive) data[NOTED] = true;
  }
}
