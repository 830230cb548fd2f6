import { CLOSE_ABSENCE_DAYS_AROUND, VISIT_BURST_COUNT, VISIT_BURST_MINUTES } from '@baoxue/shared';

/** A statement with its values in placeholder order. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** The pieces of SQL that differ between MySQL/MariaDB and SQLite. */
export interface Dialect {
  /** Seconds from one timestamp to another. */
  secondsBetween(from: string, to: string): string;
  /** The China day (UTC+8) of a timestamp, `YYYY-MM-DD`, shifted by whole days. */
  chinaDayOf(time: string, shiftDays?: number): string;
  /** The instant a China day (`YYYY-MM-DD` column) begins, comparable with a timestamp column, shifted by whole days. */
  chinaDayStart(day: string, shiftDays?: number): string;
}

export const DIALECTS: Record<'mysql' | 'sqlite', Dialect> = {
  mysql: {
    secondsBetween: (from, to) => `(TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) / 1000000.0)`,
    chinaDayOf: (time, shift = 0) => `DATE_FORMAT(${time} + INTERVAL ${8 + 24 * shift} HOUR, '%Y-%m-%d')`,
    chinaDayStart: (day, shift = 0) => `(CAST(${day} AS DATETIME) + INTERVAL ${24 * shift - 8} HOUR)`,
  },
  sqlite: {
    secondsBetween: (from, to) => `((julianday(${to}) - julianday(${from})) * 86400.0)`,
    chinaDayOf: (time, shift = 0) => `date(${time}, '+8 hours', '${shift >= 0 ? '+' : ''}${shift} days')`,
    // text as the driver stores timestamps (`YYYY-MM-DD HH:MM:SS.SSS`), so the comparison is in order
    chinaDayStart: (day, shift = 0) => `strftime('%Y-%m-%d %H:%M:%f', ${day}, '${24 * shift - 8} hours')`,
  },
};

/** What every statement needs: the caller's scope over `c` (a case), the period as stored timestamps, a page. */
export interface FlagPeriod {
  scope: Statement;
  start: unknown;
  end: unknown;
  /** The period widened by the burst window on each side, so a burst across its edge is still seen whole. */
  widerStart: unknown;
  widerEnd: unknown;
  limit: number;
  offset: number;
}

/** A flag's statements: its records of a page (in a stable order) and how many there are in all. */
export interface FlagStatements {
  page: Statement;
  total: Statement;
}

function paged(select: Statement, order: string, period: FlagPeriod): FlagStatements {
  return {
    page: {
      sql: `SELECT * FROM (${select.sql}) f ORDER BY ${order} LIMIT ? OFFSET ?`,
      values: [...select.values, period.limit, period.offset],
    },
    total: { sql: `SELECT COUNT(*) AS n FROM (${select.sql}) f`, values: select.values },
  };
}

const BURST_SECONDS = VISIT_BURST_MINUTES * 60;
const order = 'v.recorded_at, v.id';
const window = `OVER (PARTITION BY v.recorded_by ORDER BY ${order})`;

/**
 * Rule 1 (visit_burst): each visit logged in the period that is one of `VISIT_BURST_COUNT` (3)
 * consecutive visits of its account logged within `VISIT_BURST_MINUTES`. In the account's visits by
 * logging time, the visits of any 10-minute span are consecutive, so a visit is in such a span with
 * two others exactly when it and its two predecessors, its neighbours, or its two successors are:
 * one ordered pass (window functions), no pairwise join.
 */
export function visitBurstStatements(period: FlagPeriod, dialect: Dialect): FlagStatements {
  if (VISIT_BURST_COUNT !== 3) throw new Error('visitBurstStatements looks at two neighbours: VISIT_BURST_COUNT must be 3');
  const within = (from: string, to: string) =>
    `(${from} IS NOT NULL AND ${to} IS NOT NULL AND ${dialect.secondsBetween(from, to)} <= ${BURST_SECONDS})`;
  const select: Statement = {
    sql:
      'SELECT b.id, b.case_id, b.recorded_by AS actor_id, b.recorded_at, b.visited_on FROM (' +
      'SELECT v.id, v.case_id, v.recorded_by, v.recorded_at, v.visited_on,' +
      ` LAG(v.recorded_at, 2) ${window} AS prev2, LAG(v.recorded_at, 1) ${window} AS prev1,` +
      ` LEAD(v.recorded_at, 1) ${window} AS next1, LEAD(v.recorded_at, 2) ${window} AS next2` +
      ` FROM case_visits v JOIN cases c ON c.id = v.case_id WHERE ${period.scope.sql} AND v.recorded_at >= ? AND v.recorded_at <= ?` +
      ') b WHERE b.recorded_at >= ? AND b.recorded_at <= ? AND (' +
      [within('b.prev2', 'b.recorded_at'), within('b.prev1', 'b.next1'), within('b.recorded_at', 'b.next2')].join(' OR ') +
      ')',
    values: [...period.scope.values, period.widerStart, period.widerEnd, period.start, period.end],
  };
  // an account's visits together, in the order logged
  return paged(select, 'f.actor_id, f.recorded_at, f.id', period);
}

/**
 * Rule 2 (closed_while_absent): cases closed (销号) in the period after a return, whose child the roll
 * call marks absent without leave on a day within `CLOSE_ABSENCE_DAYS_AROUND` days of the 销号 day.
 */
