import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { downloadFile } from './download';
import { call } from './request';

export type EnrolmentBatch = ResponseOf<'enrolmentBatches'>['items'][number];
export type Deferral = ResponseOf<'deferralsList'>['items'][number];
export type SchoolNotice = ResponseOf<'schoolNoticesList'>['items'][number];

/** What officials do with notices to parents: enrolment notices in bulk, deferral decisions, school notices. */
export const noticesOfficeApi = {
  batches: () => call('enrolmentBatches'),
  issue: (body: RequestBody<'enrolmentIssue'>) => call('enrolmentIssue', { body }),
  printBatch: (batch: EnrolmentBatch) =>
    downloadFile('enrolmentBatchPdf', { params: { id: batch.id }, fileName: `入学通知书-${batch.schoolName}-${batch.schoolYear}.pdf` }),

  deferrals: (query: RequestQuery<'deferralsList'>) => call('deferralsList', { query }),
  decide: (id: string, body: RequestBody<'deferralsDecide'>) => call('deferralsDecide', { params: { id }, body }),

  schoolNotices: (query: RequestQuery<'schoolNoticesList'>) => call('schoolNoticesList', { query }),
  sendSchoolNotice: (body: RequestBody<'schoolNoticesSend'>) => call('schoolNoticesSend', { body }),
};
