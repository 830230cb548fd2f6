import Taro from '@tarojs/taro';
import type { RequestBody } from '@baoxue/shared';
import { createStore } from '../stores/create-store';
import { sessionStore } from '../stores/session';
import { ApiError, messageOf } from './request';
import { tipsApi, type CreatedTip } from './tips';

/**
 * Tips waiting on this phone for the server (BRIEF §3: a tip is never lost). A tip is written to
 * storage before the first attempt, so closing the app mid-request loses nothing; it leaves the
 * outbox only when the server answered 2xx. Its idempotency key goes with every attempt, so a
 * retry of a request that did arrive returns the same tip instead of a second one.
 *
 * Attempts happen on submit, when the network comes back, when the app is shown or launched,
 * when its owner signs in, and on a backoff timer while the server is unreachable.
 */
export type TipBody = RequestBody<'tipsCreate'>;

export interface QueuedTip {
  /** The idempotency key. */
  key: string;
  /** Whose tip: only they can send it, with their own session. */
  userId: string;
  body: TipBody;
  /** The form's own state, so a refused tip can be opened, corrected and sent again. */
  draft: unknown;
  queuedAt: string;
  attempts: number;
  /** `waiting`: sent as soon as possible; `rejected`: the server refused it and the person must change it. */
  state: 'waiting' | 'rejected';
  /** Why the last attempt did not succeed, in Chinese. */
  error: string | null;
  /** For a refused tip: field path → message. */
  fields: Record<string, string>;
}

export type SubmitOutcome = { kind: 'sent'; created: CreatedTip } | { kind: 'queued'; reason: string };

type Attempt = { kind: 'sent'; created: CreatedTip } | { kind: 'kept'; reason: string } | { kind: 'refused'; error: ApiError };

export const OUTBOX_STORAGE_KEY = 'baoxue.tipOutbox';
/** Waits between automatic retries while the server cannot be reached; the last one repeats. */
export const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 120_000, 300_000] as const;

function readStored(): QueuedTip[] {
  try {
    const stored = Taro.getStorageSync<QueuedTip[] | ''>(OUTBOX_STORAGE_KEY);
    return Array.isArray(stored) ? stored.filter((item) => item && typeof item.key === 'string' && typeof item.userId === 'string') : [];
  } catch {
    return [];
  }
}

/** Every queued tip on this phone; pages show the signed-in user's (`queuedFor`). */
export const outboxStore = createStore<QueuedTip[]>(readStored());

function save(items: QueuedTip[]): void {
  // Storage first: what the person sees as saved must be saved.
  Taro.setStorageSync(OUTBOX_STORAGE_KEY, items);
  outboxStore.set(items);
}

function update(key: string, change: (item: QueuedTip) => QueuedTip): void {
  save(outboxStore.get().map((item) => (item.key === key ? change(item) : item)));
}

export function removeQueuedTip(key: string): void {
  save(outboxStore.get().filter((item) => item.key !== key));
}

export function queuedFor(userId: string | null | undefined, items: QueuedTip[] = outboxStore.get()): QueuedTip[] {
  return userId ? items.filter((item) => item.userId === userId) : [];
}

type SentListener = (item: QueuedTip, created: CreatedTip) => void;
const sentListeners = new Set<SentListener>();
/** What the server answered for tips sent during this run, by key, for a page that was not listening yet. */
const sentThisRun = new Map<string, CreatedTip>();

export function sentTip(key: string): CreatedTip | null {
  return sentThisRun.get(key) ?? null;
}

/** Called whenever a queued tip reaches the server, whoever sent it (a page, the network listener…). */
export function onTipSent(listener: SentListener): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

const inFlight = new Set<string>();

/**
 * Whether a failure is worth retrying as it is: no network, a timeout, the server down, or a
 * session that ended (the tip goes once its owner signs in again).
 */
function isTransient(failure: unknown): boolean {
  if (!(failure instanceof ApiError)) return true;
  return failure.status === 0 || failure.status >= 500 || failure.status === 401 || failure.status === 408;
}

