import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { ENROLMENT_NOTICE_STATES } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useDesktop } from '../../../../hooks/use-desktop';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { followUpApi, type EnrolmentBatch as Batch, type FollowUp } from '../../../../services/enrolment-follow-up';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { shortDivisionName } from '../../../../utils/labels';
import { FollowUpTables } from '../../components/follow-up-tables';
import '../../../../components/field.css';
import '../../../../components/subpackage.css';
import '../../county.css';

type Group = FollowUp['groups'][number];
type Counts = Group['counts'];

const ALL = 'all';

/**
 * 入学通知书回执: per receiving school and village, how many guardians have acknowledged the
 * enrolment notice, and who has not (overdue first), so the village can follow up; a reminder goes to
 * every guardian in the app who has not acknowledged (at most once a day each). Schools, townships,
 * villages and the county each see their own scope.
 */
export default function EnrolmentFollowUpPage() {
  const user = useCurrentUser();
  const batches = useLoader(() => (user ? followUpApi.batches() : null), [user?.id]);
  const [chosen, setChosen] = useState<string | null>(null);
  const items = batches.data?.items ?? [];
  const batchId = chosen ?? items[0]?.id ?? null;
  const followUp = useLoader(
    () => (user && batchId ? followUpApi.followUp(batchId === ALL ? undefined : batchId) : null),
    [user?.id, batchId],
  );
  useOnReturn(() => void followUp.reload());
  const batch = items.find((b) => b.id === batchId) ?? null;

  return (
    <Screen className="list-page follow-up-page">
      {batches.error && <ErrorNotice message={batches.error} onRetry={() => void batches.reload()} />}
      {batches.loading && !batches.data && <Loading />}
      {batches.data && items.length === 0 && <Empty text="本单位范围内还没有发出入学通知书" />}
      {items.length > 0 && (
        <View className="card">
          <Text className="card-title">通知书批次</Text>
          <View className="chips">
            {items.map((b) => (
              <View key={b.id} className={b.id === batchId ? 'chip chip-active' : 'chip'} onClick={() => setChosen(b.id)}>
                {batchLabel(b)}
              </View>
            ))}
            {items.length > 1 && (
              <View className={batchId === ALL ? 'chip chip-active' : 'chip'} onClick={() => setChosen(ALL)}>
                全部批次
              </View>
            )}
          </View>
          {batch && (
            <Text className="list-item-meta">
              {batch.issuerName} {formatDateTime(batch.issuedAt)} 发出 · 报到 {batch.reportOn} · 回执截止 {batch.acknowledgeBy}
            </Text>
          )}
        </View>
      )}
      {followUp.error && <ErrorNotice message={followUp.error} onRetry={() => void followUp.reload()} />}
      {followUp.loading && !followUp.data && batchId && <Loading />}
      {followUp.data && user && <FollowUpView view={followUp.data} batch={batch} user={user} reload={followUp.reload} />}
    </Screen>
  );
}

function batchLabel(batch: Batch): string {
  return `${batch.schoolYear}年 ${batch.schoolName}${batch.kind === 'graduates' ? '（小学毕业生）' : '（新生）'}`;
}

function sum(groups: readonly Group[]): Counts {
  const total: Counts = { total: 0, acknowledged: 0, deferred: 0, pending: 0, overdue: 0, deferralsToDecide: 0 };
  for (const group of groups) for (const key of Object.keys(total) as Array<keyof Counts>) total[key] += group.counts[key];
  return total;
}

