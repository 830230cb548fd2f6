import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { APP_PAGES } from '@baoxue/shared';
import { PagedList } from '../../components/paged-list';
import { Screen } from '../../components/screen';
import { Loading } from '../../components/status';
import { useAction } from '../../hooks/use-action';
import { useCurrentUser } from '../../hooks/use-current-user';
import { usePagedList } from '../../hooks/use-paged-list';
import { TAB_PAGES, type PageUrl } from '../../routes';
import { messagesApi, setUnread, showBadge, type Message } from '../../services/messages';
import { formatDateTime } from '../../utils/format';

const LINKABLE: readonly string[] = Object.values(APP_PAGES);

/** 消息: every notification the server sent this person, whether or not WeChat delivered it. */
export default function MessagesPage() {
  const user = useCurrentUser();
  const messages = usePagedList((cursor) => messagesApi.list(cursor), []);
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());
  const [allRead, setAllRead] = useState(false);
  const shownBefore = useRef(false);
  const reload = useRef(messages.reload);
  reload.current = messages.reload;

  useDidShow(() => {
    showBadge();
    if (shownBefore.current) void reload.current();
    shownBefore.current = true;
  });

  const lastPage = messages.lastPage;
  const unread = lastPage?.unread;
  // Every page the server sends carries the count: what was marked here before it is in it.
  useEffect(() => {
    if (lastPage?.unread !== undefined) {
      setReadIds(new Set());
      setAllRead(false);
      setUnread(lastPage.unread);
    }
  }, [lastPage]);

  // Read here since the last load: the server's count, less what was opened since.
  const isRead = (message: Message) => message.read || allRead || readIds.has(message.id);
  const unreadNow = allRead ? 0 : Math.max(0, (unread ?? 0) - readIds.size);

  const open = async (message: Message) => {
    if (!isRead(message)) {
      setReadIds((current) => new Set(current).add(message.id));
      setUnread(Math.max(0, unreadNow - 1));
      // Opening the link matters more than the mark; a failed mark is retried by the next open.
      messagesApi.read(message.id).catch(() => undefined);
    }
    const target = message.link ? linkTarget(message.link) : null;
    if (!target) return;
    if (TAB_PAGES.includes(target.path as PageUrl)) await Taro.switchTab({ url: target.path });
    else await Taro.navigateTo({ url: message.link! });
  };

  const readAll = useAction(async () => {
    await messagesApi.readAll();
    setAllRead(true);
    setUnread(0);
  });

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  return (
    <Screen className="list-page messages-page">
      <View className="messages-head">
        <Text className="section-title">{unreadNow > 0 ? `${unreadNow} 条未读` : '没有未读消息'}</Text>
        {unreadNow > 0 && (
          <Button className="btn btn-plain btn-small" loading={readAll.busy} onClick={() => void readAll.run()}>
            全部已读
          </Button>
        )}
      </View>
      <PagedList list={messages} empty="还没有消息">
        {(message) => (
          <View
            key={message.id}
            className={isRead(message) ? 'card list-item message' : 'card list-item message message-unread'}
            onClick={() => void open(message)}
          >
            <View className="list-item-head">
              <View className="message-title-row">
                {!isRead(message) && <View className="unread-dot" />}
                <Text className="list-item-title">{message.title}</Text>
              </View>
              {message.link && <Text className="menu-arrow">›</Text>}
            </View>
            <Text className="list-item-line">{message.body}</Text>
            <Text className="list-item-meta">{formatDateTime(message.createdAt)}</Text>
          </View>
        )}
      </PagedList>
    </Screen>
  );
}

/** Only pages of this app that messages may link to; anything else is not followed. */
function linkTarget(link: string): { path: string } | null {
  const path = link.split('?')[0]!;
  return LINKABLE.includes(path) ? { path } : null;
}
