import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { downloadFile } from './download';
import { call, upload, type UploadInput } from './request';

export type SubsidyPolicy = ResponseOf<'subsidyPolicies'>['items'][number];
export type Eligibility = ResponseOf<'eligibilityList'>['items'][number];
export type Payment = ResponseOf<'paymentsList'>['items'][number];
export type Complaint = ResponseOf<'complaintsList'>['items'][number];
export type SubsidyImportResult = ResponseOf<'paymentsImport'>;

/** The county's student-aid office (学生资助): rates, eligible pupils, payments and parents' complaints. */
export const subsidyOfficeApi = {
  policies: () => call('subsidyPolicies'),
  createPolicy: (body: RequestBody<'subsidyPoliciesCreate'>) => call('subsidyPoliciesCreate', { body }),
  endPolicy: (id: string, effectiveTo: string) => call('subsidyPoliciesEnd', { params: { id }, body: { effectiveTo } }),

  eligibility: (query: RequestQuery<'eligibilityList'>) => call('eligibilityList', { query }),
  eligibilityTemplate: () => downloadFile('eligibilityTemplate', { fileName: '资助对象导入模板.xlsx' }),
  importEligibility: (file: UploadInput) => upload('eligibilityImport', file),

  payments: (query: RequestQuery<'paymentsList'>) => call('paymentsList', { query }),
  paymentsTemplate: () => downloadFile('paymentsTemplate', { fileName: '资助发放表导入模板.xlsx' }),
  importPayments: (file: UploadInput) => upload('paymentsImport', file),

  complaints: (query: RequestQuery<'complaintsList'>) => call('complaintsList', { query }),
};
