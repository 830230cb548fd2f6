import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import {
  schoolYearOf,
  type ConsolidationRow,
  type DropoutRow,
  type DropoutStage,
  type Rag,
  type RegionConsolidation,
} from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useLoader } from '../../../../hooks/use-loader';
import { regionApi, type CountyFigures, type RegionFigures, type RegionOverview } from '../../../../services/region';
import { today } from '../../../../utils/dates';
import '../../../../components/subpackage.css';
import '../../../../components/dropout-rates.css';
import '../../region.css';

const STAGES: ReadonlyArray<{ value: DropoutStage; label: string }> = [
  { value: 'primary', label: '小学' },
  { value: 'junior', label: '初中' },
  { value: 'poor', label: '困难家庭' },
];
const RAG_LABELS: Record<Rag, string> = { green: '达标', amber: '预警', red: '超标' };
const CONSOLIDATION_RAG_LABELS: Record<Rag, string> = { green: '达标', amber: '预警', red: '未达标' };

/** 2026 → 2026—2027学年. */
const yearLabel = (year: number) => `${year}—${year + 1}学年`;
/** 0.00421 → 0.42%. */
const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
/** 0.9542 → 95.4% (巩固率 is quoted to one decimal). */
const consolidationPercent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/**
 * 辖区概况 of a prefecture's or province's education department: one row per county the system
 * serves — dropout rates by stage against the targets in red, amber or green, open, overdue and
 * returned cases, the 巩固率 of the cohort graduating in the school year against 95 % — a province's
 * prefectures as subtotals, and a county's townships on a tap. Figures only: no child is ever named here.
 */
export default function RegionOverviewPage() {
  const current = schoolYearOf(today());
  const years = [current, current - 1, current - 2].map((year) => ({ value: String(year), label: yearLabel(year) }));
  const [schoolYear, setSchoolYear] = useState(years[0]!.value);
  const [county, setCounty] = useState<{ code: string; name: string } | null>(null);
  const overview = useLoader(() => regionApi.overview(Number(schoolYear)), [schoolYear]);

  return (
    <Screen className="list-page region-page">
      <Segmented choices={years} value={schoolYear} onChange={setSchoolYear} />
      {overview.error && <ErrorNotice message={overview.error} onRetry={() => void overview.reload()} />}
      {overview.loading && <Loading />}
      {overview.data && !overview.loading && (
        <>
          {county ? (
            <CountyDrill schoolYear={Number(schoolYear)} county={county} onBack={() => setCounty(null)} />
          ) : (
            <Overview overview={overview.data} onOpenCounty={(row) => setCounty({ code: row.code, name: row.name })} />
          )}
        </>
      )}
      <Text className="footnote">
        辍学率 = 本学年确认辍学的学生数 ÷ 学籍在籍学生数，口径与各县统计相同。目标：小学 ≤ 0.6%，初中 ≤ 1.8%，建档立卡脱贫户和监测户子女为
        0；超出目标一半以内为预警。巩固率 = 该学年九年级在籍学生 ÷（九年前一年级入学人数 + 转入 − 转出、迁出），目标
        95%，低于目标3个百分点以内为预警；各市和全辖区的巩固率只合计已填报该届入学人数的县，未填报的县整县不计入。此处只显示汇总数字，不含任何学生的个人信息。
      </Text>
    </Screen>
  );
}

function Overview({ overview, onOpenCounty }: { overview: RegionOverview; onOpenCounty: (row: RegionFigures) => void }) {
  return (
    <>
      <View className="card">
        <Text className="card-title">
          {overview.region.name} · {yearLabel(overview.schoolYear)}
        </Text>
        <Totals row={overview.total} />
        <ConsolidationTotal figure={overview.total.consolidation} />
      </View>
      {overview.prefectures.length > 0 && (
        <View className="card">
          <Text className="card-title">各市合计</Text>
          <FiguresTable rows={overview.prefectures} />
        </View>
      )}
      <View className="card county-table">
        <Text className="card-title">各县（点击查看各乡镇）</Text>
        {overview.counties.length === 0 ? (
          <Empty text="辖区内还没有接入本系统的县" />
        ) : (
          <FiguresTable rows={overview.counties} onOpen={onOpenCounty} />
        )}
      </View>
    </>
  );
}

