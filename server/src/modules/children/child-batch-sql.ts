import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { newReadableCode } from '../../common/ids';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { isMysql } from '../../database/dialect';
import { placeholders, selectRows, write } from '../../database/sql';
import { Child } from './child.entity';

/**
 * The child registry's batch reads and writes (`ChildRegistry.resolveMany`: an import of a million
 * pupils runs them a thousand times), written as SQL: TypeORM's find and update building cost more
 * per row than the database's own work. Rows are hydrated column by column through the driver's own
 * conversion (booleans, dates, JSON), as TypeORM would hydrate them.
 */

/**
 * Values per IN list: each list is padded to this length, so that one prepared statement serves every
 * batch; below MariaDB's in_predicate_conversion_threshold (1000), which would make the list a table.
 */
const IN_LIST = 900;
/** Rows per multi-row INSERT or upsert (20 columns: well inside SQLite's 32,766 parameters). */
export const CHILDREN_PER_INSERT = 1000;
/** A new binding code that another record took meanwhile is drawn again, at most this many times. */
const CODE_ATTEMPTS = 5;
/** The columns that identify a child: a change to them is written record by record, in order (`updateChildren`). */
const IDENTIFIERS: ReadonlyArray<keyof Child> = ['idNumber', 'studentNumber'];

function columnsOf(manager: EntityManager): ColumnMetadata[] {
  return manager.connection.getMetadata(Child).columns.filter((c) => !c.isVirtual);
}

function hydrate(manager: EntityManager, rows: Array<Record<string, unknown>>): Child[] {
  const metadata = manager.connection.getMetadata(Child);
  const driver = manager.connection.driver;
  const columns = columnsOf(manager);
  return rows.map((row) => {
    const child = metadata.create() as Child;
    for (const column of columns) column.setEntityValue(child, driver.prepareHydratedValue(row[column.databaseName], column));
    return child;
  });
}

/** `values` cut into IN lists of `IN_LIST`, the last one padded with its own first value (`pad` for an empty list). */
function inLists(values: string[], pad: string): string[][] {
  if (values.length === 0) return [Array<string>(IN_LIST).fill(pad)];
  const lists: string[][] = [];
  for (let i = 0; i < values.length; i += IN_LIST) {
    const list = values.slice(i, i + IN_LIST);
    lists.push(list.length === IN_LIST ? list : [...list, ...Array<string>(IN_LIST - list.length).fill(list[0]!)]);
  }
  return lists;
}

/**
 * The records holding any of these 学籍号s or ID numbers, each once (merged records as they are):
 * both unique indexes read in one statement per thousand of each.
 */
export async function childrenByIdentifiers(manager: EntityManager, studentNumbers: string[], idNumbers: string[]): Promise<Child[]> {
  if (studentNumbers.length === 0 && idNumbers.length === 0) return [];
  const columns = columnsOf(manager)
    .map((c) => c.databaseName)
    .join(', ');
  // '' is never stored (an unknown identifier is NULL): it pads a list that has nothing to find
  const students = inLists(studentNumbers, '');
  const ids = inLists(idNumbers, '');
  const found = new Map<string, Child>();
  for (let i = 0; i < Math.max(students.length, ids.length); i++) {
    const byStudent = students[i] ?? students[0]!;
    const byId = ids[i] ?? ids[0]!;
    const rows = await selectRows<Record<string, unknown>>(
      manager,
      `SELECT ${columns} FROM children WHERE student_number IN (${placeholders(IN_LIST)}) ` +
        `UNION ALL SELECT ${columns} FROM children WHERE id_number IN (${placeholders(IN_LIST)})`,
      [...byStudent, ...byId],
    );
    for (const child of hydrate(manager, rows)) found.set(child.id, child);
  }
  return [...found.values()];
}

/** The records with these ids. */
export async function childrenByIds(manager: EntityManager, ids: string[]): Promise<Child[]> {
  if (ids.length === 0) return [];
  const columns = columnsOf(manager)
    .map((c) => c.databaseName)
    .join(', ');
  const found: Child[] = [];
  for (const list of inLists(ids, ''))
    found.push(
      ...hydrate(manager, await selectRows(manager, `SELECT ${columns} FROM children WHERE id IN (${placeholders(IN_LIST)})`, list)),
    );
  return found;
}

function isBindingCodeTaken(error: unknown): boolean {
  return isDuplicateKey(error) && /binding_code/.test((error as Error).message);
}

