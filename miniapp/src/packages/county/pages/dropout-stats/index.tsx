import { useMemo, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import type { ConsolidationRow, DropoutRow, DropoutStage, Me, Rag } from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { Segmented, type Choice } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { registryApi, type DropoutStats, type StatsQuery } from '../../../../services/registry';
import { PAGES } from '../../../../routes';
import { toastSuccess } from '../../../../utils/feedback';
import { openPage } from '../../../../utils/navigation';
import { RateChart, type RateBar } from '../../components/rate-chart';
import { percent, recentSchoolYears, schoolYearLabel } from '../../registry-shared';
import '../../../../components/subpackage.css';
import '../../../../components/dropout-rates.css';
import '../../registry.css';

type Level = NonNullable<StatsQuery['by']>;

const STAGES: ReadonlyArray<Choice<DropoutStage>> = [
  { value: 'primary', label: '小学' },
  { value: 'junior', label: '初中' },
  { value: 'poor', label: '困难家庭' },
];

const STAGE_LABELS: Record<DropoutStage, string> = { primary: '小学', junior: '初中', poor: '困难家庭子女' };
const RAG_LABELS: Record<Rag, string> = { green: '达标', amber: '预警', red: '超标' };
const LEVEL_LABELS: Record<Level, string> = { township: '按乡镇', village: '按村', school: '按学校' };

/** The levels a unit's figures break down into: a county by township, a township by village; both by school. */
function levelsFor(user: Me): Level[] {
  if (user.role === 'county_admin') return ['township', 'school'];
  const unit = user.unit;
  if (!unit || unit.kind === 'school') return ['school'];
  if (unit.level === 'county') return ['township', 'school'];
  if (unit.level === 'township') return ['village', 'school'];
  return ['village'];
}

/**
 * 辍学统计: dropout rates per stage against the national targets (primary ≤ 0.6 %, junior ≤ 1.8 %,
 * children of registered poor households 0), for the caller's unit and the units below it, in
 * red, amber or green; a bar chart of one stage; the case figures; and the same as Excel.
 */
export default function DropoutStatsPage() {
  const user = useCurrentUser();
  return <Screen className="list-page dropout-stats-page">{user ? <Stats user={user} /> : <Loading />}</Screen>;
}

function Stats({ user }: { user: Me }) {
  const years = recentSchoolYears();
  const levels = levelsFor(user);
  const [schoolYear, setSchoolYear] = useState(years[0]!.value);
  const [level, setLevel] = useState<Level>(levels[0]!);
  // A county admin opens a township to see its villages.
  const [township, setTownship] = useState<{ code: string; name: string } | null>(null);
  const [stage, setStage] = useState<DropoutStage>('primary');

  const query: StatsQuery = township
    ? { schoolYear: Number(schoolYear), under: township.code, by: 'village' }
    : { schoolYear: Number(schoolYear), by: level };
  const stats = useLoader(() => registryApi.dropout(query), [schoolYear, level, township?.code]);

  const exporting = useAction(async () => {
    await registryApi.exportDropout(query);
    toastSuccess('统计已导出');
  });

  return (
    <>
      <Segmented choices={years} value={schoolYear} onChange={setSchoolYear} />
      {township ? (
        <View className="drill-head">
          <Text className="section-title">{township.name}各村</Text>
          <Button className="btn btn-plain btn-small" onClick={() => setTownship(null)}>
            返回全部乡镇
          </Button>
        </View>
      ) : (
        levels.length > 1 && (
          <Segmented choices={levels.map((value) => ({ value, label: LEVEL_LABELS[value] }))} value={level} onChange={setLevel} />
        )
      )}
      {stats.error && <ErrorNotice message={stats.error} onRetry={() => void stats.reload()} />}
      {stats.loading && <Loading />}
      {stats.data && !stats.loading && (
        <StatsBody
          stats={stats.data}
          stage={stage}
          onStage={setStage}
          canEnterIntake={user.role === 'county_admin'}
          onOpenTownship={
            !township && query.by === 'township' && user.role === 'county_admin'
              ? (row) => setTownship({ code: row.code, name: row.name })
              : undefined
          }
        />
      )}
      <Button className="btn btn-primary btn-block" loading={exporting.busy} disabled={!stats.data} onClick={() => void exporting.run()}>
        导出 Excel
      </Button>
      <Text className="footnote">
        辍学率 = 本学年确认辍学的学生数 ÷ 学籍在籍学生数。目标：小学 ≤ 0.6%，初中 ≤ 1.8%，建档立卡脱贫户和监测户子女为
        0。超出目标一半以内为预警。
      </Text>
    </>
  );
}

function StatsBody({
  stats,
  stage,
  onStage,
  onOpenTownship,
  canEnterIntake,
}: {
  stats: DropoutStats;
  stage: DropoutStage;
  onStage: (stage: DropoutStage) => void;
  canEnterIntake: boolean;
  onOpenTownship?: (row: DropoutRow) => void;
}) {
  const bars = useMemo<RateBar[]>(
    () => stats.rows.map((row) => ({ label: row.name, rate: row[stage].rate, rag: row[stage].rag })),
    [stats, stage],
  );
  return (
    <>
      <View className="card">
        <Text className="card-title">
          {stats.unitName} · {schoolYearLabel(stats.schoolYear)}
        </Text>
        <View className="total-cells">
          {STAGES.map(({ value }) => (
            <TotalCell key={value} stage={value} cell={stats.total[value]} />
          ))}
        </View>
      </View>

      {stats.rows.length > 0 && (
        <View className="card">
          <Text className="card-title">各单位{STAGE_LABELS[stage]}辍学率</Text>
          <Segmented choices={STAGES} value={stage} onChange={onStage} />
          <RateChart id="dropout-chart" bars={bars} target={stats.total[stage].target} />
        </View>
      )}

      <View className="card rate-table">
        <View className="rate-row rate-head">
          <Text className="rate-name">单位</Text>
          {STAGES.map(({ value, label }) => (
            <Text key={value} className="rate-cell">
              {label}
            </Text>
          ))}
        </View>
        {stats.rows.length === 0 && <Text className="list-item-meta rate-empty">还没有学籍数据：请先在“名册导入”中导入学籍花名册。</Text>}
        {stats.rows.map((row) => (
          <View
            key={row.code}
            className={onOpenTownship ? 'rate-row rate-row-link' : 'rate-row'}
            onClick={onOpenTownship ? () => onOpenTownship(row) : undefined}
          >
            <Text className="rate-name">{row.name}</Text>
            {STAGES.map(({ value }) => (
              <RateCell key={value} cell={row[value]} />
            ))}
          </View>
        ))}
        {onOpenTownship && stats.rows.length > 0 && <Text className="list-item-meta">点击乡镇查看各村</Text>}
      </View>

      <ConsolidationCard consolidation={stats.consolidation} canEnterIntake={canEnterIntake} />

      <CaseFigures cases={stats.cases} />
    </>
  );
}

type Cell = DropoutRow['primary'];

function TotalCell({ stage, cell }: { stage: DropoutStage; cell: Cell }) {
  return (
    <View className={`total-cell rag-${cell.rag}`}>
      <Text className="total-stage">{STAGE_LABELS[stage]}</Text>
      <Text className="total-rate">{percent(cell.rate)}</Text>
      <Text className="total-meta">
        {RAG_LABELS[cell.rag]} · 目标 ≤ {percent(cell.target)}
      </Text>
      <Text className="total-meta">
        辍学 {cell.dropouts} / 在籍 {cell.enrolled}
      </Text>
    </View>
  );
}

function RateCell({ cell }: { cell: Cell }) {
  if (cell.enrolled === 0) return <Text className="rate-cell rate-none">—</Text>;
  return (
    <View className={`rate-cell rag-${cell.rag}`}>
      <Text className="rate-value">{percent(cell.rate)}</Text>
      <Text className="rate-count">
        {cell.dropouts}/{cell.enrolled}
      </Text>
    </View>
  );
}

const CONSOLIDATION_RAG_LABELS: Record<Rag, string> = { green: '达标', amber: '预警', red: '未达标' };

/**
 * 巩固率 of the cohort graduating from grade 9 this school year, beside the dropout rates: the
 * formula with its parts, red/amber/green against the goal of 95 %, and why it is absent when it is.
 */
function ConsolidationCard({ consolidation, canEnterIntake }: { consolidation: DropoutStats['consolidation']; canEnterIntake: boolean }) {
  const { total, rows, graduatingYear, entryYear, source } = consolidation;
  return (
    <View className="card consolidation-card">
      <Text className="card-title">九年义务教育巩固率</Text>
      <Text className="list-item-meta">
        {schoolYearLabel(graduatingYear)}九年级（{schoolYearLabel(entryYear)}入学一年级）
      </Text>
      <View className="total-cells">
        <View className={`total-cell ${total.rag ? `rag-${total.rag}` : 'rate-none'}`}>
          <Text className="total-stage">{total.name}</Text>
          <Text className="total-rate">{total.rate === null ? '—' : consolidationPercent(total.rate)}</Text>
          <Text className="total-meta">
            {total.rag ? `${CONSOLIDATION_RAG_LABELS[total.rag]} · ` : ''}目标 ≥ {consolidationPercent(total.target)}
          </Text>
        </View>
      </View>
      {total.gapLabel && <Text className="list-item-meta consolidation-gap">{total.gapLabel}</Text>}
      <Text className="list-item-meta consolidation-formula">{total.formula}</Text>
      {source && <Text className="list-item-meta">入学人数来源：{source}</Text>}
      {rows.length > 0 && (
        <View className="rate-table">
          <View className="rate-row rate-head">
            <Text className="rate-name">乡镇</Text>
            <Text className="rate-cell">巩固率</Text>
            <Text className="rate-cell">九年级/基数</Text>
          </View>
          {rows.map((row) => (
            <ConsolidationLine key={row.code} row={row} />
          ))}
        </View>
      )}
      <Text className="footnote">
        巩固率 = 九年级在籍学生 ÷（九年前一年级入学人数 + 转入 −
        转出、迁出），转入转出取自学籍异动。乡镇按学生居住地统计，只显示县里填报了该乡镇入学人数的乡镇。全国2021年为95.4%，目标95%，低于目标3个百分点以内为预警。
      </Text>
      {canEnterIntake && (
        <Button className="btn btn-plain btn-small btn-open-intakes" onClick={() => openPage(PAGES.cohortIntakes)}>
          填报往年一年级入学人数
        </Button>
      )}
    </View>
  );
}

function ConsolidationLine({ row }: { row: ConsolidationRow }) {
  const base = row.intake === null ? null : row.intake + row.transfersIn - row.transfersOut;
  return (
    <View className="rate-row">
      <Text className="rate-name">{row.name}</Text>
      {row.rate === null ? (
        <Text className="rate-cell rate-none">—</Text>
      ) : (
        <View className={`rate-cell rag-${row.rag}`}>
          <Text className="rate-value">{consolidationPercent(row.rate)}</Text>
        </View>
      )}
      <Text className="rate-cell rate-count">
        {row.graduates ?? '—'}/{base ?? '—'}
      </Text>
    </View>
  );
}

/** 0.9542 → 95.4% (巩固率 is quoted to one decimal). */
function consolidationPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function CaseFigures({ cases }: { cases: DropoutStats['cases'] }) {
  const causes = cases.byCause.filter((cause) => cause.count > 0).sort((a, b) => b.count - a.count);
  return (
    <View className="card">
      <Text className="card-title">案件情况</Text>
      <View className="stats-row">
        <Figure label="在办案件" value={cases.open} />
        <Figure label="已逾期" value={cases.overdue} alert={cases.overdue > 0} />
        <Figure label="本学年返校" value={cases.returned} />
        <Figure label="返校天数中位数" value={cases.medianDaysToReturn ?? '—'} />
      </View>
      {causes.length > 0 && (
        <View className="causes">
          <Text className="list-item-meta">本学年立案的辍学原因</Text>
          {causes.map((cause) => (
            <View key={cause.cause} className="cause-row">
              <Text className="list-item-line">{cause.label}</Text>
              <Text className="list-item-line">{cause.count} 件</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}

function Figure({ label, value, alert }: { label: string; value: number | string; alert?: boolean }) {
  return (
    <View className="stat">
      <Text className={alert ? 'stat-value figure-alert' : 'stat-value'}>{value}</Text>
      <Text className="stat-label">{label}</Text>
    </View>
  );
}
