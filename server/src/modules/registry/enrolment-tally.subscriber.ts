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
const QUIET = Symbol('enrolment tallies quiet');
/** The counties a transaction has noted; `EVERY` when a write could not tell which. */
const EVERY = '*';
type Noted = { [NOTED]?: Set<string>; [QUIET]?: boolean };

/**
 * Runs `work` with no change rows written for its writes on this query runner: for a migration that
 * rewrites pupils while the change rows still have an older schema than the entity's. The migration
 * then leaves one change row of its own, in that schema, which recounts every county.
 */
export async function withoutTallyNotes<T>(queryRunner: QueryRunner, work: () => Promise<T>): Promise<T> {
  const data = queryRunner.data as Noted;
  data[QUIET] = true;
  try {
    return await work();
  } finally {
    delete data[QUIET];
  }
}

/**
 * Every write to children that can change a tally leaves a change row in the same transaction, so
 * a tally is never trusted after a pupil changed (BRIEF §5 statistics), whatever code wrote it.
 * Inserts of children who are not pupils (a tip's child) change nothing. A change row names the
 * county whose pupils changed, so only that county is recounted: a pupil's county before the write
 * (the `databaseEntity` its writer passes) and after it. A write that does not say where the pupil
 * was leaves a row naming no county: every county is recounted. One row per county and transaction.
 */
@EventSubscriber()
export class EnrolmentTallySubscriber extends ChildSubscriber {
  async afterInsert(event: InsertEvent<ChildRow>): Promise<void> {
    // a pupil without a county is in no tally
    if (event.entity?.studentNumber && event.entity.countyCode) await this.note(event.queryRunner, [event.entity.countyCode]);
  }

  async afterUpdate(event: UpdateEvent<ChildRow>): Promise<void> {
    // save() names the columns it changed; a query-builder update only has the values it sets
    const values = (event.entity ?? {}) as Partial<ChildRow>;
    const changed = event.updatedColumns.length ? event.updatedColumns.map((c) => c.propertyName) : Object.keys(values);
    if (!changed.some((key) => (COUNTED as string[]).includes(key))) return;
    const before = event.databaseEntity as Partial<ChildRow> | undefined;
    if (!before || !('countyCode' in before)) return this.note(event.queryRunner, [EVERY]);
    const counties = [before.countyCode];
    if (changed.includes('countyCode')) counties.push(values.countyCode);
    await this.note(
      event.queryRunner,
      counties.filter((county): county is string => !!county),
    );
  }

  async afterRemove(event: RemoveEvent<ChildRow>): Promise<void> {
    const removed = (event.databaseEntity ?? event.entity) as Partial<ChildRow> | undefined;
    if (!removed || !('countyCode' in removed)) return this.note(event.queryRunner, [EVERY]);
    if (removed.countyCode) await this.note(event.queryRunner, [removed.countyCode]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive) delete (event.queryRunner.data as Noted)[NOTED];
  }

  /** A rolled-back savepoint may have taken the change rows with it. */
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete (event.queryRunner.data as Noted)[NOTED];
  }

  private async note(queryRunner: QueryRunner, counties: string[]): Promise<void> {
    const data = queryRunner.data as Noted;
    if (data[QUIET]) return;
    const noted = queryRunner.isTransactionActive ? (data[NOTED] ??= new Set()) : new Set<string>();
    // every county recounted covers any one of them
    const fresh = noted.has(EVERY) ? [] : [...new Set(counties)].filter((county) => !noted.has(county));
    if (fresh.length === 0) return;
    const now = new Date();
    await queryRunner.manager.insert(
      EnrolmentTallyChange,
      fresh.map((county) => ({ id: newId(), countyCode: county === EVERY ? null : county, changedAt: now })),
    );
    for (const county of fresh) noted.add(county);
  }
}
