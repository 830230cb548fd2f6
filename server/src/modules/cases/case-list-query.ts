import {
  addDays,
  chinaDay,
  divisionPrefix,
  FINISHED_CASE_STATUSES,
  normalizeCaseNumber,
  startOfChinaDay,
  type CaseSource,
  type CaseStatus,
  type DropoutCause,
  type PriorityGroup,
} from '@baoxue/shared';
import type { Caller } from '../../common/auth/caller';
import { scopeWhere } from '../../common/auth/scope';
import { decodeCursor } from '../../common/http/cursor';
import { containsPattern, LIKE_ESCAPE } from '../../common/sql/like';
import { rawDate } from '../../database/raw-date';
import type { ChildRow } from '../children/child-records';
import { INBOX_SCOPE } from './case-access';
import type { DropoutCase } from './case.entity';
import type { CaseChildFields, ListedCase } from './case.mappers';

export interface ListCases {
  status?: CaseStatus;
  overdue?: 'true' | 'false';
  priorityGroup?: PriorityGroup;
  cause?: DropoutCause;
  under?: string;
  schoolId?: string;
  q?: string;
  source?: CaseSource;
  open?: 'true';
  dueToday?: 'true';
  returnedIn?: string;
  closedIn?: string;
  cursor?: string;
  limit: number;
}

/** One statement: SQL with `?` placeholders and their values in order. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** A time as the database compares it with a timestamp column (`due_at`, `closed_at`) in a hand-written statement. */
export type AsTimestamp = (time: Date) => unknown;

/**
 * The inbox filters a dashboard figure opens, as conditions on `c`: the dashboard counts each figure
 * with the very condition its list filters by, so the number and the list cannot disagree. "Today"
 * and months are China's (BRIEF §4a); a return counts as the statistics count it (`case-records`).
 */
export const FIGURE_CONDITIONS = {
  open: (): Statement => ({
    sql: `c.status NOT IN (${FINISHED_CASE_STATUSES.map(() => '?').join(', ')})`,
    values: [...FINISHED_CASE_STATUSES],
  }),
  overdue: (now: Date, at: AsTimestamp): Statement => ({ sql: 'c.due_at < ?', values: [at(now)] }),
  dueToday: (now: Date, at: AsTimestamp): Statement => ({
    sql: 'c.due_at >= ? AND c.due_at < ?',
    values: [at(now), at(startOfChinaDay(addDays(chinaDay(now), 1)))],
  }),
  returnedIn: (month: string): Statement => returnedBetween(`${month}-01`, nextMonth(month)),
  closedIn: (month: string, at: AsTimestamp): Statement => ({
    sql: "c.status = 'closed' AND c.closed_at >= ? AND c.closed_at < ?",
    values: [at(startOfChinaDay(`${month}-01`)), at(startOfChinaDay(nextMonth(month)))],
  }),
};

/** Cases returned to school from one day up to (not including) another, `YYYY-MM-DD`, and still returned or closed. */
export function returnedBetween(from: string, until: string): Statement {
  return { sql: "c.status IN ('returned', 'closed') AND c.returned_on >= ? AND c.returned_on < ?", values: [from, until] };
}

/** The first day of the month after `2026-12`: `2027-01-01`. */
function nextMonth(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return index === 12 ? `${year + 1}-01-01` : `${year}-${String(index + 1).padStart(2, '0')}-01`;
}

/**
 * What a case list reads: each case with its child, the schools (the case's and the child's roster
 * school), the assignee's name and whether a transfer waits. The tables of other modules are joined
 * by their primary keys (as their `join…` helpers do), for the names on the card.
 */
const LIST_COLUMNS = `c.id, c.case_number, c.status, c.source, c.priority, c.township_code, c.school_id, c.assignee_id, c.opened_at, c.due_at, c.tip_count, c.escalated_to,
  ch.name AS child_name, ch.sex AS child_sex, ch.birth_year AS child_birth_year, ch.id_number AS child_id_number,
  ch.priority_groups AS child_priority_groups, ch.student_number AS child_student_number, ch.school_id AS child_school_id,
  ch.grade AS child_grade, ch.class_name AS child_class_name, ch.village_code AS child_village_code,
  cs.name AS school_name, rs.name AS roster_school_name, u.display_name AS assignee_name,
  EXISTS (SELECT 1 FROM case_transfers t WHERE t.case_id = c.id AND t.status = 'pending') AS transfer_pending`;
const LIST_FROM = `cases c
  JOIN children ch ON ch.id = c.child_id
  LEFT JOIN schools cs ON cs.id = c.school_id
  LEFT JOIN schools rs ON rs.id = ch.school_id
  LEFT JOIN users u ON u.id = c.assignee_id`;

/** One row of a case list page. */
export interface CaseListRow {
  id: string;
  case_number: string;
  status: CaseStatus;
  source: CaseSource;
  priority: number | string;
  township_code: string | null;
  school_id: string | null;
  assignee_id: string | null;
  opened_at: Date | string;
  due_at: Date | string | null;
  tip_count: number | string;
  escalated_to: DropoutCase['escalatedTo'];
  child_name: string;
  child_sex: ChildRow['sex'];
  child_birth_year: number | null;
  child_id_number: string | null;
  /** JSON text, as stored. */
  child_priority_groups: string;
  child_student_number: string | null;
  child_school_id: string | null;
  child_grade: number | null;
  child_class_name: string | null;
  child_village_code: string | null;
  school_name: string | null;
  roster_school_name: string | null;
  assignee_name: string | null;
  transfer_pending: number | string;
  /** The scope's overdue count, the same on every row. */
  overdue_count: number | string;
}

