import { useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { CASE_STATUS_LABELS, CASE_STATUSES } from '@baoxue/shared';
import type { CaseStatus } from '@baoxue/shared';
import { CaseCard } from '../../../../components/case-card';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { casesApi, type CaseItem } from '../../../../services/cases';
import { openPage } from '../../../../utils/navigation';
import { SubscribeNewCases } from '../../components/subscribe-new-cases';

type Filter = CaseStatus | 'all';

const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'all', label: '全部' },
  ...CASE_STATUSES.map((status) => ({ value: status, label: CASE_STATUS_LABELS[status] })),
];

/**
 * The cases routed to the official's unit: the overdue ones first (they climb the hierarchy if
 * left), then everything else, newest first.
 */
export default function InboxPage() {
  const user = useCurrentUser();
  const [filter, setFilter] = useState<Filter>('all');
  const status = filter === 'all' ? undefined : filter;
  const overdue = useLoader(() => (user ? casesApi.list({ status, overdue: 'true', limit: 100 }) : null), [user?.id, status]);
  const newest = usePagedList((cursor) => casesApi.list({ status, overdue: 'false', cursor, limit: 20 }), [status]);

  const reload = useRef(() => Promise.all([overdue.reload(), newest.reload()]));
  reload.current = () => Promise.all([overdue.reload(), newest.reload()]);
  useOnReturn(() => void reload.current());

  const open = (item: CaseItem) => openPage(PAGES.officialCase, { id: item.id });
  const overdueItems = overdue.data?.items ?? [];

  return (
    <Screen className="list-page inbox-page">
      <SubscribeNewCases />
      <Segmented choices={FILTERS} value={filter} onChange={setFilter} />

      {overdueItems.length > 0 && (
        <View className="section">
          <Text className="section-title section-title-alert">已超期（{overdueItems.length}）</Text>
          {overdueItems.map((item) => (
            <CaseCard key={item.id} item={item} onClick={() => open(item)} />
          ))}
          {overdue.data?.nextCursor && <Text className="field-hint">超期案件较多，这里只列出前100件，请按状态筛选查看其余的。</Text>}
        </View>
      )}
      {overdue.error && <ErrorNotice message={overdue.error} onRetry={() => void overdue.reload()} />}

      <View className="section">
        <Text className="section-title">{overdueItems.length > 0 ? '其他案件（最新在前）' : '案件（最新在前）'}</Text>
        {newest.error && <ErrorNotice message={newest.error} onRetry={() => void newest.reload()} />}
        {!newest.loading && !newest.error && newest.items.length === 0 && overdueItems.length === 0 && (
          <Empty text={filter === 'all' ? '收件箱里还没有案件' : `没有“${CASE_STATUS_LABELS[filter]}”的案件`} />
        )}
        {newest.items.map((item) => (
          <CaseCard key={item.id} item={item} onClick={() => open(item)} />
        ))}
        {newest.loading && <Loading />}
        {newest.hasMore && !newest.loading && (
          <Button className="btn btn-plain btn-block" onClick={() => void newest.loadMore()}>
            加载更多
          </Button>
        )}
      </View>
    </Screen>
  );
}
