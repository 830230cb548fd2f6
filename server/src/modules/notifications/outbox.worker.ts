import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logger';
import { UserRecords } from '../accounts/user-records';
import { WechatApiError, WechatClient } from '../wechat/wechat.client';
import { OutboxMessage, SubscriptionGrant } from './notification.entities';
import { snapshotTransaction } from '../../database/transaction';

const BATCH = 20;
const MAX_ATTEMPTS = 10;
const LONGEST_RETRY_MS = 3_600_000;
/** WeChat answers that retrying cannot fix: bad openid, bad template, bad data, bad page. */
const PERMANENT_ERRORS = new Set([40003, 40037, 47003, 41030]);
/** The user has not (or no longer) granted this template. */
const NOT_SUBSCRIBED = 43101;

type Outcome = { status: 'sent' | 'skipped' | 'failed'; error?: string } | { status: 'retry'; error: string };

/**
 * Delivers the outbox to WeChat. Each message is claimed with a lease, so two workers (or a
 * restarted one) never send the same message at the same time, and it is marked sent as soon as
 * WeChat accepts it. Transient failures are retried with backoff.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly users: UserRecords,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outbox.pollMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.config.outbox.pollMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sends everything due now; returns how many messages were handled. Tests call it directly. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.runOnce();
      total += handled;
      if (handled === 0) return total;
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.drain()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'outbox run failed');
        return 0;
      })
      .finally(() => (this.running = null));
    await this.running;
  }

  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const due = await this.dataSource.manager
      .createQueryBuilder(OutboxMessage, 'o')
      .where("o.status = 'pending' AND o.next_attempt_at <= :now AND (o.leased_until IS NULL OR o.leased_until < :now)", { now })
      .orderBy('o.next_attempt_at', 'ASC')
      .limit(BATCH)
      .getMany();
    let handled = 0;
    for (const message of due) {
      if (!(await this.claim(message, now))) continue;
      handled++;
      const outcome = await this.deliver(message);
      await this.settle(message, outcome);
    }
    return handled;
  }

  private async claim(message: OutboxMessage, now: Date): Promise<boolean> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ leasedUntil: new Date(now.getTime() + this.config.outbox.leaseMs), attempts: message.attempts + 1 })
      .where("id = :id AND status = 'pending' AND attempts = :attempts AND (leased_until IS NULL OR leased_until < :now)", {
        id: message.id,
        attempts: message.attempts,
        now,
      })
      .execute();
    message.attempts++;
    return result.affected === 1;
  }

  private async deliver(message: OutboxMessage): Promise<Outcome> {
    const openid = await this.users.openidOf(this.dataSource.manager, message.userId);
    if (!openid) return { status: 'skipped', error: 'no WeChat account' };
    const grant = await this.dataSource.manager.findOneBy(SubscriptionGrant, { userId: message.userId, template: message.template });
    if (!grant || grant.remaining <= 0) return { status: 'skipped', error: 'not subscribed' };
    try {
      await this.wechat.sendSubscribeMessage({
        touser: openid,
        templateId: this.config.wechat.templates[message.template],
        page: message.payload.page ?? undefined,
        data: Object.fromEntries(Object.entries(message.payload.data).map(([key, value]) => [key, { value }])),
        deliveryKey: message.id,
      });
    } catch (error) {
      if (error instanceof WechatApiError && error.errcode === NOT_SUBSCRIBED) {
        await this.dataSource.manager.update(SubscriptionGrant, { userId: message.userId, template: message.template }, { remaining: 0 });
        return { status: 'skipped', error: 'user refused' };
      }
      if (error instanceof WechatApiError && PERMANENT_ERRORS.has(error.errcode))
        return { status: 'failed', error: `${error.errcode} ${error.errmsg}` };
      const description = error instanceof WechatApiError ? `${error.errcode} ${error.errmsg}` : String((error as Error)?.message ?? error);
      return { status: 'retry', error: description };
    }
    return { status: 'sent' };
  }

  private async settle(message: OutboxMessage, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    const error = outcome.error?.slice(0, 200) ?? null;
    if (outcome.status === 'retry' && message.attempts < MAX_ATTEMPTS) {
      const delay = Math.min(LONGEST_RETRY_MS, this.config.outbox.retryMs * 2 ** (message.attempts - 1));
      await this.dataSource.manager.update(
        OutboxMessage,
        { id: message.id },
        { nextAttemptAt: new Date(now.getTime() + delay), leasedUntil: null, lastError: error },
      );
      return;
    }
    const status = outcome.status === 'retry' ? 'failed' : outcome.status;
    // Marking the message sent and using up the grant happen together: a worker killed between
    // the two would otherwise spend the grant twice when the message is taken over and re-sent.
    await snapshotTransaction(this.dataSource, async (manager) => {
      const settled = await manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status, leasedUntil: null, lastError: error, sentAt: status === 'sent' ? now : null })
        .where("id = :id AND status = 'pending'", { id: message.id })
        .execute();
      if (status !== 'sent' || settled.affected !== 1) return;
      await manager
        .createQueryBuilder()
        .update(SubscriptionGrant)
        .set({ remaining: () => 'remaining - 1' })
        .where('user_id = :user AND template = :template AND remaining > 0', { user: message.userId, template: message.template })
        .execute();
    });
    if (status === 'failed') this.logger.warn({ outbox: message.id, error }, 'notification not delivered');
  }
}
