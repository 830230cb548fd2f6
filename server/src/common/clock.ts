import { Injectable } from '@nestjs/common';

/** The time, injectable so tests can move it (deadlines, expiry). */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Tests only: shift the clock forward. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
