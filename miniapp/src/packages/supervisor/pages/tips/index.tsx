import { useEffect, useRef } from 'react';
import { Button, Text, View } from '@tarojs/components';
import type { OwnTipView } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useStore } from '../../../../hooks/use-store';
import { PAGES } from '../../../../routes';
import { tipOutbox } from '../../../../services/tip-outbox';
import { tipsApi } from '../../../../services/tips';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { latestMilestone } from '../../tip-progress';
import { QueuedTips } from '../../components/queued-tips';
import '../../../../components/subpackage.css';

/** 我的线索: the supervisor's record, tips still on the phone, and every tip sent with its progress. */
export default function MyTipsPage() {
  const user = useCurrentUser();
  const outbox = useStore(tipOutbox.store);
  const tips = usePagedList((cursor) => tipsApi.mine({ cursor, limit: 20 }), []);

  const reload = useRef(tips.reload);
  reload.current = tips.reload;
  useOnReturn(() => void reload.current());
  // A waiting tip that gets through moves from the phone's list to the server's.
  useEffect(() => tipOutbox.onSent(() => void reload.current()), []);

  const stats = tips.lastPage?.stats;
  return (
    <Screen className="list-page tips-page">
      <View className="card stats-card">
        <Stat label="已提交线索" value={stats?.sent} />
        <Stat label="确认辍学儿童" value={stats?.confirmed} />
        <Stat label="已复学儿童" value={stats?.returned} />
      </View>
      <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.supervisorTipForm)}>
        提交新线索
      </Button>

      <QueuedTips items={tipOutbox.queued(user?.id, outbox)} />

      <View className="section">
        <Text className="section-title">已提交的线索</Text>
        <PagedList list={tips} empty="还没有提交过线索">
          {(tip) => <TipRow key={tip.id} tip={tip} />}
        </PagedList>
      </View>
    </Screen>
  );
}

function Stat({ label, value }: { label: string; value: number | undefined }) {
  return (
    <View className="stat">
      <Text className="stat-value">{value ?? '—'}</Text>
      <Text className="stat-label">{label}</Text>
    </View>
  );
}

function TipRow({ tip }: { tip: OwnTipView }) {
  const unfounded = tip.milestones.find((milestone) => milestone.kind === 'unfounded');
  return (
    <View className="card list-item tip-row" onClick={() => openPage(PAGES.supervisorTip, { id: tip.id })}>
      <View className="list-item-head">
        <Text className="list-item-title">{tip.child.name}</Text>
        <Text className="tag tag-sent">已提交</Text>
      </View>
      <Text className="list-item-line">{tip.place ?? '居住地不清楚'}</Text>
      <Text className="list-item-line">
        进展：<Text className="progress">{latestMilestone(tip.milestones)}</Text>
        {unfounded?.note ? `（${unfounded.note}）` : ''}
      </Text>
      {tip.alreadyFollowed && <Text className="list-item-meta">提交时该儿童已有工作人员在跟进</Text>}
      <Text className="list-item-meta">提交于 {formatDateTime(tip.createdAt)}</Text>
    </View>
  );
}
