import Taro from '@tarojs/taro';
import type { ResponseOf, RollCallRequest } from '@baoxue/shared';
import { createStore } from '../stores/create-store';
import { sessionStore } from '../stores/session';
import { randomUuid } from '../utils/uuid';
import { ApiError, call, messageOf } from './request';

export type RollCallSent = ResponseOf<'rollCallsSubmit'>;

/**
 * Roll calls waiting on this phone for the server (BRIEF §4a: village schools lose signal). The same
 * guarantees as the tip outbox (services/tip-outbox.ts): a roll call is stored before the first
 * attempt and leaves the phone only on a 2xx; its clientKey goes with every attempt, so a retry of a
 * request that did arrive returns the stored roll call instead of writing again.
 *
 * One submission (one tap on 提交) is one key. A newer submission of the same class and day
 * supersedes a waiting one; attempts run one at a time, oldest first, so an older submission can
 * never reach the server after a newer one. Attempts happen on submit, when the network comes back,
 * when the app is shown or launched, when the owner signs in, and on a backoff timer.
 */
export interface QueuedRollCall {
  /** The clientKey. */
  key: string;
  /** Whose roll call: only they can send it, with their own session. */
  userId: string;
  body: RollCallRequest;
  /** 七年级2班, for lists on the phone. */
  label: string;
  queuedAt: string;
  attempts: number;
  /** `waiting`: sent as soon as possible; `rejected`: the server refused it and the teacher must change it. */
  state: 'waiting' | 'rejected';
  /** Why the last attempt did not succeed, in Chinese. */
  error: string | null;
  /** For a refused roll call: field path → message. */
  fields: Record<string, string>;
}

export type RollCallOutcome = { kind: 'sent'; sent: RollCallSent } | { kind: 'queued'; reason: string };

type Attempt = { kind: 'sent'; sent: RollCallSent } | { kind: 'kept'; reason: string } | { kind: 'refused'; error: ApiError };

export const ROLL_CALL_OUTBOX_KEY = 'baoxue.rollCallOutbox';
/** Waits between automatic retries while the server cannot be reached; the last one repeats. */
export const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 120_000, 300_000] as const;

function readStored(): QueuedRollCall[] {
  try {
    const stored = Taro.getStorageSync<QueuedRollCall[] | ''>(ROLL_CALL_OUTBOX_KEY);
    return Array.isArray(stored)
      ? stored.filter((item) => item && typeof item.key === 'string' && typeof item.userId === 'string' && item.body)
      : [];
  } catch {
    return [];
  }
}

export const rollCallOutboxStore = createStore<QueuedRollCall[]>(readStored());

function save(items: QueuedRollCall[]): void {
  // Storage first: what the teacher is told is saved must be saved.
  Taro.setStorageSync(ROLL_CALL_OUTBOX_KEY, items);
  rollCallOutboxStore.set(items);
}

function update(key: string, change: (item: QueuedRollCall) => QueuedRollCall): void {
  save(rollCallOutboxStore.get().map((item) => (item.key === key ? change(item) : item)));
}

function remove(key: string): void {
  save(rollCallOutboxStore.get().filter((item) => item.key !== key));
}

export function queuedRollCalls(userId: string | null | undefined, items: QueuedRollCall[] = rollCallOutboxStore.get()): QueuedRollCall[] {
  return userId ? items.filter((item) => item.userId === userId) : [];
}

const sameClassDay = (a: RollCallRequest, b: RollCallRequest) => a.grade === b.grade && a.className === b.className && a.day === b.day;

/** The signed-in teacher's roll call of this class and day still on the phone, if any. */
export function queuedRollCall(
  userId: string | null | undefined,
  at: Pick<RollCallRequest, 'grade' | 'className' | 'day'>,
  items: QueuedRollCall[] = rollCallOutboxStore.get(),
): QueuedRollCall | null {
  return queuedRollCalls(userId, items).find((item) => sameClassDay(item.body, at as RollCallRequest)) || null;
}

type SentListener = (item: QueuedRollCall, sent: RollCallSent) => void;
const sentListeners = new Set<SentListener>();

/** Called whenever a queued roll call reaches the server, whoever sent it (the page, the network listener…). */
export function onRollCallSent(listener: SentListener): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

/** No network, a timeout, the server down, or a session that ended (it goes once its owner signs in again). */
function isTransient(failure: unknown): boolean {
  if (!(failure instanceof ApiError)) return true;
  return failure.status === 0 || failure.status >= 500 || failure.status === 401 || failure.status === 408 || failure.status === 429;
}

// Promises rather than async/await here: this file is in the main package, where regenerator code costs.

/** Attempts one after another: the server sees a class's submissions in the order they were made. */
let chain: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const next = chain.then(task, task);
  chain = next.catch(() => undefined);
  return next;
}

const sentThisRun = new Map<string, RollCallSent>();