/** Binding codes drawn anew for these records (none of them printed yet), distinct among themselves. */
function redrawCodes(records: Array<{ bindingCode?: string | null }>): void {
  const drawn = new Set<string>();
  for (const record of records) {
    if (!record.bindingCode) continue;
    let code = newReadableCode(8);
    while (drawn.has(code)) code = newReadableCode(8);
    drawn.add(code);
    record.bindingCode = code;
  }
}

/**
 * Runs `write` for a chunk of records; when a new binding code of theirs is already another
 * record's (8 characters of 32: a million codes meet one another about every other import), their
 * codes are drawn again and the statement runs again. The failed statement alone is undone (MySQL
 * and SQLite both roll back a statement that breaks a unique key, not its transaction).
 */
async function withFreeCodes(withCodes: Array<{ bindingCode?: string | null }>, statement: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await statement();
      return;
    } catch (error) {
      if (!isBindingCodeTaken(error) || attempt >= CODE_ATTEMPTS) throw error;
      redrawCodes(withCodes);
    }
  }
}

/**
 * New records of a batch, in multi-row INSERTs of a thousand rows; subscribers hear of each
 * (AfterInsert). On MySQL each is a prepared statement (one per row count, so the same one for every
 * full chunk): the values travel in the binary protocol, neither escaped here nor parsed there, which
 * makes the insert about as fast as MariaDB's LOAD DATA of the same rows (bench: text INSERTs of the
 * same rows took 1.7 × as long). Each statement is sent before the one before it is answered (the
 * connection queues them), so the database goes from one straight to the next while the next rows
 * are prepared and subscribers hear of the last ones.
 *
 * A record whose 学籍号 or ID number another record holds fails the insert (`taken: 'fail'`), or
 * leaves out the chunk it is in, whole (`'skip'`: the records left out are returned, for the caller
 * to resolve otherwise).
 */
export async function insertChildren(manager: EntityManager, rows: Child[], taken: 'fail' | 'skip' = 'fail'): Promise<Child[]> {
  function* chunks() {
    for (let i = 0; i < rows.length; i += CHILDREN_PER_INSERT) yield rows.slice(i, i + CHILDREN_PER_INSERT);
  }
  return insertChunks(manager, chunks(), taken);
}

/**
 * `insertChildren` for records made chunk by chunk (of at most `CHILDREN_PER_INSERT`): the next chunk
 * is made while the database inserts the one before.
 */
export async function insertChunks(manager: EntityManager, chunks: Iterable<Child[]>, taken: 'fail' | 'skip' = 'fail'): Promise<Child[]> {
  const metadata = manager.connection.getMetadata(Child);
  const driver = manager.connection.driver;
  const runner = manager.queryRunner!;
  const columns = metadata.columns.filter((c) => c.isInsert && !c.isVirtual);
  const head = `INSERT INTO children (${columns.map((c) => c.databaseName).join(', ')}) VALUES `;
  const tuple = `(${placeholders(columns.length)})`;
  const now = new Date();
  const send = (chunk: Child[]) => {
    const values: unknown[] = [];
    for (const row of chunk)
      for (const column of columns) {
        const value: unknown = column.getEntityValue(row);
        values.push(
          driver.preparePersistentValue(
            value === undefined && (column.isCreateDate || column.isUpdateDate) ? now : (value ?? null),
            column,
          ),
        );
      }
    return write(manager, head + Array<string>(chunk.length).fill(tuple).join(', '), values);
  };
  const skipped: Child[] = [];
  const settle = async (chunk: Child[], sent: Promise<unknown>) => {
    try {
      await sent.catch(async (error: unknown) => {
        if (!isBindingCodeTaken(error)) throw error;
        redrawCodes(chunk);
        await withFreeCodes(chunk, () => send(chunk).then(() => undefined));
      });
    } catch (error) {
      if (taken === 'skip' && isDuplicateKey(error) && !isBindingCodeTaken(error)) {
        skipped.push(...chunk);
        return;
      }
      throw error;
    }
    for (const row of chunk) await runner.broadcaster.broadcast('AfterInsert', metadata, row);
  };
  let previous: { chunk: Child[]; sent: Promise<unknown> } | null = null;
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    redrawCodesWithin(chunk);
    const sent = send(chunk);
    // answered in `settle`; a failure while an earlier chunk is being settled is not unhandled
    sent.catch(() => undefined);
    if (previous) await settle(previous.chunk, previous.sent);
    previous = { chunk, sent };
  }
  if (previous) await settle(previous.chunk, previous.sent);
  return skipped;
}

/**
 * Updates one record as TypeORM's `update` does, and tells the subscribers which county the child
 * was in (`AfterUpdate` with it as the database entity): the enrolment tallies then recount that
 * county (and the one the child moves to) alone, not every county of the deployment. The county is
 * read with the row locked (MySQL; SQLite runs one transaction at a time), so no other write moves
 * the child between the read and this transaction's commit.
 */
