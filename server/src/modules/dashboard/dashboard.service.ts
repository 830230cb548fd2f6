import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  DASHBOARD_DISPATCH_ITEMS,
  DASHBOARD_TREND_WEEKS,
  pageLink,
  schoolYearOf,
  type DashboardCaseFigure,
  type DashboardCaseFilter,
  type DashboardResponse,
} from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { Clock } from '../../common/clock';
import { CaseRecords } from '../cases/case-records';
import { DeadlinesService } from '../cases/deadlines.service';
import { StatsService } from '../registry/stats.service';

const STAGE_LABELS = { primary: '小学', junior: '初中', poor: '困难家庭' } as const;

/**
 * The home dashboard (工作台) of a county admin or a township leader (`read_dashboard`): the case
 * figures of their inbox, counted with the inbox's own filters (one statement); the dropout rates as
 * the statistics compute them (`StatsService`); the first items of the dispatch list (`DeadlinesService`).
 * Each reads through the caller's scope of its own policy row, which for these two is the same unit.
 */
@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly caseRecords: CaseRecords,
    private readonly stats: StatsService,
    private readonly deadlines: DeadlinesService,
  ) {}

  async dashboard(caller: Caller): Promise<DashboardResponse> {
    requireRecordAccess(caller, 'read_dashboard');
    const now = this.clock.now();
    const today = chinaDay(now);
    const month = today.slice(0, 7);
    const schoolYear = schoolYearOf(today);
    const period = { now, month, weekStarts: trendWeeks(today) };
    const [counts, stats, dispatch] = await Promise.all([
      this.caseRecords.dashboardCounts(this.dataSource.manager, caller, period),
      this.stats.dropout(caller, { schoolYear, by: 'township' }),
      this.deadlines.dispatch(caller),
    ]);
    const figure = (label: string, count: number, filter: DashboardCaseFilter): DashboardCaseFigure => ({
      label,
      count,
      filter,
      link: pageLink('officialInbox', filter as Record<string, string>),
    });
    return {
      generatedAt: now.toISOString(),
      today,
      month,
      unitName: stats.unitName,
      cases: {
        open: figure('在办案件', counts.open, { open: 'true' }),
        overdue: figure('已逾期', counts.overdue, { overdue: 'true' }),
        dueToday: figure('今日到期', counts.dueToday, { dueToday: 'true' }),
        returnedThisMonth: figure('本月返校', counts.returnedThisMonth, { returnedIn: month }),
        closedThisMonth: figure('本月销号', counts.closedThisMonth, { closedIn: month }),
      },
      rates: {
        schoolYear,
        stages: (['primary', 'junior', 'poor'] as const).map((stage) => ({ stage, label: STAGE_LABELS[stage], ...stats.total[stage] })),
        link: pageLink('dropoutStats', { schoolYear: String(schoolYear) }),
      },
      trend: counts.weeks,
      dispatch: {
        count: dispatch.items.length,
        items: dispatch.items.slice(0, DASHBOARD_DISPATCH_ITEMS),
        link: pageLink('countyDispatch'),
      },
    };
  }
}

/** The Mondays (China days) of the last `DASHBOARD_TREND_WEEKS` weeks, oldest first; the last is this week's. */
export function trendWeeks(today: string): string[] {
  const sinceMonday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = addDays(today, -sinceMonday);
  return Array.from({ length: DASHBOARD_TREND_WEEKS }, (_, week) => addDays(monday, -7 * (DASHBOARD_TREND_WEEKS - 1 - week)));
}
