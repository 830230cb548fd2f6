import { addDays, endOfChinaDay, startOfChinaDay } from '@baoxue/shared';
import { FIGURE_CONDITIONS, returnedBetween, type AsTimestamp, type Statement } from './case-list-query';

/** The units a scorecard ranks: a county's townships or schools (the school line), or a region's counties. */
export type ScorecardUnits = { by: 'township' | 'school'; countyCode: string } | { by: 'county'; regionPrefix: string };

/** What a scorecard's statements need: the units, the period (China days, inclusive), now, and each county's limits. */
export interface ScorecardPeriod {
  units: ScorecardUnits;
  from: string;
  to: string;
  now: Date;
  /** The verification and first-visit limits in hours, per county code; `fallback` for a county not listed. */
  limits: Map<string, { verifyHours: number; firstVisitHours: number }>;
  fallback: { verifyHours: number; firstVisitHours: number };
}

/** The counts of one unit, as the statements return them (a null figure: no case to count). */
export interface ScorecardCounts {
  acknowledgeMedianHours: number | null;
  acknowledged: number;
  verifiedOnTime: number;
  verifiedDue: number;
  visitedOnTime: number;
  visitsDue: number;
  overdue: number;
  returned: number;
  relapses: number;
  tipsConfirmed: number;
  tipsDecided: number;
}

/** The kinds of timeline events that end a verification (a result: a dropout, or not one — a transfer waits for the school). */
const VERIFIED_EVENTS = ['confirmed', 'closed_not_dropout', 'awaiting_school_confirmation'];
/** The kinds that reopen a returned or closed case: an official's reopening, a re-check, the roll call (relapse watch). */
const RELAPSE_EVENTS = ['reopened', 'relapse_detected'];

/** Hours from one timestamp to another, in the database's dialect (null when either is null). */
export type HoursBetween = (from: string, to: string) => string;
export const HOURS_BETWEEN: Record<'mysql' | 'sqlite', HoursBetween> = {
  mysql: (from, to) => `(TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) / 3600000000.0)`,
  sqlite: (from, to) => `((julianday(${to}) - julianday(${from})) * 24.0)`,
};

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** The unit column of a case and the condition that keeps the cases of the units ranked (merged cases aside). */
function unitsOf(units: ScorecardUnits, alias = 'c'): { unit: string; where: Statement } {
  switch (units.by) {
    case 'township':
      return {
        unit: `${alias}.township_code`,
        where: { sql: `${alias}.county_code = ? AND ${alias}.township_code IS NOT NULL`, values: [units.countyCode] },
      };
    case 'school':
      return {
        unit: `${alias}.school_id`,
        where: { sql: `${alias}.county_code = ? AND ${alias}.school_id IS NOT NULL`, values: [units.countyCode] },
      };
    case 'county':
      return { unit: `${alias}.county_code`, where: { sql: `${alias}.county_code LIKE ?`, values: [`${units.regionPrefix}%`] } };
  }
}

/** A county's limit in hours as SQL over `c.county_code` (one value per county of the units). */
function limitSql(period: ScorecardPeriod, which: 'verifyHours' | 'firstVisitHours'): Statement {
  const values: unknown[] = [];
  const branches = [...period.limits].map(([county, limits]) => {
    values.push(county, limits[which]);
    return 'WHEN ? THEN ?';
  });
  values.push(period.fallback[which]);
  return { sql: branches.length ? `(CASE c.county_code ${branches.join(' ')} ELSE ? END)` : '(?)', values };
}

/** Joins statements' SQL with their values in order. */
function join(parts: Array<string | Statement>): Statement {
  const values: unknown[] = [];
  const sql = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      values.push(...part.values);
      return part.sql;
    })
    .join('');
  return { sql, values };
}

/**
 * One row per case of the units with a timeline: its first acceptance, first verification result and
 * first visit, and whether it was reopened (by an official or the roll call) in the period.
 */
function caseTimes(units: ScorecardUnits, start: unknown, end: unknown): Statement {
  const scoped = unitsOf(units, 's');
  const kinds = ['accepted', ...VERIFIED_EVENTS, 'visit_logged', ...RELAPSE_EVENTS];
  return join([
    "SELECT e.case_id, MIN(CASE WHEN e.kind = 'accepted' THEN e.at END) AS accepted_at,",
    { sql: ` MIN(CASE WHEN e.kind IN (${placeholders(VERIFIED_EVENTS)}) THEN e.at END) AS verified_at,`, values: VERIFIED_EVENTS },
    " MIN(CASE WHEN e.kind = 'visit_logged' THEN e.at END) AS visited_at,",
    {
      sql: ` MAX(CASE WHEN e.kind IN (${placeholders(RELAPSE_EVENTS)}) AND e.at >= ? AND e.at <= ? THEN 1 ELSE 0 END) AS reopened`,
      values: [...RELAPSE_EVENTS, start, end],
    },
    ' FROM case_events e JOIN cases s ON s.id = e.case_id WHERE ',
    scoped.where,
    { sql: ` AND s.merged_into_id IS NULL AND e.kind IN (${placeholders(kinds)}) GROUP BY e.case_id`, values: kinds },
  ]);
}

