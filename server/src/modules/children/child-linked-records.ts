import type { CaseStatus, PriorityGroup } from '@baoxue/shared';
import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { chunks } from '../../common/sql/chunks';

/** What a merge did with a module's rows of the merged record (in `child_merges.moved`), per table, by each row's key. */
export interface MovedRows {
  /** Rows moved to the survivor. */
  rows: Record<string, string[]>;
  /** Rows the survivor already had an equal of: they stayed with the merged record. */
  left: Record<string, string[]>;
}

/**
 * A table whose rows belong to a child and follow it to the survivor of a merge. `key` names a row
 * in the merge's log (its id; for tables unique per child and something else, that something);
 * `uniqueWith` is the rest of a unique key with the child: a row the survivor already has an equal
 * of stays with the merged record (the survivor's row wins) and is listed as left behind.
 * `staysWith`: a row stays where the row it names (`column`, a key of `table`) stayed.
 */
export interface ChildRowsTable {
  entity: EntityTarget<ObjectLiteral>;
  table: string;
  key: string;
  uniqueWith?: readonly string[];
  staysWith?: { column: string; table: string };
}

/**
 * Moves a table's rows of `from` to `to` (a merge), logging them in `log`. The module owning the
 * table calls it with its own entity; only the named columns are read.
 */
export async function moveChildRows(
  manager: EntityManager,
  table: ChildRowsTable,
  from: string,
  to: string,
  log: MovedRows,
): Promise<void> {
  const columns = [table.key, ...(table.uniqueWith ?? []), ...(table.staysWith ? [table.staysWith.column] : [])];
  const rows = await manager.find(table.entity, { where: { childId: from }, select: Object.fromEntries(columns.map((k) => [k, true])) });
  if (!rows.length) return;
  const identity = (row: ObjectLiteral) => (table.uniqueWith ?? []).map((k) => String(row[k])).join('|');
  const taken = new Set<string>();
  if (table.uniqueWith) {
    const theirs = await manager.find(table.entity, {
      where: { childId: to },
      select: Object.fromEntries(table.uniqueWith.map((k) => [k, true])),
    });
    for (const row of theirs) taken.add(identity(row));
  }
  const staying = new Set(table.staysWith ? (log.left[table.staysWith.table] ?? []) : []);
  const moving: string[] = [];
  const left: string[] = [];
  for (const row of rows) {
    const stays = (table.uniqueWith && taken.has(identity(row))) || (table.staysWith && staying.has(row[table.staysWith.column]));
    (stays ? left : moving).push(String(row[table.key]));
  }
  for (const chunk of chunks(moving)) await manager.update(table.entity, { childId: from, [table.key]: In(chunk) }, { childId: to });
  if (moving.length) log.rows[table.table] = moving;
  if (left.length) log.left[table.table] = left;
}

/** Puts back what `moveChildRows` moved (a split): the logged rows still on the survivor return to the merged record. */
export async function moveChildRowsBack(
  manager: EntityManager,
  table: ChildRowsTable,
  survivorId: string,
  mergedId: string,
  log: MovedRows,
): Promise<void> {
  for (const chunk of chunks(log.rows[table.table] ?? []))
    await manager.update(table.entity, { childId: survivorId, [table.key]: In(chunk) }, { childId: mergedId });
}

/**
 * The rows a module owns of a child, as a merge of two records of one child moves them (BRIEF §3a).
 * Declared here, provided by each owning module and registered with ChildRecordMoves, so that the
 * children module imports none of them. Runs in the merge's transaction (`manager`).
 */
export abstract class ChildLinkedRecords {
  /** The owning module's folder: the merge runs the modules in the order of these names, a split in reverse. */
  abstract readonly module: string;

  /** Every column of the module naming a child, as `table.column` (each one listed in CHILD_REFERENCES). */
  abstract readonly references: readonly string[];

