import type { ResponseOf } from '@baoxue/shared';
import { call } from './request';

/** Following up enrolment notices 入学通知书 (officials): who has not acknowledged, and reminders. */
export type EnrolmentBatch = ResponseOf<'enrolmentBatches'>['items'][number];
export type FollowUp = ResponseOf<'enrolmentFollowUp'>;

export const followUpApi = {
  batches: () => call('enrolmentBatches'),
  /** Per school and village in the caller's scope; one batch, or all of them. */
  followUp: (batchId: string | undefined) => call('enrolmentFollowUp', { query: { batchId } }),
  /** Reminds the guardians of pending notices of a batch (at most once a day each), optionally in one village. */
  remind: (batchId: string, under: string | null) => call('enrolmentRemind', { params: { id: batchId }, body: { under } }),
};
