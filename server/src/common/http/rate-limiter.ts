import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { AppError } from '../errors/app-error';

interface Window {
  startedAt: number;
  windowMs: number;
  count: number;
}

/**
 * Fixed-window counters kept in memory: enough for one server process, and every limit here is a
 * protection against floods, not a quota anyone is billed for.
 */
@Injectable()
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(private readonly clock: Clock) {}

  /** Counts one attempt; throws RATE_LIMITED (429) once `limit` attempts were made in the window. */
  hit(key: string, limit: number, windowMs: number, message?: string): void {
    if (this.count(key, windowMs) >= limit) this.refuse(key, windowMs, message);
    this.windows.get(key)!.count++;
  }

  /** Refuses without counting: for limits on failures, checked before the attempt. */
  check(key: string, limit: number, windowMs: number, message?: string): void {
    if (this.count(key, windowMs) >= limit) this.refuse(key, windowMs, message);
  }

  /** Counts a failure against a limit checked with `check`. */
  record(key: string, windowMs: number): void {
    this.count(key, windowMs);
    this.windows.get(key)!.count++;
  }

  private count(key: string, windowMs: number): number {
    const now = this.clock.now().getTime();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, windowMs, count: 0 };
      this.windows.set(key, window);
    }
    return window.count;
  }

  private refuse(key: string, windowMs: number, message?: string): never {
    const window = this.windows.get(key)!;
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + windowMs - this.clock.now().getTime()) / 1000));
    throw new AppError('RATE_LIMITED', message, {}, undefined, { 'Retry-After': String(retryAfter) });
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.startedAt >= window.windowMs) this.windows.delete(key);
  }
}
