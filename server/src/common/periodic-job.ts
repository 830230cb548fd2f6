import type { Logger } from 'pino';

/**
 * Background work on a timer (deadline escalation, retention): never two runs at once, a failed run
 * logged and retried at the next tick, and shutdown waiting for a run in progress. The timer does
 * not keep the process alive.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.work()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, `${this.name} failed`))
      .finally(() => (this.running = null));
    await this.running;
  }
}
