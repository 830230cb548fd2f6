import { SUBSCRIPTION_KEYS, type MessageView, type Role, type subscriptionsResponse, type SubscriptionKey } from '@baoxue/shared';
import type { z } from 'zod';
import type { InboxMessage, SubscriptionGrant } from './notification.entities';
import { SUBSCRIBE_TEMPLATES } from './subscribe-templates';

// Pure mappers from stored messages and grants to the contract's shapes; nothing here reads the database.

export function mapMessage(message: InboxMessage): MessageView {
  return {
    id: message.id,
    title: message.title,
    body: message.body,
    link: message.link,
    createdAt: message.createdAt.toISOString(),
    read: message.readAt !== null,
  };
}

/**
 * The subscribe messages a role can receive, each with the template configured for it and how many
 * one-time grants the user has left (none until they accept).
 */
export function mapSubscriptions(
  role: Role,
  grants: ReadonlyArray<Pick<SubscriptionGrant, 'template' | 'remaining'>>,
  templateIds: Readonly<Record<SubscriptionKey, string>>,
): z.output<typeof subscriptionsResponse> {
  const remaining = new Map(grants.map((g) => [g.template, g.remaining]));
  return {
    items: SUBSCRIPTION_KEYS.filter((key) => SUBSCRIBE_TEMPLATES[key].roles?.includes(role) ?? true).map((key) => ({
      key,
      templateId: templateIds[key],
      title: SUBSCRIBE_TEMPLATES[key].title,
      remaining: remaining.get(key) ?? 0,
    })),
  };
}