function attempt(item: QueuedRollCall): Promise<Attempt> {
  return call('rollCallsSubmit', { body: item.body }, { redirectOnUnauthorized: false }).then(
    (sent): Attempt => {
      remove(item.key);
      sentThisRun.set(item.key, sent);
      sentListeners.forEach((listener) => listener(item, sent));
      return { kind: 'sent', sent };
    },
    (failure: unknown): Attempt => {
      if (!isTransient(failure)) return { kind: 'refused', error: failure as ApiError };
      const reason = messageOf(failure);
      update(item.key, (current) => ({ ...current, attempts: current.attempts + 1, error: reason }));
      return { kind: 'kept', reason };
    },
  );
}

/**
 * Sends a roll call the teacher just submitted. It is stored before this returns its promise;
 * `sent` means the server has it, `queued` that it waits on the phone and goes by itself. A refusal
 * (not a school day, a pupil not in the class, closed) is thrown as the ApiError and the roll call
 * leaves the outbox: the page still holds the marks and shows why.
 *
 * The same marks submitted again while an earlier submission still waits keep that submission's
 * key (it may have reached the server already); changed marks are a new submission.
 */
export function submitRollCall(userId: string, label: string, body: Omit<RollCallRequest, 'clientKey'>): Promise<RollCallOutcome> {
  const items = rollCallOutboxStore.get();
  const earlier = items.find((item) => item.userId === userId && sameClassDay(item.body, body as RollCallRequest));
  const same = earlier && earlier.state === 'waiting' && sameMarks(earlier.body, body) ? earlier : null;
  const key = same ? same.key : randomUuid();
  const item: QueuedRollCall = {
    key,
    userId,
    body: { ...body, clientKey: key },
    label,
    queuedAt: same ? same.queuedAt : new Date().toISOString(),
    attempts: same ? same.attempts : 0,
    state: 'waiting',
    error: null,
    fields: {},
  };
  save(items.filter((other) => other !== earlier).concat(item));

  return serially((): Promise<RollCallOutcome> => {
    const already = sentThisRun.get(key);
    if (already) return Promise.resolve({ kind: 'sent', sent: already });
    const current = rollCallOutboxStore.get().find((other) => other.key === key);
    // Superseded meanwhile by a newer submission of the same class and day.
    if (!current) return Promise.resolve({ kind: 'queued', reason: '已有更新的点名' });
    return attempt(current).then((result) => {
      if (result.kind === 'sent') {
        retryStep = 0;
        return result;
      }
      if (result.kind === 'kept') {
        scheduleRetry();
        return { kind: 'queued', reason: result.reason };
      }
      remove(key);
      throw result.error;
    });
  });
}

function sameMarks(a: Omit<RollCallRequest, 'clientKey'>, b: Omit<RollCallRequest, 'clientKey'>): boolean {
  const text = (marks: RollCallRequest['marks']) =>
    marks
      .map((mark) => mark.childId + ':' + mark.reason)
      .sort()
      .join(',');
  return text(a.marks) === text(b.marks);
}

/** Forgets a refused roll call the teacher decided not to correct. */
export function discardRollCall(key: string): void {
  remove(key);
}

let flushing: Promise<void> | null = null;

/** Sends the signed-in teacher's waiting roll calls, oldest first; one run at a time. */
export function flushRollCalls(): Promise<void> {
  if (!flushing) {
    flushing = serially(run).then(
      () => {
        flushing = null;
      },
      () => {
        flushing = null;
      },
    );
  }
  return flushing;
}

function run(): Promise<void> {
  const { token, user } = sessionStore.get();
  if (!token || !user) return Promise.resolve();
  const waiting = queuedRollCalls(user.id).filter((item) => item.state === 'waiting');
  const next = (index: number): Promise<void> => {
    const item = waiting[index];
    if (!item) {
      retryStep = 0;
      cancelRetry();
      return Promise.resolve();
    }
    return attempt(item).then((result) => {
      // The next ones would meet the same network: wait and try again later.
      if (result.kind === 'kept') return scheduleRetry();
      if (result.kind === 'refused') {
        update(item.key, (current) => ({
          ...current,
          state: 'rejected',
          attempts: current.attempts + 1,
          error: result.error.message,
          fields: result.error.fields,
        }));
      }
      return next(index + 1);
    });
  };
  return next(0);
}

let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryStep = 0;

function scheduleRetry(): void {
  if (retryTimer) return;
  const delay = RETRY_DELAYS_MS[Math.min(retryStep, RETRY_DELAYS_MS.length - 1)]!;
  retryStep += 1;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flushRollCalls();
  }, delay);
}

function cancelRetry(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
}

let started = false;

/** Called once at launch: sends what an earlier run left behind and listens for the network and sign-in. */
export function startRollCallOutbox(): void {
  if (started) return;
  started = true;
  Taro.onNetworkStatusChange(({ isConnected }) => {
    if (isConnected) void flushRollCalls();
  });
  // Taro's H5 network listener needs navigator.connection, which most browsers lack.
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', () => void flushRollCalls());
  const userIdNow = () => {
    const { user } = sessionStore.get();
    return user ? user.id : null;
  };
  let lastUserId = userIdNow();
  sessionStore.subscribe(() => {
    const userId = userIdNow();
    if (userId && userId !== lastUserId) void flushRollCalls();
    lastUserId = userId;
  });
  void flushRollCalls();
}
