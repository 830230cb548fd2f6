import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Rag } from '@baoxue/shared';
import { PAGES } from '../routes';
import type { Dashboard } from '../services/dashboard';
import { openPage } from '../utils/navigation';

const RAG_LABELS: Record<Rag, string> = { green: '达标', amber: '预警', red: '超标' };

/** Every figure opens the list it counts: a page of this app with its filter, as the server names it. */
const follow = (link: string) => void Taro.navigateTo({ url: link });
const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
/** 26 → 1天2小时: how late an item is (kept here: the dates helpers would bring their library into the main package). */
const late = (hours: number) => (hours < 24 ? `${hours}小时` : `${Math.floor(hours / 24)}天${hours % 24 ? `${hours % 24}小时` : ''}`);

/**
 * 工作台, on the home page of the county admin and a township leader: cards that open the inbox
 * filtered to the cases they count (and the dispatch list), the dropout rates against the targets,
 * twelve weeks of new cases and returns as plain bars, and the first dispatch items. Kept small:
 * it is in the main package, which WeChat downloads before anything else.
 */
export function DashboardPanel({ dashboard }: { dashboard: Dashboard }) {
  const { cases, rates, trend, dispatch } = dashboard;
  const figures = [cases.overdue, cases.dueToday, cases.open, cases.returnedThisMonth, cases.closedThisMonth];
  const highest = Math.max(1, ...trend.flatMap((week) => [week.newCases, week.returns]));
  const sum = (key: 'newCases' | 'returns') => trend.reduce((total, week) => total + week[key], 0);
  const bar = (count: number, kind: string) => (
    <View className={`dash-bar dash-${kind}`} style={{ height: `${Math.round((count / highest) * 100)}%` }} />
  );
  return (
    <View className="dash">
      <View className="dash-figures">
        {[...figures, { label: '今日调度', count: dispatch.count, link: dispatch.link }].map((figure) => (
          <View
            key={figure.label}
            className={figure === cases.overdue && figure.count > 0 ? 'dash-figure dash-alert' : 'dash-figure'}
            onClick={() => follow(figure.link)}
          >
            <Text className="dash-value">{figure.count}</Text>
            <Text>{figure.label}</Text>
          </View>
        ))}
      </View>
      <View className="card" role="button" onClick={() => follow(rates.link)}>
        <Text className="card-title">
          {rates.schoolYear}—{rates.schoolYear + 1}学年辍学率 ›
        </Text>
        {rates.stages.map((stage) => (
          <View key={stage.stage} className="dash-row">
            <Text className="dash-name">{stage.label}</Text>
            <Text className="dash-name">{stage.enrolled ? percent(stage.rate) : '—'}</Text>
            <Text className="dash-note">{stage.target > 0 ? `目标 ≤ ${percent(stage.target)}` : '目标 0'}</Text>
            <Text className={`dash-rag dash-${stage.rag}`}>{RAG_LABELS[stage.rag]}</Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="card-title">近{trend.length}周趋势</Text>
        <Text className="dash-note">
          新增疑似辍学 {sum('newCases')} 件（蓝）· 返校 {sum('returns')} 人（绿）；横轴为每周一的日期
        </Text>
        <View className="dash-trend">
          {trend.map((week) => (
            <View key={week.weekStart} className="dash-week">
              <View className="dash-bars">
                {bar(week.newCases, 'new')}
                {bar(week.returns, 'back')}
              </View>
              <Text className="dash-note">{Number(week.weekStart.slice(8))}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className="card dash-dispatch">
        <Text className="card-title dash-link" onClick={() => follow(dispatch.link)}>
          今日调度（{dispatch.count}）›
        </Text>
        {dispatch.items.length === 0 && <Text className="dash-note">没有逾期事项。</Text>}
        {dispatch.items.map((item) => (
          <View key={item.caseId} className="dash-row" role="button" onClick={() => openPage(PAGES.officialCase, { id: item.caseId })}>
            <Text className="dash-name">{item.childName}</Text>
            <Text className="dash-note">
              {item.townshipName ?? '县级待分派'} · {item.dueLabel}已逾期{late(item.overdueHours)}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}
