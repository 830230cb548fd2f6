import type { RequestBody, ResponseOf } from '@baoxue/shared';
import { call, fileUrl, upload, type UploadInput } from './request';

/**
 * What reaches a parent (BRIEF §6): the children they bound, enrolment notices 入学通知书, school
 * notices and each child's subsidy record. Only subpackages use this; the home page's counts are in
 * parent-summary.ts, which is in the main package.
 */
export type BoundChild = ResponseOf<'childrenMine'>['items'][number];
export type EnrolmentNotice = ResponseOf<'enrolmentGet'>;
export type ReceivedSchoolNotice = ResponseOf<'schoolNoticesRead'>;

export const childrenApi = {
  mine: () => call('childrenMine'),
  bind: (body: RequestBody<'childrenBind'>) => call('childrenBind', { body }),
  unbind: (id: string) => call('childrenUnbind', { params: { id } }),
  /** Entitlements by semester, every payment, benefits in kind and complaints; parents see their own children's. */
  subsidies: (id: string) => call('childrenSubsidies', { params: { id } }),
  /** Which units read the child's record, when and why (officials by unit and role, never by name). */
  accessHistory: (id: string, cursor?: string) => call('childrenAccessHistory', { params: { id }, query: { cursor, limit: 20 } }),
};

export const enrolmentApi = {
  mine: () => call('enrolmentMine'),
  /** Opening a notice as its guardian marks it read (已查看). */
  get: (id: string) => call('enrolmentGet', { params: { id } }),
  acknowledge: (id: string) => call('enrolmentAcknowledge', { params: { id } }),
  applyDeferral: (id: string, body: RequestBody<'deferralsApply'>) => call('deferralsApply', { params: { id }, body }),
  /** The document photo (e.g. a hospital certificate) a deferral carries: sent first, the application names its id. */
  uploadDocument: async (file: UploadInput) => {
    const uploaded = await upload('uploadsCreate', file, { purpose: 'deferral_document' });
    return { ...uploaded, url: fileUrl(uploaded.url) };
  },
};

export const schoolNoticesApi = {
  mine: (cursor?: string, limit = 20) => call('schoolNoticesMine', { query: { cursor, limit } }),
  read: (id: string) => call('schoolNoticesRead', { params: { id } }),
};