function Totals({ row }: { row: Pick<RegionFigures, DropoutStage> & Partial<Pick<RegionFigures, 'open' | 'overdue' | 'returned'>> }) {
  return (
    <>
      <View className="total-cells">
        {STAGES.map(({ value, label }) => (
          <View key={value} className={`total-cell rag-${row[value].rag}`}>
            <Text className="total-stage">{label}</Text>
            <Text className="total-rate">{row[value].enrolled ? percent(row[value].rate) : '—'}</Text>
            <Text className="total-meta">
              {RAG_LABELS[row[value].rag]} · 目标 ≤ {percent(row[value].target)}
            </Text>
            <Text className="total-meta">
              辍学 {row[value].dropouts} / 在籍 {row[value].enrolled}
            </Text>
          </View>
        ))}
      </View>
      {row.open !== undefined && (
        <View className="stats-row">
          <Figure label="在办案件" value={row.open} />
          <Figure label="已逾期" value={row.overdue ?? 0} alert={(row.overdue ?? 0) > 0} />
          <Figure label="本学年返校" value={row.returned ?? 0} />
        </View>
      )}
    </>
  );
}

function FiguresTable({ rows, onOpen }: { rows: RegionFigures[] | RegionOverview['prefectures']; onOpen?: (row: RegionFigures) => void }) {
  return (
    <View className="rate-table">
      <View className="rate-row rate-head">
        <Text className="rate-name">单位</Text>
        {STAGES.map(({ value, label }) => (
          <Text key={value} className="rate-cell">
            {label}
          </Text>
        ))}
        <Text className="rate-cell">在办/逾期</Text>
        <Text className="rate-cell">返校</Text>
        <Text className="rate-cell">巩固率</Text>
      </View>
      {rows.map((row) => (
        <View
          key={row.code}
          className={onOpen ? 'rate-row rate-row-link county-row' : 'rate-row'}
          onClick={onOpen ? () => onOpen(row as RegionFigures) : undefined}
        >
          <Text className="rate-name">{row.name}</Text>
          {STAGES.map(({ value }) => (
            <RateCell key={value} cell={row[value]} />
          ))}
          <Text className={row.overdue > 0 ? 'rate-cell figure-alert' : 'rate-cell'}>
            {row.open}/{row.overdue}
          </Text>
          <Text className="rate-cell">{row.returned}</Text>
          <ConsolidationCell figure={row.consolidation} />
        </View>
      ))}
    </View>
  );
}

/** A county's own figures, by township: the furthest a region looks down. */
function CountyDrill({ schoolYear, county, onBack }: { schoolYear: number; county: { code: string; name: string }; onBack: () => void }) {
  const figures = useLoader(() => regionApi.county(schoolYear, county.code), [schoolYear, county.code]);
  return (
    <>
      <View className="drill-head">
        <Text className="section-title">{county.name}各乡镇</Text>
        <Button className="btn btn-plain btn-small" onClick={onBack}>
          返回全部县
        </Button>
      </View>
      {figures.error && <ErrorNotice message={figures.error} onRetry={() => void figures.reload()} />}
      {figures.loading && <Loading />}
      {figures.data && !figures.loading && <CountyBody figures={figures.data} />}
    </>
  );
}

