import { REPORT_KINDS } from '@baoxue/shared';
import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { downloadFile } from './download';
import { call } from './request';

export type Report = ResponseOf<'reportsGet'>;
export type MyReports = ResponseOf<'reportsMine'>;
export type ReportList = ResponseOf<'reportsList'>;
export type ReportRow = ReportList['rows'][number];
export type ReportKindValue = Report['kind'];

/** 定期报告 (BRIEF §5a): a unit's monthly or quarterly report up the chain, and its units' reports for the level above. */
export const reportsApi = {
  mine: () => call('reportsMine'),
  list: (query: RequestQuery<'reportsList'>) => call('reportsList', { query }),
  /** Makes the draft of a period, or generates its figures afresh (生成 / 刷新). */
  open: (body: RequestBody<'reportsOpen'>) => call('reportsOpen', { body }),
  get: (id: string) => call('reportsGet', { params: { id } }),
  update: (id: string, body: RequestBody<'reportsUpdate'>) => call('reportsUpdate', { params: { id }, body }),
  submit: (id: string, body: RequestBody<'reportsSubmit'>) => call('reportsSubmit', { params: { id }, body }),
  approve: (id: string, body: RequestBody<'reportsApprove'>) => call('reportsApprove', { params: { id }, body }),
  return: (id: string, body: RequestBody<'reportsReturn'>) => call('reportsReturn', { params: { id }, body }),
  reopen: (id: string, body: RequestBody<'reportsReopen'>) => call('reportsReopen', { params: { id }, body }),
  export: (report: Pick<Report, 'id' | 'kind' | 'unit' | 'periodLabel'>) =>
    downloadFile('reportsExport', {
      params: { id: report.id },
      fileName: `${report.unit.name}${report.periodLabel}${REPORT_KINDS[report.kind]}.xlsx`,
    }),
};