export function closedWhileAbsentStatements(period: FlagPeriod, dialect: Dialect): FlagStatements {
  const select: Statement = {
    sql:
      'SELECT c.id AS case_id, c.child_id, c.closed_at FROM cases c' +
      ` WHERE ${period.scope.sql} AND c.status = 'closed' AND c.returned_on IS NOT NULL AND c.closed_at >= ? AND c.closed_at <= ?` +
      " AND EXISTS (SELECT 1 FROM attendance a WHERE a.child_id = c.child_id AND a.source = 'roll_call' AND a.present = 0 AND a.excused = 0" +
      ` AND a.day >= ${dialect.chinaDayOf('c.closed_at', -CLOSE_ABSENCE_DAYS_AROUND)} AND a.day <= ${dialect.chinaDayOf('c.closed_at', CLOSE_ABSENCE_DAYS_AROUND)})`,
    values: [...period.scope.values, period.start, period.end],
  };
  return paged(select, 'f.closed_at, f.case_id', period);
}

/**
 * Rule 3 (dated_before_opening): visits logged in the period dated before their case's opening day,
 * and returns recorded in the period (the case's latest) dated before it.
 */
export function datedBeforeOpeningStatements(period: FlagPeriod, dialect: Dialect): FlagStatements {
  const opened = dialect.chinaDayOf('c.opened_at');
  const select: Statement = {
    sql:
      "SELECT 'visit' AS kind, v.id, v.case_id, v.visited_on AS day, v.recorded_at AS at, v.recorded_by AS actor_id, c.opened_at" +
      ` FROM case_visits v JOIN cases c ON c.id = v.case_id WHERE ${period.scope.sql} AND v.recorded_at >= ? AND v.recorded_at <= ? AND v.visited_on < ${opened}` +
      " UNION ALL SELECT 'return' AS kind, e.id, e.case_id, c.returned_on AS day, e.at AS at, e.actor_id, c.opened_at" +
      ` FROM case_events e JOIN cases c ON c.id = e.case_id WHERE ${period.scope.sql} AND e.kind = 'returned' AND e.at >= ? AND e.at <= ?` +
      ` AND c.returned_on IS NOT NULL AND c.returned_on < ${opened}` +
      " AND NOT EXISTS (SELECT 1 FROM case_events l WHERE l.case_id = e.case_id AND l.kind = 'returned' AND l.at > e.at)",
    values: [...period.scope.values, period.start, period.end, ...period.scope.values, period.start, period.end],
  };
  return paged(select, 'f.at, f.id', period);
}

/**
 * The other work of a visit's account on the visit's day in another township of the county, as two
 * sources: visits it dated that day (`o` their case), and timeline events it caused that China day.
 * `v` is the visit and `c` its case; each source names the other record `w`, its case `o`.
 */
function elsewhereSources(dialect: Dialect): Array<{ table: string; where: string; columns: string; kind: 'visit' | 'activity' }> {
  const otherTownship = 'o.county_code = c.county_code AND o.township_code IS NOT NULL AND o.township_code <> c.township_code';
  return [
    {
      kind: 'visit',
      table: 'case_visits w JOIN cases o ON o.id = w.case_id',
      where: `w.recorded_by = v.recorded_by AND w.visited_on = v.visited_on AND ${otherTownship}`,
      columns: 'w.id AS other_id, w.case_id AS other_case_id, w.visited_on AS other_day, w.recorded_at AS other_at',
    },
    {
      kind: 'activity',
      table: 'case_events w JOIN cases o ON o.id = w.case_id',
      where:
        `w.actor_id = v.recorded_by AND w.at >= ${dialect.chinaDayStart('v.visited_on')}` +
        ` AND w.at < ${dialect.chinaDayStart('v.visited_on', 1)} AND ${otherTownship}`,
      columns: 'w.id AS other_id, w.case_id AS other_case_id, NULL AS other_day, w.at AS other_at',
    },
  ];
}

/**
 * Rule 4 (visits_elsewhere_same_day): visits logged in the period whose account, on the day the visit
 * states, visited or worked on a case of another township of the county.
 */
export function visitsElsewhereStatements(period: FlagPeriod, dialect: Dialect): FlagStatements {
  const elsewhere = elsewhereSources(dialect)
    .map((source) => `EXISTS (SELECT 1 FROM ${source.table} WHERE ${source.where})`)
    .join(' OR ');
  const select: Statement = {
    sql:
      'SELECT v.id, v.case_id, v.recorded_by AS actor_id, v.recorded_at, v.visited_on FROM case_visits v JOIN cases c ON c.id = v.case_id' +
      ` WHERE ${period.scope.sql} AND c.township_code IS NOT NULL AND v.recorded_at >= ? AND v.recorded_at <= ? AND (${elsewhere})`,
    values: [...period.scope.values, period.start, period.end],
  };
  return paged(select, 'f.recorded_at, f.id', period);
}

/** The other-township work of the visits of a page (`ids`): one row per visit and piece of work. */
export function elsewhereOfVisits(ids: string[], dialect: Dialect): Statement {
  const marks = ids.map(() => '?').join(', ');
  const parts = elsewhereSources(dialect).map(
    (source) =>
      `SELECT v.id AS visit_id, '${source.kind}' AS kind, ${source.columns} FROM case_visits v JOIN cases c ON c.id = v.case_id,` +
      ` ${source.table} WHERE ${source.where} AND v.id IN (${marks})`,
  );
  return { sql: parts.join(' UNION ALL '), values: [...ids, ...ids] };
}
