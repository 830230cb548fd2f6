import type { ResponseOf, RollCallRequest } from '@baoxue/shared';
import { createOutbox, type Outcome, type Queued } from './outbox';
import { call } from './request';

/**
 * Roll calls waiting on this phone for the server (BRIEF §4a: village schools lose signal): the
 * outbox of services/outbox.ts. A roll call's key is its clientKey; one submission (one tap on 提交)
 * is one key. How a submission is made (which key, which waiting one it supersedes) is the roll-call
 * page's: packages/school/roll-call-queue.ts, outside the main package.
 */
export type RollCallSent = ResponseOf<'rollCallsSubmit'>;

export interface QueuedRollCall extends Queued<RollCallRequest> {
  /** 七年级2班, for lists on the phone. */
  label: string;
}

export type RollCallOutcome = Outcome<RollCallSent>;

export const rollCallOutbox = createOutbox<RollCallRequest, RollCallSent, QueuedRollCall>(
  'baoxue.rollCallOutbox',
  (body) => call('rollCallsSubmit', { body }, { redirectOnUnauthorized: false }),
  // A rate limit only means later: the marks are taken, the teacher has nothing to change.
  (failure) => failure.status === 429,
);