/**
 * The median hours from a case opening (a tip received) to its first acceptance, per unit, over the
 * cases opened in the period and accepted: rows numbered by hours within their unit, the middle one
 * (or the mean of the middle two) kept — `2·rn` between `n` and `n+2` is exactly those. Each case's
 * first acceptance comes from the same grouped read of the timelines as its work (`caseTimes`).
 */
export function acknowledgeStatement(period: ScorecardPeriod, at: AsTimestamp, hours: HoursBetween): Statement {
  const { unit, where } = unitsOf(period.units);
  const start = at(startOfChinaDay(period.from));
  const end = at(endOfChinaDay(period.to));
  return join([
    'SELECT r.unit AS unit, AVG(r.hours) AS median_hours, MAX(r.n) AS acknowledged FROM (',
    'SELECT x.unit, x.hours, ROW_NUMBER() OVER (PARTITION BY x.unit ORDER BY x.hours) AS rn, COUNT(*) OVER (PARTITION BY x.unit) AS n FROM (',
    `SELECT ${unit} AS unit, ${hours('c.opened_at', 't.accepted_at')} AS hours FROM cases c JOIN (`,
    caseTimes(period.units, start, end),
    ') t ON t.case_id = c.id WHERE ',
    where,
    ' AND c.merged_into_id IS NULL AND c.opened_at >= ? AND c.opened_at <= ?',
    { sql: '', values: [start, end] },
    ') x WHERE x.hours IS NOT NULL) r WHERE 2 * r.rn BETWEEN r.n AND r.n + 2 GROUP BY r.unit',
  ]);
}

/**
 * The case work of each unit in one pass over its cases: verification and first visit on time
 * (against each case's county limits, from its first acceptance and its confirmation), overdue now
 * (the dispatch list's own conditions: open and past its due time), children returned in the period
 * (as the statistics count a return) and children who relapsed in the period — a returned or closed
 * case reopened, or a child confirmed again after an earlier case of it had returned.
 *
 * Each case's first acceptance, verification and visit, and whether it was reopened in the period,
 * come from one grouped read of its timeline (`caseTimes`), joined once: as correlated sub-selects
 * the database ran them again for each place the outer sums name them (about 140,000 timeline reads
 * for 20,000 cases, against 44,000 now).
 */
export function workStatement(period: ScorecardPeriod, at: AsTimestamp, hours: HoursBetween): Statement {
  const { unit, where } = unitsOf(period.units);
  const start = at(startOfChinaDay(period.from));
  const end = at(endOfChinaDay(period.to));
  const now = at(period.now);
  const open = FIGURE_CONDITIONS.open();
  const overdue = FIGURE_CONDITIONS.overdue(period.now, at);
  const returned = returnedBetween(period.from, addDays(period.to, 1));
  const relapsed = join([
    '(t.reopened = 1 OR (c.confirmed_at >= ? AND c.confirmed_at <= ?',
    { sql: '', values: [start, end] },
    ' AND EXISTS (SELECT 1 FROM cases p WHERE p.child_id = c.child_id AND p.id <> c.id AND p.merged_into_id IS NULL',
    ' AND p.returned_on IS NOT NULL AND p.opened_at < c.opened_at)))',
  ]);
  const inner = join([
    `SELECT ${unit} AS unit, c.confirmed_at AS confirmed_at, t.accepted_at AS accepted_at, t.verified_at AS verified_at, t.visited_at AS visited_at, `,
    limitSql(period, 'verifyHours'),
    ' AS verify_limit, ',
    limitSql(period, 'firstVisitHours'),
    ' AS visit_limit, CASE WHEN ',
    open,
    ' AND ',
    overdue,
    ' THEN 1 ELSE 0 END AS overdue, CASE WHEN ',
    returned,
    ' THEN c.child_id END AS returned_child, CASE WHEN ',
    relapsed,
    ' THEN c.child_id END AS relapsed_child FROM cases c LEFT JOIN (',
    caseTimes(period.units, start, end),
    ') t ON t.case_id = c.id WHERE ',
    where,
    ' AND c.merged_into_id IS NULL',
  ]);
  const acceptedIn = { sql: 'x.accepted_at >= ? AND x.accepted_at <= ?', values: [start, end] };
  const confirmedIn = { sql: 'x.confirmed_at >= ? AND x.confirmed_at <= ?', values: [start, end] };
  return join([
    'SELECT x.unit AS unit, SUM(CASE WHEN ',
    acceptedIn,
    ` AND x.verified_at IS NOT NULL AND ${hours('x.accepted_at', 'x.verified_at')} <= x.verify_limit THEN 1 ELSE 0 END) AS verified_on_time, SUM(CASE WHEN `,
    acceptedIn,
    ` AND (x.verified_at IS NOT NULL OR ${hours('x.accepted_at', '?')} > x.verify_limit) THEN 1 ELSE 0 END) AS verified_due, SUM(CASE WHEN `,
    { sql: '', values: [now] },
    confirmedIn,
    ` AND x.visited_at IS NOT NULL AND ${hours('x.confirmed_at', 'x.visited_at')} <= x.visit_limit THEN 1 ELSE 0 END) AS visited_on_time, SUM(CASE WHEN `,
    confirmedIn,
    ` AND (x.visited_at IS NOT NULL OR ${hours('x.confirmed_at', '?')} > x.visit_limit) THEN 1 ELSE 0 END) AS visits_due,`,
    { sql: '', values: [now] },
    ' SUM(x.overdue) AS overdue, COUNT(DISTINCT x.returned_child) AS returned, COUNT(DISTINCT x.relapsed_child) AS relapses FROM (',
    inner,
    ') x GROUP BY x.unit',
  ]);
}

