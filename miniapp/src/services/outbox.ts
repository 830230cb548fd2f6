import Taro from '@tarojs/taro';
import { createStore, type Store } from '../stores/create-store';
import { sessionStore } from '../stores/session';
import { ApiError, messageOf } from './request';

/**
 * Writes waiting on this phone for the server (BRIEF §3 and §4a: nothing a person submitted is lost
 * for want of a signal). One outbox per kind of write (services/tip-outbox.ts,
 * services/roll-call-outbox.ts), each with the same guarantees:
 * - a write is stored before the first attempt, so closing the app mid-request loses nothing; it
 *   leaves the phone only when the server answered 2xx;
 * - its key (the idempotency key the server deduplicates on) goes with every attempt, so a retry
 *   of a request that did arrive returns the stored record instead of writing again;
 * - attempts run one at a time, oldest first, so an older write never reaches the server after a
 *   newer one;
 * - attempts happen on submit, when the network comes back, when the app is shown or launched,
 *   when the owner signs in, and on a backoff timer while the server cannot be reached;
 * - a write the server refuses in the background stays on the phone as `rejected`, with the
 *   server's reasons, for the person to correct.
 *
 * Promises rather than async/await: this file is in the main package, where regenerator code costs.
 */
export interface Queued<B> {
  /** The idempotency key. */
  key: string;
  /** Whose write: only they can send it, with their own session. */
  userId: string;
  body: B;
  queuedAt: string;
  attempts: number;
  /** `waiting`: sent as soon as possible; `rejected`: the server refused it and the person must change it. */
  state: 'waiting' | 'rejected';
  /** Why the last attempt did not succeed, in Chinese. */
  error: string | null;
  /** For a refused write: field path → message. */
  fields: Record<string, string>;
}

/** `sent`: the server has it; `queued`: it waits on the phone and goes by itself. */
export type Outcome<R> = { kind: 'sent'; sent: R } | { kind: 'queued'; reason: string };

/** A new submission: its key, owner, body and the outbox's own fields; the rest the outbox sets. */
export type Entry<Q> = Omit<Q, 'queuedAt' | 'attempts' | 'state' | 'error' | 'fields'>;

export interface Outbox<B, R, Q extends Queued<B>> {
  /** Everything queued on this phone, every user's; pages show the signed-in user's (`queued`). */
  store: Store<Q[]>;
  queued(userId: string | null | undefined, items?: Q[]): Q[];
  /** Forgets a write (a refused one the person will not correct, or one reopened as a draft). */
  remove(key: string): void;
  /** What the server answered for a write sent during this run, for a page that was not listening yet. */
  sent(key: string): R | null;
  /** Called whenever a queued write reaches the server, whoever sent it (a page, the network listener…). */
  onSent(listener: (item: Q, sent: R) => void): () => void;
  /**
   * Sends a write the person just submitted. It is stored before this returns its promise, so the
   * caller may drop its own copy at once; a waiting write with the same key is replaced (keeping
   * its attempts), and so is every one `supersedes` names. A refusal is thrown as the ApiError and
   * the write leaves the outbox: the form still holds it and shows why.
   */
  submit(entry: Entry<Q>, supersedes?: (other: Q) => boolean): Promise<Outcome<R>>;
  /** Sends the signed-in user's waiting writes, oldest first; one run at a time. */
  flush(): Promise<void>;
  /** Called once at launch: sends what an earlier run left behind and listens for the network and sign-in. */
  start(): void;
}

/** Waits between automatic retries while the server cannot be reached; the last one repeats. */
export const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 120_000, 300_000] as const;

type Attempt<R> = { kind: 'sent'; sent: R } | { kind: 'kept'; reason: string } | { kind: 'refused'; error: ApiError };

/**
 * @param storageKey where the queue lives in the phone's storage
 * @param send the request; it must not send the person to sign-in on 401 (a background send never does)
 * @param later refusals that still only mean "try later" for this kind of write; `background`
 *   when no one is waiting on the tap. No network, a timeout, the server down and an ended session
 *   (the write goes once its owner signs in again) always mean later.
 */
