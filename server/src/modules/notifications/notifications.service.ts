import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MessageView, SubscriptionKey } from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller } from '../../common/auth/caller';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { InboxMessage, OutboxMessage, SubscriptionGrant } from './notification.entities';
import { mapMessage, mapSubscriptions } from './notification.mappers';
import { templateData } from './subscribe-templates';
import { bulkInsert } from '../../database/bulk-insert';
import { transactionWithRetry } from '../../database/transaction';

export interface Notice {
  /** Unique per event: the same event is never announced twice to the same person. */
  key: string;
  title: string;
  body: string;
  link: string | null;
  /** The WeChat subscribe message, for recipients who granted one. */
  wechat?: { template: SubscriptionKey; values: Record<string, string> };
}

/** Grants accumulate as people accept again; this bounds a runaway client. */
const MAX_GRANTS = 50;

/** The stored dedupe key's room (`messages.dedupe_key`, `outbox.dedupe_key`). */
const DEDUPE_KEY_LENGTH = 120;

/**
 * A notice's dedupe key for one user. A key too long for the column is stored as its digest: cut
 * short, two users' keys could end alike and one of them would never be told.
 */
export function dedupeKeyOf(noticeKey: string, userId: string): string {
  const key = `${noticeKey}:${userId}`;
  return key.length <= DEDUPE_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(noticeKey).digest('hex')}:${userId}`;
}

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Announces an event to users: an in-app message now, and a WeChat message through the outbox.
   * Call it with the manager of the transaction that made the change, so both commit with it.
   */
  async notify(manager: EntityManager, userIds: readonly string[], notice: Notice): Promise<void> {
    await this.notifyEach(manager, [{ userIds, notice }]);
  }

  /**
   * Announces many events at once (a batch of cases), as `notify` one: the messages of them all in
   * a few multi-row INSERTs. A message already queued under its dedupe key is left as it is.
   */
  async notifyEach(manager: EntityManager, events: ReadonlyArray<{ userIds: readonly string[]; notice: Notice }>): Promise<void> {
    const now = this.clock.now();
    const inbox: InboxMessage[] = [];
    const outbox: OutboxMessage[] = [];
    for (const { userIds, notice } of events) {
      const data = notice.wechat ? templateData(notice.wechat.template, notice.wechat.values) : null;
      for (const userId of new Set(userIds)) {
        const dedupeKey = dedupeKeyOf(notice.key, userId);
        inbox.push({
          id: newId(),
          userId,
          dedupeKey,
          title: notice.title,
          body: notice.body,
          link: notice.link,
          createdAt: now,
          readAt: null,
        });
        if (!notice.wechat || !data) continue;
        outbox.push({
          id: newId(),
          dedupeKey,
          userId,
          template: notice.wechat.template,
          payload: { data, page: notice.link },
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          leasedUntil: null,
          lastError: null,
          createdAt: now,
          sentAt: null,
        });
      }
    }
    await bulkInsert(manager, InboxMessage, inbox, 500, 'skip');
    await bulkInsert(manager, OutboxMessage, outbox, 500, 'skip');
  }

  async list(
    caller: Caller,
    query: { cursor?: string; limit: number },
  ): Promise<{ items: MessageView[]; nextCursor: string | null; unread: number }> {
    const qb = this.dataSource.manager
      .createQueryBuilder(InboxMessage, 'm')
      .where('m.user_id = :user', { user: caller.userId })
      .orderBy('m.id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('m.id < :id', { id });
    }
    const [rows, unread] = await Promise.all([
      qb.getMany(),
      this.dataSource.manager
        .createQueryBuilder(InboxMessage, 'm')
        .where('m.user_id = :user AND m.read_at IS NULL', { user: caller.userId })
        .getCount(),
    ]);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(mapMessage),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      unread,
    };
  }

  async markRead(caller: Caller, id: string): Promise<MessageView> {
    const message = await this.dataSource.manager.findOneBy(InboxMessage, { id, userId: caller.userId });
    if (!message) throw AppError.notFound();
    if (!message.readAt) {
      message.readAt = this.clock.now();
      await this.dataSource.manager.update(InboxMessage, { id }, { readAt: message.readAt });
    }
    return mapMessage(message);
  }

  async markAllRead(caller: Caller): Promise<{ ok: true }> {
    await this.dataSource.manager
      .createQueryBuilder()
      .update(InboxMessage)
      .set({ readAt: this.clock.now() })
      .where('user_id = :user AND read_at IS NULL', { user: caller.userId })
      .execute();
    return { ok: true };
  }

  async subscriptions(caller: Caller) {
    const grants = await this.dataSource.manager.findBy(SubscriptionGrant, { userId: caller.userId });
    return mapSubscriptions(caller.role, grants, this.config.wechat.templates);
  }

  /** Each acceptance in wx.requestSubscribeMessage allows one message of that template. */
  async recordSubscriptions(caller: Caller, accepted: SubscriptionKey[]) {
    await transactionWithRetry(this.dataSource, async (manager) => {
      for (const template of new Set(accepted)) {
        const grant = await manager.findOneBy(SubscriptionGrant, { userId: caller.userId, template });
        if (grant)
          await manager.update(
            SubscriptionGrant,
            { userId: caller.userId, template },
            { remaining: Math.min(MAX_GRANTS, grant.remaining + 1) },
          );
        else await manager.insert(SubscriptionGrant, { userId: caller.userId, template, remaining: 1 });
      }
    });
    return this.subscriptions(caller);
  }
}
