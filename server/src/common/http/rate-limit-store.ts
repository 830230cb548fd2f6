import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock';

/** A fixed window's state: attempts counted in it, and how long until it ends. */
export interface WindowState {
  count: number;
  resetInMs: number;
}

/**
 * Where the rate limits count. Fixed windows: a window starts at its key's first attempt and lasts
 * `windowMs`; a refused attempt is not counted. Each method is one atomic step.
 */
export abstract class RateLimitStore {
  /** Counts one attempt unless `limit` were made already; `allowed` says which. */
  abstract take(key: string, limit: number, windowMs: number): Promise<WindowState & { allowed: boolean }>;
  /** Uncounts one attempt of the window still open, if any. */
  abstract refund(key: string): Promise<void>;
  /** Started and stopped with the server (CoreModule). */
  async open(): Promise<void> {}
  async close(): Promise<void> {}
}

interface Window {
  startedAt: number;
  windowMs: number;
  count: number;
}

/**
 * In this process's memory: one instance only (the configuration refuses a cluster without Redis).
 * Windows that are over are swept once a minute, so memory holds only live keys.
 */
export class MemoryRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(private readonly clock: Clock) {
    super();
  }

  async take(key: string, limit: number, windowMs: number): Promise<WindowState & { allowed: boolean }> {
    const window = this.current(key, windowMs);
    const allowed = window.count < limit;
    if (allowed) window.count++;
    return { allowed, ...this.state(window) };
  }

  async refund(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.count > 0 && this.clock.now().getTime() - window.startedAt < window.windowMs) window.count--;
  }

  /** Keys with a window still open (tests check the sweep). */
  get size(): number {
    return this.windows.size;
  }

  private current(key: string, windowMs: number): Window {
    const now = this.clock.now().getTime();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, windowMs, count: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private state(window: Window): WindowState {
    return { count: window.count, resetInMs: window.startedAt + window.windowMs - this.clock.now().getTime() };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.startedAt >= window.windowMs) this.windows.delete(key);
  }
}

/*
 * Each step is one Lua script: Redis runs it atomically, so instances counting the same key at the
 * same moment never both see the last free attempt, and each step is one round trip. The window's
 * expiry is set by its first attempt and never extended, which makes it fixed.
 */

/** Opens the key's window (count 0, expiring after ARGV[1] ms) unless one is open; `ttl` is what is left of it. */
const OPEN_WINDOW = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('SET', KEYS[1], 0, 'PX', ARGV[1])
  ttl = tonumber(ARGV[1])
end`;

/** ARGV: windowMs, limit. Answers {allowed, count, ttl}. */
const TAKE = `${OPEN_WINDOW}
local count = tonumber(redis.call('GET', KEYS[1]))
if count >= tonumber(ARGV[2]) then return {0, count, ttl} end
return {1, redis.call('INCR', KEYS[1]), ttl}`;

/** Uncounts one attempt; a window that is over (no key) stays over. */
const REFUND = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return count`;

/** How long a limited action waits for Redis before it is refused (503) rather than left unlimited. */
const COMMAND_TIMEOUT_MS = 1000;
/** How long the server waits for Redis at start before serving anyway (limited actions answer 503 until it is up). */
const CONNECT_WAIT_MS = 3000;

type Scripted = Redis & {
  bxTake(key: string, windowMs: number, limit: number): Promise<[number, number, number]>;
  bxRefund(key: string): Promise<number>;
};

/** In Redis, shared by every instance: what a cluster runs (REDIS_URL). */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly redis: Scripted;
  private reported = false;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    super();
    this.redis = new Redis(url, {
      // while Redis is away, commands fail at once (the limited action answers 503) instead of queueing
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_WAIT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    }) as Scripted;
    this.redis.defineCommand('bxTake', { numberOfKeys: 1, lua: TAKE });
    this.redis.defineCommand('bxRefund', { numberOfKeys: 1, lua: REFUND });
    this.redis.on('error', (error: Error) => {
      if (this.reported) return;
      this.reported = true;
      this.logger.warn({ err: error.message }, 'Redis unreachable: sign-in and invitation limits answer 503 until it is back');
    });
    this.redis.on('ready', () => {
      if (this.reported) this.logger.info('Redis is back');
      this.reported = false;
    });
  }

  override async open(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CONNECT_WAIT_MS);
      this.redis.once('ready', () => (clearTimeout(timer), resolve()));
    });
  }

  override async close(): Promise<void> {
    this.redis.disconnect();
  }

  async take(key: string, limit: number, windowMs: number): Promise<WindowState & { allowed: boolean }> {
    const [allowed, count, ttl] = await this.redis.bxTake(this.key(key), windowMs, limit);
    return { allowed: allowed === 1, count, resetInMs: ttl };
  }

  async refund(key: string): Promise<void> {
    await this.redis.bxRefund(this.key(key));
  }

  private key(key: string): string {
    return `${this.keyPrefix}limit:${key}`;
  }
}