async function attempt(item: QueuedTip, background: boolean): Promise<Attempt> {
  inFlight.add(item.key);
  try {
    const created = await tipsApi.create(item.body);
    removeQueuedTip(item.key);
    sentThisRun.set(item.key, created);
    sentListeners.forEach((listener) => listener(item, created));
    return { kind: 'sent', created };
  } catch (failure) {
    // In the background a rate limit only means "later"; on a tap the person is told at once.
    const keep = isTransient(failure) || (background && failure instanceof ApiError && failure.status === 429);
    if (keep) {
      const reason = messageOf(failure);
      update(item.key, (current) => ({ ...current, attempts: current.attempts + 1, error: reason }));
      return { kind: 'kept', reason };
    }
    return { kind: 'refused', error: failure as ApiError };
  } finally {
    inFlight.delete(item.key);
  }
}

/**
 * Sends a tip the person just submitted. It is stored before this returns its promise (before any
 * await), so the caller may drop its own copy at once. `sent` means the server has it,
 * `queued` that it waits on the phone and goes by itself. A refusal (bad input, rate limit) is
 * thrown as the ApiError and the tip leaves the outbox: the form still holds it and shows why.
 */
export async function submitTip(userId: string, body: TipBody, draft: unknown): Promise<SubmitOutcome> {
  const existing = outboxStore.get().find((item) => item.key === body.idempotencyKey);
  const item: QueuedTip = {
    key: body.idempotencyKey,
    userId,
    body,
    draft,
    queuedAt: existing?.queuedAt ?? new Date().toISOString(),
    attempts: existing?.attempts ?? 0,
    state: 'waiting',
    error: null,
    fields: {},
  };
  save([...outboxStore.get().filter((other) => other.key !== item.key), item]);
  if (inFlight.has(item.key)) return { kind: 'queued', reason: '正在发送' };

  const result = await attempt(item, false);
  if (result.kind === 'sent') {
    retryStep = 0;
    return result;
  }
  if (result.kind === 'kept') {
    scheduleRetry();
    return { kind: 'queued', reason: result.reason };
  }
  removeQueuedTip(item.key);
  throw result.error;
}

let flushing: Promise<void> | null = null;

/** Sends the signed-in user's waiting tips, oldest first; one run at a time. */
export function flushOutbox(): Promise<void> {
  flushing ??= run().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function run(): Promise<void> {
  const { token, user } = sessionStore.get();
  if (!token || !user) return;
  const waiting = queuedFor(user.id).filter((item) => item.state === 'waiting' && !inFlight.has(item.key));
  for (const item of waiting) {
    const result = await attempt(item, true);
    if (result.kind === 'kept') {
      // The next ones would meet the same network: wait and try again later.
      scheduleRetry();
      return;
    }
    if (result.kind === 'refused') {
      update(item.key, (current) => ({
        ...current,
        state: 'rejected',
        attempts: current.attempts + 1,
        error: result.error.message,
        fields: result.error.fields,
      }));
    }
  }
  retryStep = 0;
  cancelRetry();
}

let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryStep = 0;

function scheduleRetry(): void {
  if (retryTimer) return;
  const delay = RETRY_DELAYS_MS[Math.min(retryStep, RETRY_DELAYS_MS.length - 1)]!;
  retryStep += 1;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flushOutbox();
  }, delay);
}

function cancelRetry(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
}

let started = false;

/**
 * Called once at launch: sends what an earlier run left behind and listens for the moments a
 * waiting tip may get through. App show calls `flushOutbox` itself.
 */
export function startTipOutbox(): void {
  if (started) return;
  started = true;
  Taro.onNetworkStatusChange(({ isConnected }) => {
    if (isConnected) void flushOutbox();
  });
  // Taro's H5 network listener needs navigator.connection, which most browsers lack.
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', () => void flushOutbox());
  let lastUserId = sessionStore.get().user?.id ?? null;
  sessionStore.subscribe(() => {
    const userId = sessionStore.get().user?.id ?? null;
    if (userId && userId !== lastUserId) void flushOutbox();
    lastUserId = userId;
  });
  void flushOutbox();
}
