import { Clock } from '../../../server/src/common/clock';
import { AppError } from '../../../server/src/common/errors/app-error';
import { RateLimiter } from '../../../server/src/common/http/rate-limiter';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function refusal(action: () => void): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the limiter to refuse');
}

let clock: Clock;
let limiter: RateLimiter;

beforeEach(() => {
  // A frozen clock: Retry-After is computed from it, so real milliseconds must not leak in.
  jest.useFakeTimers({ now: new Date('2026-11-23T08:00:00Z') });
  clock = new Clock();
  limiter = new RateLimiter(clock);
});

afterEach(() => {
  jest.useRealTimers();
});

describe('RateLimiter.hit', () => {
  it('allows `limit` attempts in a window and refuses the next one with 429', () => {
    for (let i = 0; i < 3; i++) limiter.hit('login:10.0.0.1', 3, MINUTE);
    const error = refusal(() => limiter.hit('login:10.0.0.1', 3, MINUTE));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.status).toBe(429);
    expect(error.message).toBe('操作过于频繁，请稍后再试');
    expect(error.headers).toEqual({ 'Retry-After': '60' });
  });

  it('carries the caller’s message', () => {
    limiter.hit('login:10.0.0.1', 1, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    expect(refusal(() => limiter.hit('login:10.0.0.1', 1, MINUTE, '登录尝试过于频繁，请一分钟后再试')).message).toBe(
      '登录尝试过于频繁，请一分钟后再试',
    );
  });

  it('tells how many whole seconds are left in the window, rounded up', () => {
    limiter.hit('k', 1, MINUTE);
    clock.advance(20_000);
    expect(refusal(() => limiter.hit('k', 1, MINUTE)).headers).toEqual({ 'Retry-After': '40' });
    clock.advance(500);
    expect(refusal(() => limiter.hit('k', 1, MINUTE)).headers).toEqual({ 'Retry-After': '40' });
    clock.advance(39_499);
    expect(refusal(() => limiter.hit('k', 1, MINUTE)).headers).toEqual({ 'Retry-After': '1' });
  });

  it('opens a new window once the old one is over', () => {
    limiter.hit('k', 2, MINUTE);
    limiter.hit('k', 2, MINUTE);
    clock.advance(MINUTE - 1);
    expect(() => limiter.hit('k', 2, MINUTE)).toThrow(AppError);
    clock.advance(1);
    limiter.hit('k', 2, MINUTE);
    limiter.hit('k', 2, MINUTE);
    expect(refusal(() => limiter.hit('k', 2, MINUTE)).headers).toEqual({ 'Retry-After': '60' });
  });

  it('is a fixed window: the window starts at its first attempt, not the last', () => {
    limiter.hit('k', 3, MINUTE);
    clock.advance(50_000);
    limiter.hit('k', 3, MINUTE);
    limiter.hit('k', 3, MINUTE);
    expect(refusal(() => limiter.hit('k', 3, MINUTE)).headers).toEqual({ 'Retry-After': '10' });
    clock.advance(10_000);
    expect(() => limiter.hit('k', 3, MINUTE)).not.toThrow();
  });

  it('does not count refused attempts', () => {
    limiter.hit('k', 1, MINUTE);
    for (let i = 0; i < 5; i++) expect(() => limiter.hit('k', 1, MINUTE)).toThrow(AppError);
    clock.advance(MINUTE);
    expect(() => limiter.hit('k', 1, MINUTE)).not.toThrow();
  });

  it('counts each key on its own', () => {
    limiter.hit('login:10.0.0.1', 1, MINUTE);
    expect(() => limiter.hit('login:10.0.0.2', 1, MINUTE)).not.toThrow();
    expect(() => limiter.hit('tips:user-1', 1, MINUTE)).not.toThrow();
    expect(() => limiter.hit('login:10.0.0.1', 1, MINUTE)).toThrow(AppError);
  });
});

describe('RateLimiter.check and record (limits on failures)', () => {
  it('check never counts', () => {
    for (let i = 0; i < 20; i++) expect(() => limiter.check('invite:user-1', 1, HOUR)).not.toThrow();
    limiter.record('invite:user-1', HOUR);
    expect(() => limiter.check('invite:user-1', 1, HOUR)).toThrow(AppError);
  });

  it('refuses once `limit` failures were recorded, for the rest of the window', () => {
    for (let i = 0; i < 3; i++) {
      limiter.check('invite:user-1', 3, HOUR);
      limiter.record('invite:user-1', HOUR);
    }
    const error = refusal(() => limiter.check('invite:user-1', 3, HOUR, '邀请码错误次数过多，请一小时后再试'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toBe('邀请码错误次数过多，请一小时后再试');
    expect(error.headers).toEqual({ 'Retry-After': '3600' });
    clock.advance(HOUR - 1_000);
    expect(refusal(() => limiter.check('invite:user-1', 3, HOUR)).headers).toEqual({ 'Retry-After': '1' });
    clock.advance(1_000);
    expect(() => limiter.check('invite:user-1', 3, HOUR)).not.toThrow();
  });

  it('shares the counter with hit under the same key', () => {
    limiter.record('k', MINUTE);
    expect(() => limiter.hit('k', 2, MINUTE)).not.toThrow();
    expect(() => limiter.hit('k', 2, MINUTE)).toThrow(AppError);
  });
});

describe('RateLimiter memory', () => {
  it('forgets windows that are over instead of keeping every key forever', () => {
    for (let i = 0; i < 1_000; i++) limiter.hit(`login:10.0.${Math.floor(i / 256)}.${i % 256}`, 5, MINUTE);
    clock.advance(2 * MINUTE);
    limiter.hit('login:10.9.9.9', 5, MINUTE);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });

  it('keeps a window that is still open when sweeping', () => {
    limiter.hit('long', 1, HOUR);
    clock.advance(2 * MINUTE);
    limiter.hit('short', 1, MINUTE);
    expect(() => limiter.hit('long', 1, HOUR)).toThrow(AppError);
  });
});
