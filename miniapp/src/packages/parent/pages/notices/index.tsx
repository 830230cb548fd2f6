import { useEffect } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { noticesApi, type FormalNotice } from '../../../../services/notices';
import { childrenApi } from '../../../../services/parents';
import { PAGES } from '../../../../routes';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { pageUrl } from '../../../../utils/navigation';
import { emptyNoticesText } from '../../empty-notices';
import '../../../../components/field.css';
import '../../../../components/subpackage.css';
import './index.css';

/**
 * 正式通知: the formal notices (《限期返校通知书》) the township sent about the parent's bound
 * children. The parent reads each in full and confirms receipt (回执); the township is told.
 */
export default function NoticesPage() {
  const user = useCurrentUser();
  const { kind, id } = useRouter().params;
  // Enrolment reminders link here with `kind=enrolment`: those notices have their own page.
  useEffect(() => {
    if (kind === 'enrolment') void Taro.redirectTo({ url: pageUrl(PAGES.parentEnrolment, { id }) });
  }, [kind, id]);
  const notices = useLoader(() => (user ? noticesApi.mine() : null), [user?.id]);
  const children = useLoader(() => (user ? childrenApi.mine() : null), [user?.id]);
  useOnReturn(() => void notices.reload());
  const items = notices.data?.items ?? [];

  const replace = (updated: FormalNotice) => notices.set({ items: items.map((notice) => (notice.id === updated.id ? updated : notice)) });

  return (
    <Screen className="detail-page notices-page">
      {notices.error && <ErrorNotice message={notices.error} onRetry={() => void notices.reload()} />}
      {notices.loading && !notices.data && <Loading />}
      {notices.data && children.data && items.length === 0 && <Empty text={emptyNoticesText('formal', children.data.items.length > 0)} />}
      {items.map((notice) => (
        <NoticeCard key={notice.id} notice={notice} onAcknowledged={replace} />
      ))}
    </Screen>
  );
}

function NoticeCard({ notice, onAcknowledged }: { notice: FormalNotice; onAcknowledged: (notice: FormalNotice) => void }) {
  const acknowledging = useAction(
    async () => {
      onAcknowledged(await noticesApi.acknowledge(notice.id));
      toastSuccess('已确认收到');
    },
    { errorIn: 'inline' },
  );
  const acknowledged = notice.acknowledgedAt !== null;

  return (
    <View className={acknowledged ? 'card formal-notice formal-notice-acknowledged' : 'card formal-notice'}>
      <View className="list-item-head">
        <Text className="list-item-title">关于{notice.childName}的限期返校通知书</Text>
        {acknowledged ? <Text className="tag tag-sent">已回执</Text> : <Text className="tag tag-waiting">待回执</Text>}
      </View>
      <Text className="list-item-meta">
        {formatDateTime(notice.issuedAt)} 发出 · 请于 {notice.deadlineOn} 前送孩子返校
      </Text>
      <Text className="notice-text">{notice.text}</Text>
      {acknowledged ? (
        <Text className="acknowledged-line">您已于 {formatDateTime(notice.acknowledgedAt)} 确认收到本通知。</Text>
      ) : (
        <>
          <Text className="field-hint">确认收到后，乡镇和学校会知道您已看到通知。如有困难，请及时与乡镇人民政府或学校联系。</Text>
          {acknowledging.error && <Text className="field-error">{acknowledging.error}</Text>}
          <Button className="btn btn-primary btn-block" loading={acknowledging.busy} onClick={() => void acknowledging.run()}>
            确认收到（回执）
          </Button>
        </>
      )}
    </View>
  );
}