export function createOutbox<B, R, Q extends Queued<B>>(
  storageKey: string,
  send: (body: B) => Promise<R>,
  later: (failure: ApiError, background: boolean) => boolean,
): Outbox<B, R, Q> {
  let initial: Q[] = [];
  try {
    const stored = Taro.getStorageSync<Q[] | ''>(storageKey);
    if (Array.isArray(stored)) {
      initial = stored.filter((item) => item && typeof item.key === 'string' && typeof item.userId === 'string' && item.body);
    }
  } catch {
    // unreadable storage: nothing waits
  }
  const store = createStore<Q[]>(initial);
  const listeners = new Set<(item: Q, sent: R) => void>();
  const sentThisRun = new Map<string, R>();

  function save(items: Q[]): void {
    // Storage first: what the person is told is saved must be saved.
    Taro.setStorageSync(storageKey, items);
    store.set(items);
  }
  const find = (key: string) => store.get().find((item) => item.key === key);
  function update(key: string, change: (item: Q) => Partial<Queued<B>>): void {
    save(store.get().map((item) => (item.key === key ? Object.assign({}, item, change(item)) : item)));
  }
  function remove(key: string): void {
    save(store.get().filter((item) => item.key !== key));
  }
  function queued(userId: string | null | undefined, items?: Q[]): Q[] {
    return userId ? (items || store.get()).filter((item) => item.userId === userId) : [];
  }

  /** Attempts one after another (the chain never rejects: each task's failure is its caller's). */
  let chain: Promise<unknown> = Promise.resolve();
  function serially<T>(task: () => T | Promise<T>): Promise<T> {
    const next = chain.then(task);
    chain = next.catch(() => undefined);
    return next;
  }

  function attempt(item: Q, background: boolean): Promise<Attempt<R>> {
    return send(item.body).then(
      (sent): Attempt<R> => {
        remove(item.key);
        sentThisRun.set(item.key, sent);
        listeners.forEach((listener) => listener(item, sent));
        return { kind: 'sent', sent };
      },
      (failure: unknown): Attempt<R> => {
        if (
          failure instanceof ApiError &&
          failure.status > 0 &&
          failure.status < 500 &&
          failure.status !== 401 &&
          failure.status !== 408 &&
          !later(failure, background)
        ) {
          return { kind: 'refused', error: failure };
        }
        const reason = messageOf(failure);
        update(item.key, (current) => ({ attempts: current.attempts + 1, error: reason }));
        return { kind: 'kept', reason };
      },
    );
  }

  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryStep = 0;
  function scheduleRetry(): void {
    if (retryTimer) return;
    const delay = RETRY_DELAYS_MS[Math.min(retryStep, RETRY_DELAYS_MS.length - 1)];
    retryStep += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void flush();
    }, delay);
  }

  function run(): Promise<void> | void {
    const { token, user } = sessionStore.get();
    if (!token || !user) return;
    const waiting = queued(user.id).filter((item) => item.state === 'waiting');
    const next = (index: number): Promise<void> | void => {
      if (index === waiting.length) {
        retryStep = 0;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
        return;
      }
      // As it is now: removed, superseded or replaced since the run began.
      const item = find(waiting[index]!.key);
      if (!item || item.state !== 'waiting') return next(index + 1);
      return attempt(item, true).then((result) => {
        // The next ones would meet the same network: wait and try again later.
        if (result.kind === 'kept') return scheduleRetry();
        if (result.kind === 'refused') {
          const { message, fields } = result.error;
          update(item.key, (current) => ({ state: 'rejected', attempts: current.attempts + 1, error: message, fields }));
        }
        return next(index + 1);
      });
    };
    return next(0);
  }

  let flushing: Promise<void> | null = null;
  function flush(): Promise<void> {
    if (!flushing) {
      const done = () => {
        flushing = null;
      };
      flushing = serially(run).then(done, done);
    }
    return flushing;
  }

  let started = false;

  return {
    store,
    queued,
    remove,
    sent: (key) => sentThisRun.get(key) || null,
    onSent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    submit(entry, supersedes) {
      const items = store.get();
      const same = items.find((other) => other.key === entry.key);
      const item = Object.assign({}, entry, {
        queuedAt: same ? same.queuedAt : new Date().toISOString(),
        attempts: same ? same.attempts : 0,
        state: 'waiting',
        error: null,
        fields: {},
      }) as Q;
      save(items.filter((other) => other.key !== item.key && !(supersedes && supersedes(other))).concat(item));

      return serially((): Outcome<R> | Promise<Outcome<R>> => {
        // Sent meanwhile by a flush (a retry of this same write under its key).
        const already = sentThisRun.get(item.key);
        if (already) {
          remove(item.key);
          return { kind: 'sent', sent: already };
        }
        const current = find(item.key);
        // Superseded meanwhile by a newer submission, or removed by the person.
        if (!current) return { kind: 'queued', reason: '已有更新的提交' };
        return attempt(current, false).then((result) => {
          if (result.kind === 'refused') {
            remove(item.key);
            throw result.error;
          }
          if (result.kind === 'kept') {
            scheduleRetry();
            return { kind: 'queued', reason: result.reason };
          }
          retryStep = 0;
          return result;
        });
      });
    },
    flush,
    start() {
      if (started) return;
      started = true;
      Taro.onNetworkStatusChange(({ isConnected }) => {
        if (isConnected) void flush();
      });
      // Taro's H5 network listener needs navigator.connection, which most browsers lack.
      if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', () => void flush());
      const userIdNow = () => {
        const { user } = sessionStore.get();
        return user ? user.id : null;
      };
      let lastUserId = userIdNow();
      sessionStore.subscribe(() => {
        const userId = userIdNow();
        if (userId && userId !== lastUserId) void flush();
        lastUserId = userId;
      });
      void flush();
    },
  };
}
