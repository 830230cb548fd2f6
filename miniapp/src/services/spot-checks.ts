import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { downloadFile } from './download';
import { call } from './request';

export type SpotCheck = ResponseOf<'spotChecksGet'>;
export type SpotCheckSummary = ResponseOf<'spotChecksList'>['items'][number];
export type SpotCheckItem = SpotCheck['sample'][number];
export type Rectification = ResponseOf<'rectificationsList'>['items'][number];

/** 督导 spot checks: the county draws and inspectors record findings; 整改 items go to the townships and back. */
export const spotChecksApi = {
  draw: (body: RequestBody<'spotChecksDraw'>) => call('spotChecksDraw', { body }),
  list: (query: RequestQuery<'spotChecksList'>) => call('spotChecksList', { query }),
  get: (id: string, township?: string) => call('spotChecksGet', { params: { id }, query: township ? { township } : {} }),
  recordFinding: (id: string, itemId: string, body: RequestBody<'spotChecksRecordFinding'>) =>
    call('spotChecksRecordFinding', { params: { id, itemId }, body }),
  export: (check: Pick<SpotCheck, 'id' | 'from' | 'to'>) =>
    downloadFile('spotChecksExport', { params: { id: check.id }, fileName: `督导抽查${check.from}至${check.to}.xlsx` }),
  rectifications: (query: RequestQuery<'rectificationsList'>) => call('rectificationsList', { query }),
  report: (id: string, body: RequestBody<'rectificationsReport'>) => call('rectificationsReport', { params: { id }, body }),
  review: (id: string, body: RequestBody<'rectificationsReview'>) => call('rectificationsReview', { params: { id }, body }),
};
