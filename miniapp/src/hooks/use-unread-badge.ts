import { useDidShow } from '@tarojs/taro';
import { refreshUnread } from '../services/messages';

/** Keeps the 消息 tab's unread badge current while a tab page is showing. */
export function useUnreadBadge(): void {
  useDidShow(() => {
    void refreshUnread();
  });
}
