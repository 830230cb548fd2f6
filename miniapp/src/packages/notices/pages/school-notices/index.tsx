import { Button, Text, View } from '@tarojs/components';
import type { Me } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { noticesOfficeApi, type SchoolNotice } from '../../../../services/notices-office';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { maySendSchoolNotices } from '../../roles';
import '../../notices.css';

/** School notices sent to guardians, newest first, with how many guardians have read each. */
export default function SchoolNoticesPage() {
  const user = useCurrentUser();
  return <Screen className="list-page school-notices-page">{user ? <SchoolNotices user={user} /> : <Loading />}</Screen>;
}

function SchoolNotices({ user }: { user: Me }) {
  const notices = usePagedList((cursor) => noticesOfficeApi.schoolNotices({ cursor, limit: 20 }), []);
  // Back from sending one: show it at the top.
  useOnReturn(() => void notices.reload());

  return (
    <>
      {maySendSchoolNotices(user) && (
        <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.schoolNoticeSend)}>
          发送通知
        </Button>
      )}
      <Text className="section-note">通知发给已在小程序中绑定孩子的家长；没有绑定的家庭请另行告知。</Text>
      <PagedList list={notices} empty="还没有发过通知">
        {(notice) => <NoticeCard key={notice.id} notice={notice} />}
      </PagedList>
    </>
  );
}

function NoticeCard({ notice }: { notice: SchoolNotice }) {
  const unread = notice.recipients - notice.read;
  return (
    <View className="card list-item school-notice">
      <View className="list-item-head">
        <Text className="list-item-title">{notice.title}</Text>
        <Text className="tag">{notice.audienceLabel}</Text>
      </View>
      <Text className="list-item-line notice-body">{notice.body}</Text>
      <View className="read-counts">
        <Text className="count-chip count-chip-done">
          已读 {notice.read} / {notice.recipients} 位家长
        </Text>
        {unread > 0 && <Text className="count-chip">未读 {unread}</Text>}
        <Text className={notice.pupilsReached < notice.pupils ? 'count-chip count-chip-alert' : 'count-chip'}>
          学生 {notice.pupils} 名，{notice.pupilsReached} 名有家长在小程序
        </Text>
      </View>
      <Text className="list-item-meta">
        {notice.schoolName} · {notice.sentByName ?? '—'} · {formatDateTime(notice.sentAt)}
      </Text>
    </View>
  );
}
