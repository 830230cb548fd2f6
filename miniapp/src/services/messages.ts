import Taro from '@tarojs/taro';
import type { ResponseOf } from '@baoxue/shared';
import { MESSAGES_TAB_INDEX } from '../routes';
import { createStore } from '../stores/create-store';
import { call } from './request';

export type MessagePage = ResponseOf<'messagesList'>;
export type Message = MessagePage['items'][number];

export const messagesApi = {
  list: (cursor?: string) => call('messagesList', { query: { cursor, limit: 20 } }),
  read: (id: string) => call('messagesRead', { params: { id } }),
  readAll: () => call('messagesReadAll'),
};

/** Unread in-app messages, shown as the 消息 tab's badge. */
export const unreadStore = createStore<number>(0);

export function setUnread(count: number): void {
  unreadStore.set(count);
  showBadge(count);
}

/** Asks the server how many messages are unread; a failure keeps the last known count. */
export async function refreshUnread(): Promise<void> {
  try {
    const page = await call('messagesList', { query: { limit: 1 } }, { redirectOnUnauthorized: false });
    setUnread(page.unread);
  } catch {
    // The badge is a hint; the messages page shows errors when it is opened.
  }
}

/** setTabBarBadge only works while a tab page is showing; tab pages call this on show. */
export function showBadge(count: number = unreadStore.get()): void {
  // Elsewhere the call fails, which only means the badge waits for the next tab page.
  const ignore = () => undefined;
  if (count > 0) {
    Taro.setTabBarBadge({ index: MESSAGES_TAB_INDEX, text: count > 99 ? '99+' : String(count) }).catch(ignore);
  } else {
    Taro.removeTabBarBadge({ index: MESSAGES_TAB_INDEX }).catch(ignore);
  }
}
