import { Text, View } from '@tarojs/components';
import { scorecardBasisText, scorecardValueText, type ScorecardResponse } from '@baoxue/shared';
import { Empty } from './status';
import './scorecard-table.css';

/**
 * A scorecard (考核排名) as a table: each unit's rank and figures, what each figure is computed from,
 * and every formula written out below. Shared by the live scorecard and a published 通报's snapshot.
 */
export function ScorecardTable({ card }: { card: ScorecardResponse }) {
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
                      <Text className="scorecard-value">{scorecardValueText(figure.kind, value.value)}</Text>
                      <Text className="scorecard-basis">
                        {scorecardBasisText(figure.kind, value)}
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
