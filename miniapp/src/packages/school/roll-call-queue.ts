import type { RollCallRequest } from '@baoxue/shared';
import { rollCallOutbox, type QueuedRollCall, type RollCallOutcome } from '../../services/roll-call-outbox';
import { randomUuid } from '../../utils/uuid';

/**
 * How the roll-call page puts a roll call in the outbox (services/roll-call-outbox.ts). Here, not
 * beside the outbox, so that only the school subpackage carries it: the main package holds the
 * outbox itself (it sends at launch and when the network returns).
 */
export type RollCallBody = Omit<RollCallRequest, 'clientKey'>;
type ClassDay = Pick<RollCallBody, 'grade' | 'className' | 'day'>;

const sameClassDay = (a: ClassDay, b: ClassDay) => a.grade === b.grade && a.className === b.className && a.day === b.day;

/** The signed-in teacher's roll call of this class and day still on the phone, if any. */
export function queuedRollCall(userId: string | null | undefined, at: ClassDay, items?: QueuedRollCall[]): QueuedRollCall | null {
  return rollCallOutbox.queued(userId, items).find((item) => sameClassDay(item.body, at)) || null;
}

const marksText = (body: RollCallBody) =>
  body.marks
    .map((mark) => mark.childId + ':' + mark.reason)
    .sort()
    .join(',');

/**
 * Sends a roll call the teacher just submitted (see Outbox.submit in services/outbox.ts). The same
 * marks submitted again while an earlier submission still waits keep that submission's key (it may
 * have reached the server already); changed marks are a new submission, which supersedes the waiting
 * one of the same class and day: the outbox sends in order, so the older can never arrive after the
 * newer.
 */
export function submitRollCall(userId: string, label: string, body: RollCallBody): Promise<RollCallOutcome> {
  const earlier = queuedRollCall(userId, body);
  const key = earlier && earlier.state === 'waiting' && marksText(earlier.body) === marksText(body) ? earlier.key : randomUuid();
  return rollCallOutbox.submit(
    { key, userId, label, body: Object.assign({}, body, { clientKey: key }) },
    (other) => other.userId === userId && sameClassDay(other.body, body),
  );
}