/**
 * Supervisors' tips received in the period whose case has a verification result, per unit of the
 * case, and how many of them were confirmed dropouts (every tip is a supervisor's: schools and
 * registries open cases without one).
 */
export function tipsStatement(period: ScorecardPeriod, at: AsTimestamp): Statement {
  const { unit, where } = unitsOf(period.units);
  return join([
    `SELECT ${unit} AS unit, SUM(CASE WHEN c.confirmed_at IS NOT NULL THEN 1 ELSE 0 END) AS confirmed,`,
    " SUM(CASE WHEN c.confirmed_at IS NOT NULL OR c.status = 'not_dropout' THEN 1 ELSE 0 END) AS decided",
    ' FROM tips t JOIN cases c ON c.id = t.case_id WHERE ',
    where,
    ' AND c.merged_into_id IS NULL AND t.created_at >= ? AND t.created_at <= ?',
    { sql: '', values: [at(startOfChinaDay(period.from)), at(endOfChinaDay(period.to))] },
    ` GROUP BY ${unit}`,
  ]);
}

/** A unit's counts before any case: every count 0, no median. */
export function noScorecardCounts(): ScorecardCounts {
  return {
    acknowledgeMedianHours: null,
    acknowledged: 0,
    verifiedOnTime: 0,
    verifiedDue: 0,
    visitedOnTime: 0,
    visitsDue: 0,
    overdue: 0,
    returned: 0,
    relapses: 0,
    tipsConfirmed: 0,
    tipsDecided: 0,
  };
}

/** The three statements' rows as counts per unit (SUM gives NULL over no rows, and decimal strings on MySQL). */
export function scorecardCounts(
  acknowledge: Array<Record<string, unknown>>,
  work: Array<Record<string, unknown>>,
  tips: Array<Record<string, unknown>>,
): Map<string, ScorecardCounts> {
  const counts = new Map<string, ScorecardCounts>();
  const of = (unit: unknown): ScorecardCounts => {
    const key = String(unit);
    if (!counts.has(key)) counts.set(key, noScorecardCounts());
    return counts.get(key)!;
  };
  const n = (value: unknown) => Number(value ?? 0);
  for (const row of acknowledge) {
    const unit = of(row.unit);
    unit.acknowledgeMedianHours = row.median_hours === null ? null : n(row.median_hours);
    unit.acknowledged = n(row.acknowledged);
  }
  for (const row of work)
    Object.assign(of(row.unit), {
      verifiedOnTime: n(row.verified_on_time),
      verifiedDue: n(row.verified_due),
      visitedOnTime: n(row.visited_on_time),
      visitsDue: n(row.visits_due),
      overdue: n(row.overdue),
      returned: n(row.returned),
      relapses: n(row.relapses),
    });
  for (const row of tips) Object.assign(of(row.unit), { tipsConfirmed: n(row.confirmed), tipsDecided: n(row.decided) });
  return counts;
}
