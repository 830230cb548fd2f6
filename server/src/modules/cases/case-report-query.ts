import {
  CASE_SOURCES,
  DROPOUT_CAUSES,
  endOfChinaDay,
  FINISHED_CASE_STATUSES,
  PLACEMENT_MODES,
  PRIORITY_GROUPS,
  startOfChinaDay,
  type CaseSource,
  type DropoutCause,
  type PlacementMode,
  type PriorityGroup,
} from '@baoxue/shared';
import type { AsTimestamp, Statement } from './case-list-query';

/** The cases a report covers (`CaseReportScope` of case-records). */
type CaseReportScope = { schoolId: string } | { routingPrefix: string };

/** A periodic report's case figures of one unit and period (counts of children, a few of cases). */
export interface CaseReportFigures {
  newCases: Record<CaseSource, number>;
  confirmed: number;
  returned: number;
  closed: number;
  stillOut: number;
  overdue: number;
  homeVisits: number;
  placements: Record<PlacementMode, number>;
  causes: Record<DropoutCause, number>;
  priorityGroups: Record<PriorityGroup, number>;
}

const SOURCES = Object.keys(CASE_SOURCES) as CaseSource[];
const PLACEMENTS = Object.keys(PLACEMENT_MODES) as PlacementMode[];
const CAUSES = Object.keys(DROPOUT_CAUSES) as DropoutCause[];
const GROUPS = Object.keys(PRIORITY_GROUPS) as PriorityGroup[];

/** The cases of a report's unit: a school's, a township's or county's by where they are routed (the generated, indexed parts). */
function scopeOf(scope: CaseReportScope): Statement {
  if ('schoolId' in scope) return { sql: 'c.school_id = ?', values: [scope.schoolId] };
  if (scope.routingPrefix.length === 9) return { sql: 'c.routing_township = ?', values: [scope.routingPrefix] };
  if (scope.routingPrefix.length === 6) return { sql: 'c.routing_county = ?', values: [scope.routingPrefix] };
  return { sql: 'c.routing_code LIKE ?', values: [`${scope.routingPrefix}%`] };
}

/**
 * The figures of a report in one grouped pass over the unit's cases (merged ones aside), each a
 * `COUNT(DISTINCT …)` of children under its own condition: new suspected cases opened in the period
 * by source; children confirmed, returned (as the statistics count a return) and closed (销号) in
 * the period; still out at its end (confirmed by then, not returned by then); overdue (open, past
 * due before the period's end or now, whichever is first); placements of the returns; causes and
 * priority groups of the children confirmed in the period. JSON arrays are text: an element is
 * matched with its quotes.
 */
export function reportFiguresStatement(
  scope: CaseReportScope,
  from: string,
  to: string,
  now: Date,
  at: AsTimestamp,
): { cases: Statement; visits: Statement } {
  const start = at(startOfChinaDay(from));
  const end = at(endOfChinaDay(to));
  const cutoff = at(now < endOfChinaDay(to) ? now : endOfChinaDay(to));
  const columns: string[] = [];
  const values: unknown[] = [];
  const count = (alias: string, condition: string, conditionValues: unknown[], of = 'c.child_id') => {
    columns.push(`COUNT(DISTINCT CASE WHEN ${condition} THEN ${of} END) AS ${alias}`);
    values.push(...conditionValues);
  };
  const confirmed = 'c.confirmed_at >= ? AND c.confirmed_at <= ?';
  const returned = "c.status IN ('returned', 'closed') AND c.returned_on >= ? AND c.returned_on <= ?";
  for (const source of SOURCES) count(`new_${source}`, 'c.source = ? AND c.opened_at >= ? AND c.opened_at <= ?', [source, start, end]);
  count('confirmed', confirmed, [start, end]);
  count('returned', returned, [from, to]);
  count('closed', "c.status = 'closed' AND c.closed_at >= ? AND c.closed_at <= ?", [start, end]);
  count('still_out', "c.confirmed_at <= ? AND c.status <> 'not_dropout' AND (c.returned_on IS NULL OR c.returned_on > ?)", [end, to]);
  count(
    'overdue',
    `c.status NOT IN (${FINISHED_CASE_STATUSES.map(() => '?').join(', ')}) AND c.due_at < ?`,
    [...FINISHED_CASE_STATUSES, cutoff],
    'c.id',
  );
  PLACEMENTS.forEach((mode, i) => count(`placement_${i}`, `${returned} AND c.placement = ?`, [from, to, mode]));
  CAUSES.forEach((cause, i) => count(`cause_${i}`, `${confirmed} AND c.causes LIKE ?`, [start, end, `%"${cause}"%`]));
  GROUPS.forEach((group, i) => count(`group_${i}`, `${confirmed} AND ch.priority_groups LIKE ?`, [start, end, `%"${group}"%`]));
  const where = scopeOf(scope);
  return {
    cases: {
      sql: `SELECT ${columns.join(', ')} FROM cases c JOIN children ch ON ch.id = c.child_id WHERE c.merged_into_id IS NULL AND ${where.sql}`,
      values: [...values, ...where.values],
    },
    visits: {
      sql: `SELECT COUNT(*) AS visits FROM case_visits v JOIN cases c ON c.id = v.case_id WHERE c.merged_into_id IS NULL AND ${where.sql} AND v.visited_on >= ? AND v.visited_on <= ?`,
      values: [...where.values, from, to],
    },
  };
}

/** The statement's one row as figures (counts arrive as numbers, or strings on MySQL). */
export function reportFiguresOf(row: Record<string, unknown> | undefined, visits: Record<string, unknown> | undefined): CaseReportFigures {
  const n = (key: string) => Number(row?.[key] ?? 0);
  const record = <K extends string>(keys: K[], column: (key: K, i: number) => string) =>
    Object.fromEntries(keys.map((key, i) => [key, n(column(key, i))])) as Record<K, number>;
  return {
    newCases: record(SOURCES, (source) => `new_${source}`),
    confirmed: n('confirmed'),
    returned: n('returned'),
    closed: n('closed'),
    stillOut: n('still_out'),
    overdue: n('overdue'),
    homeVisits: Number(visits?.visits ?? 0),
    placements: record(PLACEMENTS, (_, i) => `placement_${i}`),
    causes: record(CAUSES, (_, i) => `cause_${i}`),
    priorityGroups: record(GROUPS, (_, i) => `group_${i}`),
  };
}
