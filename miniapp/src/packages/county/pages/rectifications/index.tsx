import { useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { RECTIFICATION_STATUSES, type RectificationStatus } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { spotChecksApi, type Rectification } from '../../../../services/spot-checks';
import { toastSuccess } from '../../../../utils/feedback';
import '../../county.css';

type Filter = RectificationStatus | 'all';
const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'open', label: RECTIFICATION_STATUSES.open },
  { value: 'reported', label: '待验收' },
  { value: 'accepted', label: RECTIFICATION_STATUSES.accepted },
  { value: 'all', label: '全部' },
];

/**
 * 整改事项 of 督导 spot checks: a township's leaders and cadres see theirs and record what they did; the
 * county sees every township's and accepts a rectification or returns it with what is still missing.
 */
export default function RectificationsPage() {
  const user = useCurrentUser();
  const county = user?.role === 'county_admin';
  const [filter, setFilter] = useState<Filter>(county ? 'reported' : 'open');
  const list = usePagedList(
    (cursor) => spotChecksApi.rectifications({ cursor, limit: 20, ...(filter === 'all' ? {} : { status: filter }) }),
    [filter],
  );
  return (
    <Screen className="list-page rectifications-page">
      <Segmented choices={FILTERS} value={filter} onChange={setFilter} />
      <PagedList list={list} empty="没有整改事项">
        {(item) => (
          <RectificationCard key={item.id} item={item} county={county} onChanged={(next) => list.replace(next, (a, b) => a.id === b.id)} />
        )}
      </PagedList>
    </Screen>
  );
}

function RectificationCard({
  item,
  county,
  onChanged,
}: {
  item: Rectification;
  county: boolean;
  onChanged: (next: Rectification) => void;
}) {
  const [note, setNote] = useState('');
  const report = useAction(async () => {
    onChanged(await spotChecksApi.report(item.id, { note, version: item.version }));
    toastSuccess('已登记整改情况');
  });
  const review = useAction(async (decision: 'accept' | 'return') => {
    onChanged(await spotChecksApi.review(item.id, { decision, note: note || undefined, version: item.version }));
    toastSuccess(decision === 'accept' ? '已验收' : '已退回');
  });
  return (
    <View className="card rectification-item">
      <Text className="card-title">
        {item.townshipName} · 案件{item.caseNumber}
      </Text>
      <Text className="list-item-line">{item.problem}</Text>
      <Text className={item.overdue ? 'list-item-meta text-alert' : 'list-item-meta'}>
        {item.statusLabel} · 整改期限 {item.deadlineOn}
        {item.overdue ? '（已逾期）' : ''}
        {item.returns ? ` · 退回${item.returns}次` : ''}
      </Text>
      {item.reportNote && <Text className="list-item-line">整改情况：{item.reportNote}</Text>}
      {item.reviewNote && <Text className="list-item-line">验收意见：{item.reviewNote}</Text>}
      {!county && item.status === 'open' && (
        <>
          <Textarea
            className="input input-report"
            maxlength={1000}
            placeholder="写明整改了什么：如家访、补录记录、孩子返校情况"
            value={note}
            onInput={(event) => setNote(event.detail.value)}
          />
          <Button className="btn btn-primary btn-small btn-report" loading={report.busy} onClick={() => void report.run()}>
            登记整改情况
          </Button>
        </>
      )}
      {county && item.status === 'reported' && (
        <>
          <Textarea
            className="input input-review"
            maxlength={500}
            placeholder="验收意见（退回时必填）"
            value={note}
            onInput={(event) => setNote(event.detail.value)}
          />
          <Button className="btn btn-primary btn-small btn-accept" loading={review.busy} onClick={() => void review.run('accept')}>
            验收通过
          </Button>
          <Button className="btn btn-plain btn-small btn-return" loading={review.busy} onClick={() => void review.run('return')}>
            退回
          </Button>
        </>
      )}
    </View>
  );
}
