import { Clock } from '../../../server/src/common/clock';
import { AppError } from '../../../server/src/common/errors/app-error';
import { RateLimiter } from '../../../server/src/common/http/rate-limiter';
import { MemoryRateLimitStore, RateLimitStore } from '../../../server/src/common/http/rate-limit-store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const quiet = { warn: () => undefined } as never;

async function refusal(action: () => Promise<void>): Promise<AppError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the limiter to refuse');
}

let clock: Clock;
let store: MemoryRateLimitStore;
let limiter: RateLimiter;

beforeEach(() => {
  // A frozen clock: Retry-After is computed from it, so real milliseconds must not leak in.
  jest.useFakeTimers({ now: new Date('2026-11-23T08:00:00Z') });
  clock = new Clock();
  store = new MemoryRateLimitStore(clock);
  limiter = new RateLimiter(store, quiet);
});

afterEach(() => {
  jest.useRealTimers();
});

describe('RateLimiter.hit', () => {
  it('allows `limit` attempts in a window and refuses the next one with 429', async () => {
    for (let i = 0; i < 3; i++) await limiter.hit('login:10.0.0.1', 3, MINUTE);
    const error = await refusal(() => limiter.hit('login:10.0.0.1', 3, MINUTE));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.status).toBe(429);
    expect(error.message).toBe('操作过于频繁，请稍后再试');
    expect(error.headers).toEqual({ 'Retry-After': '60' });
  });

  it('carries the caller’s message', async () => {
    await limiter.hit('login:10.0.0.1', 1, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    const error = await refusal(() => limiter.hit('login:10.0.0.1', 1, MINUTE, '登录尝试过于频繁，请一分钟后再试'));
    expect(error.message).toBe('登录尝试过于频繁，请一分钟后再试');
  });

  it('tells how many whole seconds are left in the window, rounded up', async () => {
    await limiter.hit('k', 1, MINUTE);
    clock.advance(20_000);
    expect((await refusal(() => limiter.hit('k', 1, MINUTE))).headers).toEqual({ 'Retry-After': '40' });
    clock.advance(500);
    expect((await refusal(() => limiter.hit('k', 1, MINUTE))).headers).toEqual({ 'Retry-After': '40' });
    clock.advance(39_499);
    expect((await refusal(() => limiter.hit('k', 1, MINUTE))).headers).toEqual({ 'Retry-After': '1' });
  });

  it('opens a new window once the old one is over', async () => {
    await limiter.hit('k', 2, MINUTE);
    await limiter.hit('k', 2, MINUTE);
    clock.advance(MINUTE - 1);
    await expect(limiter.hit('k', 2, MINUTE)).rejects.toThrow(AppError);
    clock.advance(1);
    await limiter.hit('k', 2, MINUTE);
    await limiter.hit('k', 2, MINUTE);
    expect((await refusal(() => limiter.hit('k', 2, MINUTE))).headers).toEqual({ 'Retry-After': '60' });
  });

  it('is a fixed window: the window starts at its first attempt, not the last', async () => {
    await limiter.hit('k', 3, MINUTE);
    clock.advance(50_000);
    await limiter.hit('k', 3, MINUTE);
    await limiter.hit('k', 3, MINUTE);
    expect((await refusal(() => limiter.hit('k', 3, MINUTE))).headers).toEqual({ 'Retry-After': '10' });
    clock.advance(10_000);
    await expect(limiter.hit('k', 3, MINUTE)).resolves.toBeUndefined();
  });

  it('does not count refused attempts', async () => {
    await limiter.hit('k', 1, MINUTE);
    for (let i = 0; i < 5; i++) await expect(limiter.hit('k', 1, MINUTE)).rejects.toThrow(AppError);
    clock.advance(MINUTE);
    await expect(limiter.hit('k', 1, MINUTE)).resolves.toBeUndefined();
  });

  it('counts each key on its own', async () => {
    await limiter.hit('login:10.0.0.1', 1, MINUTE);
    await expect(limiter.hit('login:10.0.0.2', 1, MINUTE)).resolves.toBeUndefined();
    await expect(limiter.hit('tips:user-1', 1, MINUTE)).resolves.toBeUndefined();
    await expect(limiter.hit('login:10.0.0.1', 1, MINUTE)).rejects.toThrow(AppError);
  });
});

describe('RateLimiter.refund (limits on failures)', () => {
  it('gives back an attempt that succeeded, so only failures use up the limit', async () => {
    for (let i = 0; i < 20; i++) {
      await limiter.hit('invite:user-1', 1, HOUR);
      await limiter.refund('invite:user-1');
    }
    await limiter.hit('invite:user-1', 1, HOUR);
    await expect(limiter.hit('invite:user-1', 1, HOUR)).rejects.toThrow(AppError);
  });

  it('refuses once `limit` failures were counted, for the rest of the window', async () => {
    for (let i = 0; i < 3; i++) await limiter.hit('invite:user-1', 3, HOUR);
    const error = await refusal(() => limiter.hit('invite:user-1', 3, HOUR, '邀请码错误次数过多，请一小时后再试'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toBe('邀请码错误次数过多，请一小时后再试');
    expect(error.headers).toEqual({ 'Retry-After': '3600' });
    clock.advance(HOUR - 1_000);
    expect((await refusal(() => limiter.hit('invite:user-1', 3, HOUR))).headers).toEqual({ 'Retry-After': '1' });
    clock.advance(1_000);
    await expect(limiter.hit('invite:user-1', 3, HOUR)).resolves.toBeUndefined();
  });

  it('never goes below zero, and leaves a window that is over alone', async () => {
    await limiter.refund('k');
    await limiter.refund('k');
    await limiter.hit('k', 1, MINUTE);
    await expect(limiter.hit('k', 1, MINUTE)).rejects.toThrow(AppError);
    clock.advance(MINUTE);
    await limiter.refund('k');
    await limiter.hit('k', 1, MINUTE);
    await expect(limiter.hit('k', 1, MINUTE)).rejects.toThrow(AppError);
  });
});

describe('RateLimiter memory', () => {
  it('forgets windows that are over instead of keeping every key forever', async () => {
    for (let i = 0; i < 1_000; i++) await limiter.hit(`login:10.0.${Math.floor(i / 256)}.${i % 256}`, 5, MINUTE);
    clock.advance(2 * MINUTE);
    await limiter.hit('login:10.9.9.9', 5, MINUTE);
    expect(store.size).toBe(1);
  });

  it('keeps a window that is still open when sweeping', async () => {
    await limiter.hit('long', 1, HOUR);
    clock.advance(2 * MINUTE);
    await limiter.hit('short', 1, MINUTE);
    await expect(limiter.hit('long', 1, HOUR)).rejects.toThrow(AppError);
  });
});

describe('RateLimiter without its store', () => {
  /** A shared store (Redis) that does not answer. */
  class DownStore extends RateLimitStore {
    take = () => Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
    refund = () => Promise.reject(new Error('Command timed out'));
  }

  it('refuses with 503 in Chinese rather than letting attempts through unlimited', async () => {
    const down = new RateLimiter(new DownStore(), quiet);
    for (const attempt of [() => down.hit('login:10.0.0.1', 30, MINUTE), () => down.refund('invitation:u')]) {
      const error = await refusal(attempt);
      expect({ code: error.code, status: error.status, message: error.message }).toEqual({
        code: 'RATE_LIMIT_UNAVAILABLE',
        status: 503,
        message: '系统繁忙，暂时无法完成安全校验，请稍后再试',
      });
      expect(error.headers).toEqual({ 'Retry-After': '5' });
    }
  });
});
