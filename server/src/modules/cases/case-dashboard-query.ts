import { addDays, startOfChinaDay } from '@baoxue/shared';
import type { Caller } from '../../common/auth/caller';
import { scopeWhere } from '../../common/auth/scope';
import { INBOX_SCOPE } from './case-access';
import { FIGURE_CONDITIONS, returnedBetween, type AsTimestamp, type Statement } from './case-list-query';

/** The case figures of a dashboard: counts of the caller's inbox, and per week new cases and returns. */
export interface DashboardCaseCounts {
  open: number;
  overdue: number;
  dueToday: number;
  returnedThisMonth: number;
  closedThisMonth: number;
  weeks: Array<{ weekStart: string; newCases: number; returns: number }>;
}

export interface DashboardPeriod {
  now: Date;
  /** This month in China, `2026-12`. */
  month: string;
  /** The Mondays the trend's weeks start on (China days), oldest first. */
  weekStarts: readonly string[];
}

/**
 * Every figure of a dashboard in one statement: one pass over the cases of the caller's inbox
 * scope (`read_case` on the inbox's columns, merged cases aside), each figure a conditional sum with
 * the condition of the inbox filter that lists it (`FIGURE_CONDITIONS`), each week two more.
 */
export function dashboardStatement(caller: Caller, period: DashboardPeriod, at: AsTimestamp): Statement {
  const columns: string[] = [];
  const values: unknown[] = [];
  const count = (name: string, condition: Statement) => {
    columns.push(`SUM(CASE WHEN ${condition.sql} THEN 1 ELSE 0 END) AS ${name}`);
    values.push(...condition.values);
  };
  count('open_count', FIGURE_CONDITIONS.open());
  count('overdue_count', FIGURE_CONDITIONS.overdue(period.now, at));
  count('due_today_count', FIGURE_CONDITIONS.dueToday(period.now, at));
  count('returned_count', FIGURE_CONDITIONS.returnedIn(period.month));
  count('closed_count', FIGURE_CONDITIONS.closedIn(period.month, at));
  period.weekStarts.forEach((start, week) => {
    const end = addDays(start, 7);
    count(`opened_${week}`, {
      sql: 'c.opened_at >= ? AND c.opened_at < ?',
      values: [at(startOfChinaDay(start)), at(startOfChinaDay(end))],
    });
    count(`returned_${week}`, returnedBetween(start, end));
  });
  const scope = scopeWhere(caller, 'read_case', INBOX_SCOPE);
  return {
    sql: `SELECT ${columns.join(', ')} FROM cases c WHERE ${scope.sql} AND c.merged_into_id IS NULL`,
    values: [...values, ...scope.values],
  };
}

/** The statement's one row as figures (SUM gives NULL over no rows, and a decimal string on MySQL). */
export function dashboardCounts(row: Record<string, unknown> | undefined, period: DashboardPeriod): DashboardCaseCounts {
  const n = (name: string) => Number(row?.[name] ?? 0);
  return {
    open: n('open_count'),
    overdue: n('overdue_count'),
    dueToday: n('due_today_count'),
    returnedThisMonth: n('returned_count'),
    closedThisMonth: n('closed_count'),
    weeks: period.weekStarts.map((weekStart, week) => ({ weekStart, newCases: n(`opened_${week}`), returns: n(`returned_${week}`) })),
  };
}
