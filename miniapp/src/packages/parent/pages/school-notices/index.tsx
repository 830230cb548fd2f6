import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useStableCallback } from '../../../../hooks/use-stable-callback';
import { childrenApi, schoolNoticesApi, type ReceivedSchoolNotice } from '../../../../services/parents';
import { formatDateTime } from '../../../../utils/format';
import { emptyNoticesText } from '../../empty-notices';
import '../../../../components/subpackage.css';
import '../../parent.css';

const same = (a: ReceivedSchoolNotice, b: ReceivedSchoolNotice) => a.id === b.id;

/**
 * 学校通知: what the children's schools sent to their guardians, newest first, unread ones marked.
 * Opening one shows it in full and tells the school it was read. `?id=` opens that notice.
 */
export default function SchoolNoticesPage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  const notices = usePagedList((cursor) => (user ? schoolNoticesApi.mine(cursor) : Promise.resolve(EMPTY)), [user?.id]);
  useOnReturn(() => void notices.reload());
  const children = useLoader(() => (user ? childrenApi.mine() : null), [user?.id]);
  const [openIds, setOpenIds] = useState<ReadonlySet<string>>(new Set(id ? [id] : []));
  const unread = notices.items.filter((notice) => !notice.read).length;

  const open = (notice: ReceivedSchoolNotice) => {
    setOpenIds((current) => {
      const next = new Set(current);
      if (next.has(notice.id)) next.delete(notice.id);
      else next.add(notice.id);
      return next;
    });
    if (!notice.read) markRead(notice);
  };

  const markRead = (notice: ReceivedSchoolNotice) => {
    notices.replace({ ...notice, read: true }, same);
    // The mark is what the school counts; a failure leaves it unread for the next opening.
    schoolNoticesApi.read(notice.id).then(
      (updated) => notices.replace(updated, same),
      () => notices.replace(notice, same),
    );
  };

  // Opened from a message: that notice is read on arrival, checked as each page comes.
  const readLinked = useStableCallback(() => {
    const linked = id ? notices.items.find((notice) => notice.id === id) : undefined;
    if (linked && !linked.read) markRead(linked);
  });
  const lastPage = notices.lastPage;
  useEffect(() => {
    if (lastPage) readLinked();
  }, [lastPage, readLinked]);

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  return (
    <Screen className="list-page school-notices-page">
      {notices.items.length > 0 && (
        <View className="messages-head">
          <Text className="section-title">{unread > 0 ? `${unread} 条未读` : '没有未读通知'}</Text>
        </View>
      )}
      <PagedList list={notices} empty={emptyNoticesText('school', children.data ? children.data.items.length > 0 : null)}>
        {(notice) => {
          const shown = openIds.has(notice.id);
          return (
            <View
              key={notice.id}
              className={notice.read ? 'card list-item message school-notice' : 'card list-item message message-unread school-notice'}
              onClick={() => open(notice)}
            >
              <View className="list-item-head">
                <View className="message-title-row">
                  {!notice.read && <View className="unread-dot" />}
                  <Text className="list-item-title">{notice.title}</Text>
                </View>
                <Text className="menu-arrow">{shown ? '⌄' : '›'}</Text>
              </View>
              <Text className="list-item-meta">
                {notice.schoolName} · {notice.childNames.join('、')} · {formatDateTime(notice.sentAt)}
              </Text>
              {shown && <Text className="notice-text">{notice.body}</Text>}
            </View>
          );
        }}
      </PagedList>
    </Screen>
  );
}

const EMPTY = { items: [], nextCursor: null, unread: 0 };
