import { previousReportPeriod, reportPeriodLabel, type ReportKind, type ReportStatus } from '@baoxue/shared';

/** How a report stands, as the pages show it: a returned report that its approver reopened says so. */
export type ReportShownStatus = ReportStatus | 'reopened' | 'missing';

export const REPORT_STATUS_TEXT: Record<ReportShownStatus, string> = {
  missing: '未生成',
  draft: '草稿',
  submitted: '已上报，待审核',
  approved: '已审核通过',
  returned: '已退回',
  reopened: '已重新打开',
};

/** The status of a report with its history: `returned` after a reopening is shown as 已重新打开. */
export function shownStatus(status: ReportShownStatus, history: ReadonlyArray<{ action: string }> = []): ReportShownStatus {
  if (status !== 'returned') return status;
  // the unit may have refreshed or explained since: what sent it back is the last return or reopening
  const sentBack = [...history].reverse().find((event) => event.action === 'return' || event.action === 'reopen');
  return sentBack?.action === 'reopen' ? 'reopened' : 'returned';
}

/** The units that report to the level above, as a list's title names them. */
export const REPORTING_UNITS: Record<ReportKind, string> = {
  school_monthly: '各学校',
  township_monthly: '各乡镇',
  county_quarterly: '各县',
};

/** A period and the few before it, newest first, to choose from: `2026-11`, `2026-10`, … */
export function recentPeriods(period: string, count: number): Array<{ value: string; label: string }> {
  const periods = [period];
  while (periods.length < count) periods.push(previousReportPeriod(periods.at(-1)!));
  return periods.map((value) => ({ value, label: shortPeriodLabel(value) }));
}

/** `2026年11月` → `11月`, `2026年第四季度` → `2026年四季度`: short enough for a row of choices. */
function shortPeriodLabel(period: string): string {
  const label = reportPeriodLabel(period);
  return period.includes('Q') ? label.replace('第', '') : label.replace(/^\d{4}年/, `${period.slice(2, 4)}年`);
}