  /** Moves the rows of `fromChildId` (the merged record) to `toChildId` (the survivor), logging them in `log`. */
  abstract moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void>;

  /** Puts back what `moveChild` logged (a split): rows still on the survivor return to the merged record. */
  abstract moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void>;
}

/**
 * A module whose rows about a child simply follow it: its tables in order on a merge, in reverse on a
 * split (enrolment notices before the deferrals that go with them, and back).
 */
export abstract class ChildRowsFollow extends ChildLinkedRecords {
  readonly references: readonly string[];

  constructor(
    readonly module: string,
    private readonly tables: readonly ChildRowsTable[],
  ) {
    super();
    this.references = tables.map((t) => `${t.table}.child_id`);
  }

  async moveChild(manager: EntityManager, fromChildId: string, toChildId: string, log: MovedRows): Promise<void> {
    for (const table of this.tables) await moveChildRows(manager, table, fromChildId, toChildId, log);
  }

  async moveBack(manager: EntityManager, survivorId: string, mergedId: string, log: MovedRows): Promise<void> {
    for (const table of [...this.tables].reverse()) await moveChildRowsBack(manager, table, survivorId, mergedId, log);
  }
}

/** A case merged into another because the two records were one child, and what it had before (in `child_merges.moved`). */
export interface ChildCaseMerge {
  keptId: string;
  mergedCaseId: string;
  before: { closedAt: string | null; dueAt: string | null; dueKind: string | null; escalatedTo: string | null; tipCount: number };
  tips: string[];
  visits: string[];
  notices: string[];
}

/** What a merge did with the cases (in `child_merges.moved`). */
export interface ChildCaseMoves {
  /** The merged record's cases, now the survivor's. */
  cases: string[];
  /** The merged record's open case, now the survivor's. */
  openCaseId: string | null;
  caseMerges: ChildCaseMerge[];
}

/** An entry on a case's timeline. */
export type ChildCaseEventData = Record<string, string | number | boolean | null>;

/**
 * The cases of a child, as the children module needs them: merges, splits and the repair move them,
 * the review list shows a record's open case, priority groups set their priority. The cases module
 * provides it (CaseChildLinks), so children does not import cases.
 */
export abstract class ChildCases extends ChildLinkedRecords {
  /**
   * Gives the merged record's cases to the survivor. When both have an open case, the one to keep
   * (`keepCaseId`, else the older) stays open and the other is merged into it; the open-case claim
   * follows the child.
   */
  abstract moveCases(
    manager: EntityManager,
    survivorId: string,
    mergedId: string,
    options: { keepCaseId?: string; reason: string; actorId: string | null },
  ): Promise<ChildCaseMoves>;

  /** Undoes `moveCases` (a split): the cases go back, merged cases reopen. */
  abstract restoreCases(manager: EntityManager, survivorId: string, mergedId: string, moves: ChildCaseMoves): Promise<void>;

  /** Merges the later open cases of every child with several (an old database) into the child's oldest; returns how many. */
  abstract mergeOpenCases(manager: EntityManager, reason: string): Promise<number>;

  /** The open-case claim of every open case, and the priority of every case from its child's groups (the repair, at its end). */
  abstract repairClaims(manager: EntityManager): Promise<void>;

  /** The priority of every case of the child, from its priority groups; no official changed the cases, so their versions stay. */
  abstract setPriority(manager: EntityManager, childId: string, groups: readonly PriorityGroup[]): Promise<void>;

  /** An event on every case of these children still in the lists (not merged into another). */
  abstract recordEvents(
    manager: EntityManager,
    childIds: string[],
    actorId: string | null,
    kind: string,
    data: ChildCaseEventData,
  ): Promise<void>;

  /** Each child's open case (the oldest, should old data hold several), by child id. */
  abstract openCasesOf(manager: EntityManager, childIds: string[]): Promise<Map<string, { id: string; status: CaseStatus }>>;
}
