import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import {
  addDays,
  DATA_QUALITY_ITEM_LABELS,
  type DataQualityItem,
  type DataQualityRecord,
  type DataQualityRuleResult,
} from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { PAGES } from '../../../../routes';
import { dataQualityApi } from '../../../../services/data-quality';
import { today } from '../../../../utils/dates';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import '../../../../components/field.css';
import '../../../../components/subpackage.css';
import './index.css';

/**
 * 数据质量 (issue 18 item 6): the county's — or a township leader's township's — records entered in a
 * period that look fabricated or impossible, grouped by rule: each rule with its count, the rule in
 * words, and its records (case number, who logged what and when), each opening its case. A flag asks
 * for a check; the page says so.
 */
export default function DataQualityPage() {
  const user = useCurrentUser();
  const [to, setTo] = useState<string>(today());
  const [from, setFrom] = useState<string>(addDays(today(), -29));
  const flags = useLoader(() => (user ? dataQualityApi.get({ from, to }) : null), [user, from, to]);

  return (
    <Screen className="list-page quality-page">
      <View className="card">
        <Text className="field-label">录入期间</Text>
        <View className="quality-dates">
          <DateField className="input-from" value={from} end={to} onChange={(day) => day && setFrom(day)} />
          <Text className="quality-dash">至</Text>
          <DateField className="input-to" value={to} start={from} end={today()} onChange={(day) => day && setTo(day)} />
        </View>
        <Text className="card-note">按记录录入系统的时间筛选。以下记录看起来不合常理，仅提示核实，不代表一定弄虚作假。</Text>
      </View>
      {flags.error && <ErrorNotice message={flags.error} onRetry={() => void flags.reload()} />}
      {flags.loading && <Loading />}
      {flags.data &&
        !flags.loading &&
        flags.data.rules.map((rule) => (
          <RuleCard key={`${rule.code}-${flags.data!.from}-${flags.data!.to}`} rule={rule} from={from} to={to} />
        ))}
    </Screen>
  );
}

/** One rule: its count and explanation, its records page by page. */
function RuleCard({ rule, from, to }: { rule: DataQualityRuleResult; from: string; to: string }) {
  const [records, setRecords] = useState<DataQualityRecord[]>(rule.records);
  const [page, setPage] = useState(rule.page);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const more = async () => {
    setLoading(true);
    setError(null);
    try {
      const next = await dataQualityApi.get({ from, to, rule: rule.code, page: page + 1 });
      setRecords((shown) => [...shown, ...(next.rules[0]?.records ?? [])]);
      setPage(page + 1);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : '加载失败，请重试');
    } finally {
      setLoading(false);
    }
  };
  return (
    <View className={`card quality-rule quality-rule-${rule.code}`}>
      <View className="quality-rule-head">
        <Text className="card-title">{rule.title}</Text>
        <Text className={`tag quality-count${rule.total ? '' : ' quality-count-none'}`}>{rule.total ? `${rule.total} 条` : '无'}</Text>
      </View>
      <Text className="card-note">{rule.rule}</Text>
      {rule.total === 0 && <Empty text="本期间没有发现此类记录" />}
      {records.map((record, index) => (
        <View
          key={`${record.caseId}-${record.items[0]?.id ?? index}`}
          className="quality-record"
          role="button"
          onClick={() => openPage(PAGES.officialCase, { id: record.caseId })}
        >
          <View className="list-item-head">
            <Text className="list-item-title">{record.caseNumber ?? '案件'}</Text>
            {record.townshipName && <Text className="list-item-meta">{record.townshipName}</Text>}
          </View>
          {record.actorName && <Text className="list-item-line">经办：{record.actorName}</Text>}
          {record.items.map((item, i) => (
            <Text key={`${item.kind}-${item.id ?? i}`} className="quality-item">
              {itemLine(item, record.actorName)}
            </Text>
          ))}
        </View>
      ))}
      {error && <ErrorNotice message={error} />}
      {records.length < rule.total && (
        <Button className="btn btn-plain btn-block" loading={loading} onClick={() => void more()}>
          更多（还有 {rule.total - records.length} 条）
        </Button>
      )}
    </View>
  );
}

/**
 * 家访 2026-12-01（录入 2026-12-01 10:04，包抓干部甲）; another township's work names its township and
 * case. The account is left out when it is the record's own (shown above as 经办).
 */
function itemLine(item: DataQualityItem, recordActor: string | null): string {
  const parts: string[] = [DATA_QUALITY_ITEM_LABELS[item.kind]];
  if (item.day) parts.push(item.day);
  const details = [
    item.at ? `${item.kind === 'opened' ? '' : '录入 '}${formatDateTime(item.at)}` : null,
    item.actorName === recordActor ? null : item.actorName,
    item.townshipName,
    item.caseNumber,
  ].filter(Boolean);
  return details.length ? `${parts.join(' ')}（${details.join('，')}）` : parts.join(' ');
}
