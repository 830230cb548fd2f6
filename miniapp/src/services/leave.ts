import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call, fileUrl, upload, type UploadInput } from './request';

/**
 * Leave requests 请假 (BRIEF §4a): a parent asks for leave for a bound child; the class's 班主任
 * decides. Only subpackages use this client.
 */
export type Leave = ResponseOf<'leaveMine'>['items'][number];
export type LeaveBody = RequestBody<'leaveCreate'>;

export const leaveApi = {
  /** The requests for the parent's bound children, newest first. */
  mine: (cursor?: string, limit = 20) => call('leaveMine', { query: { cursor, limit } }),
  /** The same `clientKey` again (a retry) answers with the request already stored. */
  create: (body: LeaveBody) => call('leaveCreate', { body }),
  withdraw: (id: string) => call('leaveWithdraw', { params: { id } }),
  /** The 班主任's classes' requests, a leader's school's. */
  list: (query: RequestQuery<'leaveList'>) => call('leaveList', { query }),
  decide: (id: string, body: RequestBody<'leaveDecide'>) => call('leaveDecide', { params: { id }, body }),
  /** A photo of a doctor's note: sent first, the request names its id. */
  uploadNote: async (file: UploadInput) => {
    const uploaded = await upload('uploadsCreate', file, { purpose: 'leave_note' });
    return { ...uploaded, url: fileUrl(uploaded.url) };
  },
};
