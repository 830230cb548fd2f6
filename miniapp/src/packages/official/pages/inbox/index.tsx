import { useRef, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import type { Me, RequestQuery } from '@baoxue/shared';
import { CaseCard } from '../../../../components/case-card';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useDesktop } from '../../../../hooks/use-desktop';
import { useDebounced } from '../../../../hooks/use-debounced';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { transfersApi } from '../../../../services/case-handling';
import { casesApi, type CaseItem } from '../../../../services/cases';
import { toastSuccess } from '../../../../utils/feedback';
import { openPage } from '../../../../utils/navigation';
import { CaseFilterPanel, describeFilters, filtersFromLink, NO_FILTERS, type CaseFilters } from '../../components/case-filters';
import { InboxDesktop } from '../../components/inbox-desktop';
import { SubscribeNewCases } from '../../components/subscribe-new-cases';
import { IncomingTransfer } from '../../components/transfers';
import '../../official.css';

type ListQuery = RequestQuery<'casesList'>;

/**
 * The cases routed to the official's unit: transfers waiting for this unit first, then the overdue
 * cases (they climb the hierarchy if left), then everything else, newest first, with filters.
 */
export default function InboxPage() {
  const user = useCurrentUser();
  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  return <Inbox user={user} />;
}

function Inbox({ user }: { user: Me }) {
  // a dashboard figure opens the inbox on the cases it counts
  const link = useRouter().params;
  const desktop = useDesktop();
  const [filters, setFilters] = useState<CaseFilters>(() => filtersFromLink(link));
  const [filtering, setFiltering] = useState(false);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const query: ListQuery = {
    status: filters.status,
    open: filters.open ? 'true' : undefined,
    dueToday: filters.dueToday ? 'true' : undefined,
    returnedIn: filters.returnedIn,
    closedIn: filters.closedIn,
    priorityGroup: filters.priorityGroup,
    cause: filters.cause,
    under: filters.place?.code,
    schoolId: filters.school?.id,
    q: q || undefined,
  };
  const key = JSON.stringify(query);
  // Overdue cases come first in their own list, unless only they are asked for (then they are the list).
  const overdue = useLoader(
    () => (filters.overdueOnly ? null : casesApi.list({ ...query, overdue: 'true', limit: 100 })),
    [key, filters.overdueOnly],
  );
  const newest = usePagedList(
    (cursor) => casesApi.list({ ...query, overdue: filters.overdueOnly ? 'true' : 'false', cursor, limit: 20 }),
    [key, filters.overdueOnly],
  );
  const incoming = useLoader(() => (user.role === 'official' ? transfersApi.incoming() : null), [user.id]);

  const reload = useRef(() => Promise.all([overdue.reload(), newest.reload(), incoming.reload()]));
  reload.current = () => Promise.all([overdue.reload(), newest.reload(), incoming.reload()]);
  useOnReturn(() => void reload.current());

  const open = (item: CaseItem) => openPage(PAGES.officialCase, { id: item.id });
  const overdueItems = filters.overdueOnly ? [] : (overdue.data?.items ?? []);
  const described = describeFilters(filters);
  const transfers = incoming.data?.items ?? [];

  const transferSection = transfers.length > 0 && (
    <View className="section">
      <Text className="section-title section-title-alert">移交给本单位，待接收（{transfers.length}）</Text>
      {transfers.map((transfer) => (
        <IncomingTransfer
          key={transfer.id}
          transfer={transfer}
          onAccepted={(accepted) => {
            toastSuccess('已接收');
            void reload.current();
            openPage(PAGES.officialCase, { id: accepted.id });
          }}
          onRejected={() => {
            toastSuccess('已拒绝');
            void incoming.reload();
          }}
        />
      ))}
    </View>
  );
  const searchAndFilters = (
    <>
      <Input
        className="input input-search"
        value={search}
        maxlength={20}
        placeholder="按孩子姓名或案件编号查找"
        onInput={(event) => setSearch(event.detail.value)}
      />
      <View className="filter-bar">
        <Text className="filter-summary">{described ? `筛选：${described}` : '全部案件'}</Text>
        {described && (
          <Text className="link filter-clear" onClick={() => setFilters(NO_FILTERS)}>
            清除
          </Text>
        )}
        <Button className="btn btn-plain btn-small" onClick={() => setFiltering(!filtering)}>
          {filtering ? '收起筛选' : '筛选'}
        </Button>
      </View>
    </>
  );
  const filterPanel = filtering && (
    <CaseFilterPanel
      user={user}
      value={filters}
      onApply={(next) => {
        setFilters(next);
        setFiltering(false);
      }}
    />
  );
  const overdueCapped = overdue.data?.nextCursor && (
    <Text className="field-hint">超期案件较多，这里只列出前100件，请选择“只看超期”查看全部。</Text>
  );
  const empty = overdueItems.length > 0 ? null : described || q ? '没有符合条件的案件' : '收件箱里还没有案件';

  if (desktop) {
    return (
      <Screen className="list-page inbox-page inbox-page-desktop">
        <InboxDesktop
          user={user}
          initialCaseId={link.case ?? null}
          toolbar={searchAndFilters}
          above={
            <>
              {transferSection}
              {filterPanel}
              {overdue.error && <ErrorNotice message={overdue.error} onRetry={() => void overdue.reload()} />}
            </>
          }
          items={[...overdueItems, ...newest.items]}
          list={newest}
          empty={empty}
          below={overdueCapped}
          onChanged={() => void reload.current()}
        />
      </Screen>
    );
  }

  return (
    <Screen className="list-page inbox-page">
      <SubscribeNewCases />
      {transferSection}
      {searchAndFilters}
      {filterPanel}

      {overdueItems.length > 0 && (
        <View className="section">
          <Text className="section-title section-title-alert">已超期（{overdueItems.length}）</Text>
          {overdueItems.map((item) => (
            <CaseCard key={item.id} item={item} onClick={() => open(item)} />
          ))}
          {overdueCapped}
        </View>
      )}
      {overdue.error && <ErrorNotice message={overdue.error} onRetry={() => void overdue.reload()} />}

      <View className="section">
        <Text className="section-title">
          {filters.overdueOnly ? '超期案件（最新在前）' : overdueItems.length > 0 ? '其他案件（最新在前）' : '案件（最新在前）'}
        </Text>
        <PagedList list={newest} empty={empty}>
          {(item) => <CaseCard key={item.id} item={item} onClick={() => open(item)} />}
        </PagedList>
      </View>
    </Screen>
  );
}
