import type { RequestBody, ResponseOf } from '@baoxue/shared';
import { ApiError, call } from './request';
import { withCasePhotos, withPhotos, type CaseDetailView } from './cases';

/**
 * Handling a case after it was accepted (BRIEF §4): transitions, visits, causes, the cadre,
 * attendance, transfers, notices and re-checks; and the county's dispatch list and rules. Only the
 * handling subpackages use these, so they stay out of the main package.
 */
export type AttendanceView = ResponseOf<'casesAttendance'>;
export type TransferItem = ResponseOf<'transfersIncoming'>['items'][number];
export type CaseNoticeView = CaseDetailView['notices'][number];
export type DispatchView = ResponseOf<'dispatchList'>;
export type DispatchItem = DispatchView['items'][number];
export type RecheckDue = DispatchView['rechecksDue'][number];
export type CountySettingsView = ResponseOf<'countySettingsGet'>;

export const caseHandlingApi = {
  transition: (id: string, body: RequestBody<'casesTransition'>) => withPhotos(call('casesTransition', { params: { id }, body })),
  logVisit: (id: string, body: RequestBody<'casesLogVisit'>) => withPhotos(call('casesLogVisit', { params: { id }, body })),
  setCauses: (id: string, body: RequestBody<'casesSetCauses'>) => withPhotos(call('casesSetCauses', { params: { id }, body })),
  setAssignee: (id: string, body: RequestBody<'casesSetAssignee'>) => withPhotos(call('casesSetAssignee', { params: { id }, body })),
  confirmEnrolment: (id: string) => withPhotos(call('casesConfirmEnrolment', { params: { id } })),
  recordAttendance: (id: string, body: RequestBody<'casesRecordAttendance'>) => call('casesRecordAttendance', { params: { id }, body }),
  transfer: (id: string, body: RequestBody<'casesTransfer'>) => withPhotos(call('casesTransfer', { params: { id }, body })),
  paperDelivery: (noticeId: string, body: RequestBody<'noticesPaperDelivery'>) =>
    call('noticesPaperDelivery', { params: { id: noticeId }, body }),
  completeRecheck: (recheckId: string, body: RequestBody<'rechecksComplete'>) =>
    call('rechecksComplete', { params: { id: recheckId }, body }),
};

export const transfersApi = {
  incoming: () => call('transfersIncoming'),
  accept: (id: string) => withPhotos(call('transfersAccept', { params: { id }, body: {} })),
  reject: (id: string, note: string) => call('transfersReject', { params: { id }, body: { note } }),
};

export const dispatchApi = {
  list: () => call('dispatchList'),
};

export const countySettingsApi = {
  get: () => call('countySettingsGet'),
  update: (body: RequestBody<'countySettingsUpdate'>) => call('countySettingsUpdate', { body }),
};

/**
 * The case as it is now, when an edit was refused because someone else changed the case first
 * (409 with the latest state); null for any other failure.
 */
export function conflictingCase(error: unknown): CaseDetailView | null {
  if (!(error instanceof ApiError) || error.code !== 'CONFLICT' || !error.current) return null;
  return withCasePhotos(error.current as CaseDetailView);
}