function FollowUpView({ view, batch, user, reload }: { view: FollowUp; batch: Batch | null; user: Me; reload: () => Promise<void> }) {
  const counts = sum(view.groups);
  const unit = user.unit?.name ?? '';
  const desktop = useDesktop();
  return (
    <>
      <View className="card">
        <Text className="card-title">{unit ? `${unit}回执情况` : '回执情况'}</Text>
        <Text className="list-item-meta">统计于 {formatDateTime(view.asOf)}</Text>
        <View className="stats-card follow-up-stats">
          <Stat value={counts.total} label="通知书" alert={false} />
          <Stat value={counts.acknowledged} label="已回执" alert={false} />
          <Stat value={counts.pending} label="未回执" alert={counts.overdue > 0} />
          <Stat value={counts.deferred} label="延缓入学" alert={false} />
        </View>
        {counts.overdue > 0 && <Text className="list-item-error">已过回执截止日期仍未回执：{counts.overdue} 名</Text>}
        {batch && counts.pending > 0 && <RemindButton batchId={batch.id} under={null} label="提醒全部未回执的家长" onDone={reload} />}
        {!batch && counts.pending > 0 && <Text className="field-hint">选择一个批次后可以提醒未回执的家长。</Text>}
      </View>

      {desktop && <FollowUpTables view={view} batch={batch} reload={reload} />}
      {!desktop && (
        <>
          <View className="section">
            <Text className="section-title">按学校和村</Text>
            {view.groups.map((group) => (
              <View key={`${group.schoolId}-${group.villageCode ?? ''}`} className="card list-item follow-up-group">
                <View className="list-item-head">
                  <Text className="list-item-title">{group.villageName ? shortDivisionName(group.villageName) : '村未知'}</Text>
                  {group.counts.pending === 0 ? (
                    <Text className="tag tag-sent">全部回执</Text>
                  ) : (
                    <Text className={group.counts.overdue > 0 ? 'tag tag-overdue' : 'tag tag-waiting'}>未回执 {group.counts.pending}</Text>
                  )}
                </View>
                <Text className="list-item-line">{group.schoolName}</Text>
                <Text className="list-item-line">
                  共 {group.counts.total} 份 · 已回执 {group.counts.acknowledged} · 未回执 {group.counts.pending}
                  {group.counts.overdue ? `（逾期 ${group.counts.overdue}）` : ''}
                  {group.counts.deferred ? ` · 延缓入学 ${group.counts.deferred}` : ''}
                  {group.counts.deferralsToDecide ? ` · 延缓申请待审批 ${group.counts.deferralsToDecide}` : ''}
                </Text>
                {batch && group.counts.pending > 0 && group.villageCode && view.groups.length > 1 && (
                  <RemindButton batchId={batch.id} under={group.villageCode} label="提醒本村未回执的家长" onDone={reload} />
                )}
              </View>
            ))}
          </View>

          <View className="section">
            <Text className="section-title">未回执名单</Text>
            {view.items.length === 0 && <Empty text="没有未回执的家长" />}
            {view.items.map((item) => (
              <View
                key={item.noticeId}
                className={item.overdue ? 'card list-item case-card-overdue pending-child' : 'card list-item pending-child'}
              >
                <View className="list-item-head">
                  <Text className="list-item-title">{item.childName}</Text>
                  <View className="tags">
                    {item.overdue && <Text className="tag tag-overdue">已逾期</Text>}
                    <Text className="tag tag-waiting">{ENROLMENT_NOTICE_STATES[item.state]}</Text>
                  </View>
                </View>
                <Text className="list-item-line">
                  {item.villageName ? shortDivisionName(item.villageName) : '村未知'} · {item.schoolName}
                </Text>
                <Text className="list-item-line">
                  {item.guardiansInApp > 0 ? `${item.guardiansInApp} 位家长已绑定小程序` : '家长未使用小程序，请村里上门送达纸质通知书'}
                </Text>
                <Text className="list-item-meta">
                  回执截止 {item.acknowledgeBy}
                  {item.lastRemindedAt ? ` · 上次提醒 ${formatDateTime(item.lastRemindedAt)}` : ''}
                </Text>
              </View>
            ))}
            {view.truncated && <Text className="field-hint">名单较长，只显示前面的一部分；请按村查看。</Text>}
          </View>
        </>
      )}
    </>
  );
}

function Stat({ value, label, alert }: { value: number; label: string; alert: boolean }) {
  return (
    <View className="stat">
      <Text className={alert ? 'stat-value stat-value-alert' : 'stat-value'}>{value}</Text>
      <Text className="stat-label">{label}</Text>
    </View>
  );
}

function RemindButton({
  batchId,
  under,
  label,
  onDone,
}: {
  batchId: string;
  under: string | null;
  label: string;
  onDone: () => Promise<void>;
}) {
  const [result, setResult] = useState<string | null>(null);
  const reminding = useAction(
    async () => {
      const done = await followUpApi.remind(batchId, under);
      const parts = [`已提醒 ${done.reminded} 名孩子的 ${done.guardians} 位家长`];
      if (done.skippedRecent) parts.push(`${done.skippedRecent} 名24小时内已提醒过`);
      if (done.withoutApp) parts.push(`${done.withoutApp} 名孩子的家长未使用小程序，请上门送达`);
      setResult(parts.join('；'));
      toastSuccess('已发送提醒');
      await onDone();
    },
    { errorIn: 'inline' },
  );

  return (
    <View className="remind">
      <Button className="btn btn-primary btn-small" loading={reminding.busy} onClick={() => void reminding.run()}>
        {label}
      </Button>
      {result && <Text className="remind-result">{result}</Text>}
      {reminding.error && <Text className="field-error">{reminding.error}</Text>}
    </View>
  );
}
