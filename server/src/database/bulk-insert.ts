import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { insertRows, type OnDuplicate } from './sql';

/**
 * Inserts many rows as multi-row INSERTs of `chunk` rows (`insertRows`), in one transaction (the
 * caller's, or one of its own): all rows or none. Subscribers still hear of every row (AfterInsert),
 * as with TypeORM.
 * With `onDuplicate: 'skip'` a row whose unique key another row holds is left out (the others go
 * in); which went in is for the caller to read, and subscribers hear of none (use it where nobody
 * subscribes: notices, claims).
 */
export async function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: T[],
  chunk = 500,
  onDuplicate: OnDuplicate = 'fail',
): Promise<void> {
  if (rows.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    await manager.transaction((inner) => bulkInsert(inner, entity, rows, chunk, onDuplicate));
    return;
  }
  for (let i = 0; i < rows.length; i += chunk) await insertRows(manager, entity, rows.slice(i, i + chunk), onDuplicate);
}
