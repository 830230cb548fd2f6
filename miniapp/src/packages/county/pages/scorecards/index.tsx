import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { schoolYearOf, schoolYearRange, type ScorecardFigure, type ScorecardRow } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Screen } from '../../../../components/screen';
import { Segmented, type Choice } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { scorecardsApi, type Scorecard, type ScorecardTable } from '../../../../services/scorecards';
import { today } from '../../../../utils/dates';
import './index.css';

const TABLES: ReadonlyArray<Choice<ScorecardTable>> = [
  { value: 'township', label: '各乡镇' },
  { value: 'school', label: '各学校' },
];

/** A figure as the table shows it: hours to a tenth, a share in per cent, a count as it is. */
function shown(kind: Scorecard['figures'][number]['kind'], value: number | null): string {
  if (value === null) return '—';
  if (kind === 'hours') return `${value.toFixed(1)}小时`;
  if (kind === 'share') return `${(value * 100).toFixed(1)}%`;
  return String(value);
}

/** What a figure is computed from, under its value: 2/3, or how many cases a median is over. */
function basis(kind: Scorecard['figures'][number]['kind'], figure: ScorecardRow['figures'][ScorecardFigure]): string {
  if (kind === 'hours') return `${figure.denominator ?? 0}件`;
  if (kind === 'share') return `${figure.numerator ?? 0}/${figure.denominator ?? 0}`;
  return '';
}

/**
 * 考核排名 (BRIEF §5a): the county's townships — or, for the county admin, its schools — ranked on
 * their case work in a period: time to acknowledge, verification and first visit on time, overdue
 * work, children returned and relapsed, supervisors' tips confirmed. Each figure shows what it is
 * computed from, and every formula is written out below the table. Counts only, no child named.
 */
export default function ScorecardsPage() {
  const user = useCurrentUser();
  const yearStart = schoolYearRange(schoolYearOf(today())).from;
  const [from, setFrom] = useState<string>(yearStart);
  const [to, setTo] = useState<string>(today());
  const [table, setTable] = useState<ScorecardTable>('township');
  const county = user?.role === 'county_admin';
  const card = useLoader(() => (user ? scorecardsApi.get({ by: county ? table : undefined, from, to }) : null), [user, table, from, to]);

  return (
    <Screen className="list-page scorecard-page">
      {county && <Segmented choices={TABLES} value={table} onChange={setTable} />}
      <View className="card scorecard-period">
        <Text className="field-label">统计期间</Text>
        <View className="scorecard-dates">
          <DateField className="input-from" value={from} end={to} onChange={(day) => day && setFrom(day)} />
          <Text className="scorecard-dash">至</Text>
          <DateField className="input-to" value={to} start={from} end={today()} onChange={(day) => day && setTo(day)} />
        </View>
      </View>
      {card.error && <ErrorNotice message={card.error} onRetry={() => void card.reload()} />}
      {card.loading && <Loading />}
      {card.data && !card.loading && <ScorecardBody card={card.data} />}
    </Screen>
  );
}

function ScorecardBody({ card }: { card: Scorecard }) {
  const unitLabel = card.by === 'school' ? '学校' : card.by === 'county' ? '县' : '乡镇';
  return (
    <>
      <View className="card scorecard-table">
        <Text className="card-title">
          {card.unitName} · {card.from} 至 {card.to}
        </Text>
        {card.rows.length === 0 ? (
          <Empty text={`还没有可排名的${unitLabel}`} />
        ) : (
          <View className="scorecard-grid">
            <View className="scorecard-row scorecard-head">
              <Text className="scorecard-rank">名次</Text>
              <Text className="scorecard-name">{unitLabel}</Text>
              {card.figures.map((figure) => (
                <Text key={figure.key} className="scorecard-cell">
                  {figure.label}
                </Text>
              ))}
            </View>
            {card.rows.map((row) => (
              <View key={row.code} className="scorecard-row">
                <Text className="scorecard-rank">{row.rank}</Text>
                <Text className="scorecard-name">{row.name}</Text>
                {card.figures.map((figure) => {
                  const value = row.figures[figure.key];
                  return (
                    <View key={figure.key} className="scorecard-cell">
                      <Text className="scorecard-value">{shown(figure.kind, value.value)}</Text>
                      <Text className="scorecard-basis">
                        {basis(figure.kind, value)}
                        {value.rank ? ` · 第${value.rank}` : ''}
                      </Text>
                    </View>
                  );
                })}
              </View>
            ))}
          </View>
        )}
      </View>
      <View className="card scorecard-formulas">
        <Text className="card-title">计算方法</Text>
        {card.figures.map((figure) => (
          <View key={figure.key} className="scorecard-formula">
            <Text className="scorecard-formula-label">
              {figure.label}（{figure.better === 'lower' ? '越低越好' : '越高越好'}）
            </Text>
            <Text className="scorecard-formula-text">{figure.formula}</Text>
          </View>
        ))}
        <Text className="scorecard-formula-text">{card.ranking}</Text>
      </View>
      <Text className="scorecard-note">此处只显示各单位的汇总数字，不含任何学生的个人信息。</Text>
    </>
  );
}
