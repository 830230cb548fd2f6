import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error';
import { LOGGER } from '../logging/logger';
import { RateLimitStore, type WindowState } from './rate-limit-store';

/**
 * Fixed-window limits against floods and guessing (sign-in attempts per address, wrong invitation
 * codes per user). They count in the store the deployment has: Redis, shared by every instance, when
 * REDIS_URL is set; this process's memory otherwise (single mode only). When Redis does not answer,
 * a limited action is refused with 503 rather than let through unlimited: these limits are what keeps
 * codes from being guessed, and sessions already open are not affected.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Counts one attempt; throws RATE_LIMITED (429) once `limit` attempts were made in the window. */
  async hit(key: string, limit: number, windowMs: number, message?: string): Promise<void> {
    const window = await this.reach(() => this.store.take(key, limit, windowMs));
    if (!window.allowed) this.refuse(window, message);
  }

  /**
   * Gives back an attempt counted by `hit`, for limits on failures: every attempt takes a try first
   * (so parallel attempts cannot all pass a check of the count) and one that succeeded returns it.
   */
  async refund(key: string): Promise<void> {
    await this.reach(() => this.store.refund(key));
  }

  private async reach<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'rate limit store unavailable');
      throw new AppError('RATE_LIMIT_UNAVAILABLE', undefined, {}, undefined, { 'Retry-After': '5' });
    }
  }

  private refuse(window: WindowState, message?: string): never {
    const retryAfter = Math.max(1, Math.ceil(window.resetInMs / 1000));
    throw new AppError('RATE_LIMITED', message, {}, undefined, { 'Retry-After': String(retryAfter) });
  }
}