/**
 * The inbox's statements (BRIEF §4): the page — the caller's cases (or, for `triage`, the county's
 * unrouted ones) that meet the filters, priority groups first, then newest, from the cursor on, one
 * more than `limit` (it tells whether a next page exists), each row carrying the scope's overdue
 * count — and the overdue count alone, for a page without rows. `at` renders a time as the
 * database compares it with `due_at`. The scope is the policy's (`scopeWhere`) on the inbox's
 * columns: with its index of (scope, priority, id) a page is one range read in order, however deep
 * the cursor; the count a range of (scope, due_at) read from the index alone.
 */
export function caseListStatements(
  caller: Caller,
  query: ListCases,
  triage: boolean,
  now: Date,
  // mysql2 binds a Date as the column compares it; SQLite needs the driver's text (the service passes it)
  at: AsTimestamp = (time) => time,
): { page: Statement; overdue: Statement } {
  const dueBefore = at(now);
  const scope = scopeWhere(caller, 'read_case', INBOX_SCOPE);
  const inScope = [scope.sql, 'c.merged_into_id IS NULL'];
  const scopeValues: unknown[] = [...scope.values];
  // the queue is the county's own routing code: an index lookup, not a scan of the county
  if (triage) {
    inScope.push('c.township_code IS NULL AND c.routing_code = ?');
    scopeValues.push(caller.countyCode);
  }
  const where = [...inScope];
  const values = [...scopeValues];
  const filter = (condition: string, ...args: unknown[]) => {
    where.push(condition);
    values.push(...args);
  };
  if (query.status) filter('c.status = ?', query.status);
  if (query.source) filter('c.source = ?', query.source);
  if (query.overdue === 'false') filter('(c.due_at IS NULL OR c.due_at >= ?)', dueBefore);
  const condition = ({ sql, values: args }: Statement) => filter(sql, ...args);
  if (query.overdue === 'true') condition(FIGURE_CONDITIONS.overdue(now, at));
  if (query.open === 'true') condition(FIGURE_CONDITIONS.open());
  if (query.dueToday === 'true') condition(FIGURE_CONDITIONS.dueToday(now, at));
  if (query.returnedIn) condition(FIGURE_CONDITIONS.returnedIn(query.returnedIn));
  if (query.closedIn) condition(FIGURE_CONDITIONS.closedIn(query.closedIn, at));
  // JSON arrays are stored as text: an element is matched with its quotes
  if (query.cause) filter('c.causes LIKE ?', `%"${query.cause}"%`);
  if (query.under) filter('c.routing_code LIKE ?', `${divisionPrefix(query.under)}%`);
  if (query.schoolId) filter('c.school_id = ?', query.schoolId);
  if (query.priorityGroup) filter('ch.priority_groups LIKE ?', `%"${query.priorityGroup}"%`);
  // a case number is looked up by its key; any other text is part of a name
  const caseNumber = query.q ? normalizeCaseNumber(query.q) : null;
  if (caseNumber) filter('c.case_number = ?', caseNumber);
  else if (query.q) filter(`ch.name LIKE ? ${LIKE_ESCAPE}`, containsPattern(query.q));
  if (query.cursor) {
    const [priority, id] = decodeCursor(query.cursor, ['number', 'string']);
    filter('(c.priority < ? OR (c.priority = ? AND c.id < ?))', priority, priority, id);
  }
  // the page size is a validated integer; written into the text, a statement per size is prepared
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new Error(`a page of ${query.limit} cases`);
  // the count runs once per statement (it depends on no row); inside it `c` is its own cases
  const overdue = {
    sql: `SELECT COUNT(*) AS n FROM cases c WHERE ${inScope.join(' AND ')} AND c.due_at < ?`,
    values: [...scopeValues, dueBefore],
  };
  return {
    page: {
      sql: `SELECT ${LIST_COLUMNS}, (${overdue.sql}) AS overdue_count FROM ${LIST_FROM} WHERE ${where.join(' AND ')} ORDER BY c.priority DESC, c.id DESC LIMIT ${query.limit + 1}`,
      values: [...overdue.values, ...values],
    },
    overdue,
  };
}

/** A list row's case, as a list item reads it (dates as mysql2 gives them or SQLite's UTC text). */
export function listedCase(row: CaseListRow): ListedCase & { priority: number } {
  return {
    id: row.id,
    caseNumber: row.case_number,
    status: row.status,
    source: row.source,
    priority: Number(row.priority),
    townshipCode: row.township_code,
    schoolId: row.school_id,
    assigneeId: row.assignee_id,
    openedAt: rawDate(row.opened_at),
    dueAt: row.due_at === null ? null : rawDate(row.due_at),
    tipCount: Number(row.tip_count),
    escalatedTo: row.escalated_to,
  };
}

/** A list row's child, as a list item reads it. */
export function listedChild(row: CaseListRow): CaseChildFields {
  return {
    name: row.child_name,
    sex: row.child_sex,
    birthYear: row.child_birth_year,
    idNumber: row.child_id_number,
    // simple-json, as the entity stores it
    priorityGroups: JSON.parse(row.child_priority_groups) as PriorityGroup[],
    studentNumber: row.child_student_number,
    schoolId: row.child_school_id,
    grade: row.child_grade,
    className: row.child_class_name,
    villageCode: row.child_village_code,
  };
}