export async function updateChild(manager: EntityManager, id: string, values: QueryDeepPartialEntity<Child>): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return manager.transaction((inner) => updateChild(inner, id, values));
  const [row] = await selectRows<{ county_code: string | null }>(
    manager,
    `SELECT county_code FROM children WHERE id = ?${isMysql(manager) ? ' FOR UPDATE' : ''}`,
    [id],
  );
  await manager.createQueryBuilder().update(Child).set(values).where({ id }).callListeners(false).execute();
  if (!row) return;
  const was: Partial<Child> = { id, countyCode: row.county_code };
  await runner.broadcaster.broadcast('AfterUpdate', manager.connection.getMetadata(Child), values, was, [], []);
}

/** Two records of one statement never draw the same code (the database would refuse the statement). */
function redrawCodesWithin(rows: Array<{ bindingCode?: string | null }>): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (!row.bindingCode) continue;
    while (seen.has(row.bindingCode)) row.bindingCode = newReadableCode(8);
    seen.add(row.bindingCode);
  }
}

/** A batch's change to a known record, as written (`record` holds it already), and the county the record had before it. */
export interface RecordChange {
  record: Child;
  change: Partial<Child>;
  countyBefore?: string | null;
}

/**
 * What a batch changed on known records. A change to an identifier (学籍号, ID number) is written
 * record by record in the batch's order, so that a record giving one up does so before another takes
 * it. The others — a new grade, class, school, a binding code — touch no identifier another record
 * could hold: records changed in the same columns are written together, as multi-row upserts by id
 * (the primary key is the first key MySQL checks, so the upsert always lands on the record itself).
 * Subscribers hear of each change (AfterUpdate, with the changed columns), as with TypeORM's update,
 * and of the county the record had before when the batch says (`countyBefore`).
 */
export async function updateChildren(manager: EntityManager, changes: RecordChange[]): Promise<void> {
  const groups = new Map<string, RecordChange[]>();
  const now = new Date();
  // where each child was before (its county, for the enrolment tallies); unknown: every county
  const was = ({ record, countyBefore }: RecordChange) =>
    countyBefore === undefined ? undefined : { id: record.id, countyCode: countyBefore };
  for (const item of changes) {
    const keys = Object.keys(item.change) as Array<keyof Child>;
    if (keys.some((key) => IDENTIFIERS.includes(key))) {
      await withFreeCodes([item.change], async () => {
        await updateChild(manager, item.record.id, item.change);
      });
      if (item.change.bindingCode) item.record.bindingCode = item.change.bindingCode;
      continue;
    }
    const key = keys.sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const metadata = manager.connection.getMetadata(Child);
  const driver = manager.connection.driver;
  const runner = manager.queryRunner!;
  const columns = metadata.columns.filter((c) => c.isInsert && !c.isVirtual);
  const head = `INSERT INTO children (${columns.map((c) => c.databaseName).join(', ')}) VALUES `;
  for (const [key, items] of groups) {
    const changed = metadata.columns.filter((c) => key.split(',').includes(c.propertyName) || c.isUpdateDate);
    const tail = isMysql(manager)
      ? ` ON DUPLICATE KEY UPDATE ${changed.map((c) => `${c.databaseName} = VALUES(${c.databaseName})`).join(', ')}`
      : ` ON CONFLICT (id) DO UPDATE SET ${changed.map((c) => `${c.databaseName} = excluded.${c.databaseName}`).join(', ')}`;
    for (let i = 0; i < items.length; i += CHILDREN_PER_INSERT) {
      const chunk = items.slice(i, i + CHILDREN_PER_INSERT);
      const tuple = `(${placeholders(columns.length)})`;
      await withFreeCodes(
        chunk.map((item) => item.change),
        async () => {
          const values: unknown[] = [];
          for (const { record, change } of chunk) {
            // a code drawn again replaces the one the record was given (never one it had before)
            if (change.bindingCode) record.bindingCode = change.bindingCode;
            for (const column of columns)
              values.push(driver.preparePersistentValue(column.isUpdateDate ? now : column.getEntityValue(record), column));
          }
          // as text: many rows of shapes that vary from batch to batch
          await manager.query(head + Array<string>(chunk.length).fill(tuple).join(', ') + tail, values);
        },
      );
      for (const item of chunk) {
        item.record.updatedAt = now;
        await runner.broadcaster.broadcast('AfterUpdate', metadata, item.change, was(item), [], []);
      }
    }
  }
}