function CountyBody({ figures }: { figures: CountyFigures }) {
  return (
    <>
      <View className="card">
        <Text className="card-title">
          {figures.unitName} · {yearLabel(figures.schoolYear)}
        </Text>
        <Totals row={{ ...figures.total, ...figures.cases }} />
        <ConsolidationTotal figure={figures.consolidation.total} />
      </View>
      <View className="card rate-table township-table">
        <View className="rate-row rate-head">
          <Text className="rate-name">乡镇</Text>
          {STAGES.map(({ value, label }) => (
            <Text key={value} className="rate-cell">
              {label}
            </Text>
          ))}
        </View>
        {figures.rows.length === 0 && <Text className="list-item-meta">该县还没有学籍数据</Text>}
        {figures.rows.map((row: DropoutRow) => (
          <View key={row.code} className="rate-row">
            <Text className="rate-name">{row.name}</Text>
            {STAGES.map(({ value }) => (
              <RateCell key={value} cell={row[value]} />
            ))}
          </View>
        ))}
      </View>
    </>
  );
}

function RateCell({ cell }: { cell: DropoutRow['primary'] }) {
  if (cell.enrolled === 0 && cell.dropouts === 0) return <Text className="rate-cell rate-none">—</Text>;
  return (
    <View className={`rate-cell rag-${cell.rag}`}>
      <Text className="rate-value">{cell.enrolled ? percent(cell.rate) : '—'}</Text>
      <Text className="rate-count">
        {cell.dropouts}/{cell.enrolled}
      </Text>
    </View>
  );
}

/** The unit's 巩固率 against 95 %, its formula, and which counties a sum leaves out (or why there is none). */
function ConsolidationTotal({ figure }: { figure: RegionConsolidation | ConsolidationRow }) {
  const missing = 'countiesWithoutIntake' in figure ? figure.countiesWithoutIntake : 0;
  const counted = 'countiesCounted' in figure ? figure.countiesCounted : null;
  return (
    <View className="consolidation-total">
      <View className={`consolidation-figure ${figure.rag ? `rag-${figure.rag}` : 'rate-none'}`}>
        <Text className="total-stage">九年义务教育巩固率</Text>
        <Text className="total-rate">{figure.rate === null ? '—' : consolidationPercent(figure.rate)}</Text>
        <Text className="total-meta">
          {figure.rag ? `${CONSOLIDATION_RAG_LABELS[figure.rag]} · ` : ''}目标 ≥ {consolidationPercent(figure.target)}
        </Text>
      </View>
      {figure.gapLabel && <Text className="list-item-meta">{figure.gapLabel}</Text>}
      <Text className="list-item-meta">{figure.formula}</Text>
      {counted !== null && missing > 0 && (
        <Text className="list-item-meta consolidation-missing">
          {missing}个县未填报该届一年级入学人数，不计入合计{counted > 0 ? `（按已填报的${counted}个县计算）` : ''}
        </Text>
      )}
    </View>
  );
}

/** A county's or prefecture's 巩固率 in the table: the rate in red, amber or green, its parts, or why there is none. */
function ConsolidationCell({ figure }: { figure: RegionConsolidation }) {
  const base = figure.intake === null ? null : figure.intake + figure.transfersIn - figure.transfersOut;
  const note = figure.countiesCounted + figure.countiesWithoutIntake > 1 && figure.countiesWithoutIntake > 0;
  if (figure.rate === null)
    return (
      <View className="rate-cell rate-none">
        <Text className="rate-value">—</Text>
        <Text className="rate-count">
          {figure.gap === 'no_intake' ? '未填报入学' : figure.gap === 'no_roster' ? '无九年级数' : '无法计算'}
        </Text>
        {note && figure.countiesCounted > 0 && <Text className="rate-count">{figure.countiesWithoutIntake}县未计入</Text>}
      </View>
    );
  return (
    <View className={`rate-cell rag-${figure.rag}`}>
      <Text className="rate-value">{consolidationPercent(figure.rate)}</Text>
      <Text className="rate-count">
        {figure.graduates}/{base}
      </Text>
      {note && <Text className="rate-count">{figure.countiesWithoutIntake}县未计入</Text>}
    </View>
  );
}

function Figure({ label, value, alert }: { label: string; value: number; alert?: boolean }) {
  return (
    <View className="stat">
      <Text className={alert ? 'stat-value figure-alert' : 'stat-value'}>{value}</Text>
      <Text className="stat-label">{label}</Text>
    </View>
  );
}
