import type { RequestBody } from '@baoxue/shared';
import { createOutbox, type Outcome, type Queued } from './outbox';
import { call } from './request';
import { withPhotoUrl, type CreatedTip } from './tips';

/**
 * Tips waiting on this phone for the server (BRIEF §3: a tip is never lost): the outbox of
 * services/outbox.ts. A tip's key is its idempotency key, made when its draft starts.
 */
export type TipBody = RequestBody<'tipsCreate'>;

export interface QueuedTip extends Queued<TipBody> {
  /** The form's own state, so a refused tip can be opened, corrected and sent again. */
  draft: unknown;
}

export type SubmitOutcome = Outcome<CreatedTip>;

export const tipOutbox = createOutbox<TipBody, CreatedTip, QueuedTip>(
  'baoxue.tipOutbox',
  (body) =>
    call('tipsCreate', { body }, { redirectOnUnauthorized: false }).then((created) =>
      Object.assign({}, created, { tip: withPhotoUrl(created.tip) }),
    ),
  // In the background a rate limit only means "later"; on a tap the person is told at once.
  (failure, background) => background && failure.status === 429,
);
