import { z } from 'zod';
import { pageOf, pageQuery } from '../fields';

/** In-app messages: every notification also lands here, whether or not WeChat delivered it. */
export const messageView = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  /** A page of the mini program to open, with its query. */
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type MessageView = z.infer<typeof messageView>;

export const listMessagesQuery = pageQuery;
export const messagePageResponse = pageOf(messageView).extend({ unread: z.number() });

export const SUBSCRIPTION_KEYS = ['new_case', 'tip_progress', 'subsidy_paid', 'leave_decided'] as const;
export type SubscriptionKey = (typeof SUBSCRIPTION_KEYS)[number];

export const subscriptionsResponse = z.object({
  items: z.array(
    z.object({
      key: z.enum(SUBSCRIPTION_KEYS),
      templateId: z.string(),
      title: z.string(),
      /** One-time grants not yet used: each lets the server send one message. */
      remaining: z.number(),
    }),
  ),
});

export const recordSubscriptionsRequest = z.object({
  /** Keys the user accepted in wx.requestSubscribeMessage. */
  accepted: z.array(z.enum(SUBSCRIPTION_KEYS, { error: '订阅消息类型不正确' })).max(3, '一次最多订阅3类消息'),
});
