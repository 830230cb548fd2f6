import { Text, View } from '@tarojs/components';
import { CIRCULAR_TABLES } from '@baoxue/shared';
import type { CircularSummary } from '../services/circulars';
import { PAGES } from '../routes';
import { formatDateTime } from '../utils/format';
import { openPage } from '../utils/navigation';

/** A 通报 in a list: number, title, period and who came first; opens the 通报. */
export function CircularCard({ circular }: { circular: CircularSummary }) {
  const unread = circular.readAt === null;
  return (
    <View className="card list-item circular-card" role="button" onClick={() => openPage(PAGES.circular, { id: circular.id })}>
      <View className="list-item-head">
        <Text className="list-item-title">{circular.title}</Text>
        {unread && <Text className="tag">未读</Text>}
      </View>
      <Text className="list-item-line">
        {circular.number} · {CIRCULAR_TABLES[circular.by]} · {circular.from} 至 {circular.to}
      </Text>
      {circular.firstRanked.length > 0 && <Text className="list-item-line">第一名：{circular.firstRanked.join('、')}</Text>}
      <Text className="list-item-meta">
        {circular.countyName} · {formatDateTime(circular.publishedAt)} · 发送 {circular.recipients} 人
      </Text>
    </View>
  );
}
