import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SubscriptionKey } from '@baoxue/shared';
import { idColumn, timestampColumn } from '../../database/columns';

/**
 * The outbox: a WeChat message to send, written in the same transaction as the change it reports
 * and delivered by the worker. The dedupe key makes the same notification impossible to queue twice.
 */
@Entity('outbox')
@Index('idx_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryColumn(idColumn)
  id: string;

  @Index('uq_outbox_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 120, name: 'dedupe_key' })
  dedupeKey: string;

  @Column({ ...idColumn, name: 'user_id' })
  userId: string;

  @Column({ type: 'varchar', length: 24 })
  template: SubscriptionKey;

  /** The template's field values (already within WeChat's limits) and the page to open. */
  @Column({ type: 'simple-json' })
  payload: { data: Record<string, string>; page: string | null };

  @Column({ type: 'varchar', length: 12 })
  status: 'pending' | 'sent' | 'skipped' | 'failed';

  @Column({ type: 'int' })
  attempts: number;

  @Column({ ...timestampColumn, name: 'next_attempt_at' })
  nextAttemptAt: Date;

  /** A worker holds the message until then; another may take it over afterwards. */
  @Column({ ...timestampColumn, name: 'leased_until', nullable: true })
  leasedUntil: Date | null;

  @Column({ type: 'varchar', length: 200, name: 'last_error', nullable: true })
  lastError: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'sent_at', nullable: true })
  sentAt: Date | null;
}

/** The in-app message list: every notification lands here, whatever WeChat does. */
@Entity('messages')
@Index('idx_messages_user', ['userId', 'id'])
export class InboxMessage {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'user_id' })
  userId: string;

  @Index('uq_messages_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 120, name: 'dedupe_key' })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 64 })
  title: string;

  @Column({ type: 'varchar', length: 500 })
  body: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  link: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'read_at', nullable: true })
  readAt: Date | null;
}

/** One-time subscribe-message grants a user gave (wx.requestSubscribeMessage): one per message. */
@Entity('subscription_grants')
export class SubscriptionGrant {
  @PrimaryColumn({ ...idColumn, name: 'user_id' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  template: SubscriptionKey;

  @Column({ type: 'int' })
  remaining: number;
}
