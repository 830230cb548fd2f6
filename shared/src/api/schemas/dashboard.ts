import { z } from 'zod';
import { dispatchItem } from './case-handling';
import { dropoutRow } from './registry';

/**
 * The home dashboard (工作台) of a county admin (the county) or a township leader (the township):
 * the case figures of the caller's inbox, the dropout rates against the targets, a trend of the
 * last weeks and today's dispatch items. Each figure names the list it counts, so the mini program
 * opens exactly the cases behind the number.
 */
export const DASHBOARD_TREND_WEEKS = 12;
/** How many dispatch items the dashboard shows before "all". */
export const DASHBOARD_DISPATCH_ITEMS = 5;

/** The inbox filters a case figure counts (`listCasesQuery`'s own names and values). */
export const dashboardCaseFilter = z.object({
  open: z.literal('true').optional(),
  overdue: z.literal('true').optional(),
  dueToday: z.literal('true').optional(),
  returnedIn: z.string().optional(),
  closedIn: z.string().optional(),
});
export type DashboardCaseFilter = z.infer<typeof dashboardCaseFilter>;

export const dashboardCaseFigure = z.object({
  label: z.string(),
  count: z.number(),
  /** The inbox's query that lists these cases. */
  filter: dashboardCaseFilter,
  /** The mini program page (with its query) that lists them. */
  link: z.string(),
});
export type DashboardCaseFigure = z.infer<typeof dashboardCaseFigure>;

const rateCell = dropoutRow.shape.primary;

export const dashboardRate = rateCell.extend({
  stage: z.enum(['primary', 'junior', 'poor']),
  label: z.string(),
});
export type DashboardRate = z.infer<typeof dashboardRate>;

export const dashboardWeek = z.object({
  /** The Monday the week starts on (China time), `2026-11-30`. */
  weekStart: z.string(),
  /** Cases opened in the week: new suspected dropouts. */
  newCases: z.number(),
  /** Children returned to school in the week (cases returned or closed since). */
  returns: z.number(),
});
export type DashboardWeek = z.infer<typeof dashboardWeek>;

export const dashboardResponse = z.object({
  generatedAt: z.string(),
  /** Today and this month in China, as the figures count them. */
  today: z.string(),
  month: z.string(),
  unitName: z.string(),
  cases: z.object({
    open: dashboardCaseFigure,
    overdue: dashboardCaseFigure,
    dueToday: dashboardCaseFigure,
    returnedThisMonth: dashboardCaseFigure,
    closedThisMonth: dashboardCaseFigure,
  }),
  /** The dropout rates of the school year, as the statistics compute them. */
  rates: z.object({ schoolYear: z.number(), stages: z.array(dashboardRate), link: z.string() }),
  /** Oldest week first; the last is the current week. */
  trend: z.array(dashboardWeek),
  /** The first items of 一日一调度 and how many it holds. */
  dispatch: z.object({ count: z.number(), items: z.array(dispatchItem), link: z.string() }),
});
export type DashboardResponse = z.infer<typeof dashboardResponse>;
