import Taro from '@tarojs/taro';
import type { ResponseOf, SubscriptionKey } from '@baoxue/shared';
import { call } from './request';

/**
 * WeChat subscribe messages (BRIEF §8): each one-time grant lets the server send one message.
 * wx.requestSubscribeMessage only works when called straight from a tap, so the template ids are
 * fetched beforehand (`loadSubscriptions` when a page opens) and `askToSubscribe` uses what it has.
 */
export type Subscriptions = ResponseOf<'subscriptionsGet'>['items'];

let known: Subscriptions = [];
let loading: Promise<Subscriptions> | null = null;

export const canSubscribe = process.env.TARO_ENV === 'weapp';

export function loadSubscriptions(): Promise<Subscriptions> {
  if (!canSubscribe) return Promise.resolve([]);
  loading ??= call('subscriptionsGet', {}, { redirectOnUnauthorized: false })
    .then(({ items }) => (known = items))
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function remainingGrants(key: SubscriptionKey): number | null {
  return known.find((item) => item.key === key)?.remaining ?? null;
}

/**
 * Asks for the given kinds of message and tells the server which were accepted. Resolves with the
 * accepted keys; never rejects, so it can run beside the work the tap was for.
 */
export async function askToSubscribe(keys: readonly SubscriptionKey[]): Promise<SubscriptionKey[]> {
  if (!canSubscribe) return [];
  const templates = known.filter((item) => keys.includes(item.key));
  if (!templates.length) return [];
  let answer: Record<string, unknown>;
  try {
    // Taro's types demand Alipay's `entityIds` too; WeChat takes `tmplIds` only.
    const option = { tmplIds: templates.map((item) => item.templateId) } as Taro.requestSubscribeMessage.Option;
    answer = (await Taro.requestSubscribeMessage(option)) as Record<string, unknown>;
  } catch {
    return []; // refused, banned in settings, or an old WeChat: the in-app messages still arrive
  }
  const accepted = templates.filter((item) => answer[item.templateId] === 'accept').map((item) => item.key);
  if (!accepted.length) return [];
  try {
    const { items } = await call('subscriptionsRecord', { body: { accepted } }, { redirectOnUnauthorized: false });
    known = items;
  } catch {
    // Unrecorded grants only mean fewer WeChat messages; the in-app list has them all.
  }
  return accepted;
}
