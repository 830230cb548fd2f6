import { useState, type ReactNode } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { CASE_SOURCES, gradeLabel } from '@baoxue/shared';
import type { CaseSource } from '@baoxue/shared';
import { CaseCard } from '../../../../components/case-card';
import { DataTable } from '../../../../components/data-table';
import { DetailRow } from '../../../../components/detail-row';
import { Screen } from '../../../../components/screen';
import { Segmented, type Choice } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useLoader } from '../../../../hooks/use-loader';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { casesApi, type CaseItem } from '../../../../services/cases';
import { registryApi, type CrosscheckRun, type ReviewPair } from '../../../../services/registry';
import { confirm, showError, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { ReviewBulkDecide, reviewPairColumns, SOURCE_CASE_COLUMNS, type Decision } from '../../components/crosscheck-table';
import { recentSchoolYears, schoolYearLabel, usePolling } from '../../registry-shared';
import '../../registry.css';

type Tab = 'result' | 'review' | 'history';
type ReviewStatus = ReviewPair['status'];

const RUN_STATUSES: Record<CrosscheckRun['status'], string> = { running: '比对中', completed: '已完成', failed: '未完成' };

const REVIEW_FILTERS: ReadonlyArray<Choice<ReviewStatus>> = [
  { value: 'pending', label: '待确认' },
  { value: 'same', label: '是同一人' },
  { value: 'different', label: '不是同一人' },
];

/**
 * 四查三比对 (BRIEF §5): household registration against the rosters finds children of school age
 * who are on no roster (失学); the rosters against attendance find pupils who stopped coming
 * (辍学); the poor-household list flags priority children. Each child found becomes a case routed
 * to the township. Names that nearly match wait here for a person to say whether they are one child.
 */
export default function CrosscheckPage() {
  const years = recentSchoolYears();
  const [schoolYear, setSchoolYear] = useState(years[0]!.value);
  const [tab, setTab] = useState<Tab>('result');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const runs = useLoader(() => registryApi.runs(), []);
  const items = runs.data?.items ?? [];
  const selected = items.find((run) => run.id === selectedId) ?? items[0] ?? null;
  const running = items.some((run) => run.status === 'running');
  const [reviewsVersion, setReviewsVersion] = useState(0);

  usePolling(running, async () => {
    const next = await registryApi.runs();
    runs.set(next);
    // A finished run may have added pairs to confirm.
    if (!next.items.some((run) => run.status === 'running')) setReviewsVersion((v) => v + 1);
  });

  const starting = useAction(async (year: number) => {
    const run = await registryApi.startCrosscheck(year);
    runs.set({ items: [run, ...items.filter((item) => item.id !== run.id)] });
    setSelectedId(run.id);
    setTab('result');
  });

  const start = async () => {
    const year = Number(schoolYear);
    if (
      !(await confirm(
        '开始比对',
        `按${schoolYearLabel(year)}比对户籍、学籍、缺勤和困难家庭名单。发现的失学、辍学儿童将立案并分派到乡镇。`,
        '开始',
      ))
    )
      return;
    await starting.run(year);
  };

  const pending = selected?.status === 'completed' ? selected.counts.review : null;
  const tabs: ReadonlyArray<Choice<Tab>> = [
    { value: 'result', label: '比对结果' },
    { value: 'review', label: '人工确认' },
    { value: 'history', label: '比对记录' },
  ];

  return (
    <Screen className="list-page crosscheck-page">
      <View className="card">
        <Text className="card-title">四查三比对</Text>
        <Text className="card-note">
          户籍与学籍比对，找出未入学的适龄儿童（失学）；学籍与在校情况比对，找出缺勤达到规则的学生（辍学）；并与困难家庭名单比对，标记重点关注的孩子。请先在“名册导入”中导入最新名册。
        </Text>
        <Segmented choices={years} value={schoolYear} onChange={setSchoolYear} />
        <Button className="btn btn-primary btn-block" loading={starting.busy || running} disabled={running} onClick={() => void start()}>
          {running ? '正在比对…' : '开始比对'}
        </Button>
      </View>
      <Segmented choices={tabs} value={tab} onChange={setTab} />
      {runs.error && <ErrorNotice message={runs.error} onRetry={() => void runs.reload()} />}
      {runs.loading && !runs.data && <Loading />}
      {tab === 'result' &&
        runs.data &&
        (selected ? <RunResult run={selected} onReview={() => setTab('review')} pending={pending} /> : <Empty text="还没有运行过比对" />)}
      {tab === 'review' && <ReviewQueue key={reviewsVersion} />}
      {tab === 'history' &&
        runs.data &&
        (items.length === 0 ? (
          <Empty text="还没有运行过比对" />
        ) : (
          items.map((run) => (
            <RunItem
              key={run.id}
              run={run}
              active={run.id === selected?.id}
              onClick={() => {
                setSelectedId(run.id);
                setTab('result');
              }}
            />
          ))
        ))}
    </Screen>
  );
}

function RunResult({ run, pending, onReview }: { run: CrosscheckRun; pending: number | null; onReview: () => void }) {
  const { counts } = run;
  return (
    <>
      <View className="card run-summary">
        <View className="list-item-head">
          <Text className="card-title">{schoolYearLabel(run.schoolYear)}</Text>
          <Text className={`tag tag-run-${run.status}`}>{RUN_STATUSES[run.status]}</Text>
        </View>
        <Text className="list-item-meta">
          {run.startedByName ?? '—'} · {formatDateTime(run.startedAt)} 开始
          {run.finishedAt ? ` · ${formatDateTime(run.finishedAt)} 完成` : ''}
        </Text>
        {run.status === 'running' && <Text className="list-item-line progress-text">正在比对，请稍候。比对期间可以离开本页。</Text>}
        {run.status === 'failed' && <Text className="list-item-error">{run.error ?? '比对没有完成，请稍后重试'}</Text>}
      </View>
      {run.status === 'completed' && (
        <>
          <Category title="户籍适龄儿童" count={counts.householdChecked} unit="人">
            <DetailRow label="按身份证号匹配">{counts.matchedById} 人</DetailRow>
            <DetailRow label="按姓名等匹配">{counts.matchedByName} 人（姓名、出生日期和户籍村相同）</DetailRow>
          </Category>
          <Category
            title="失学：户籍有、学籍无"
            count={counts.notEnrolled}
            unit="人"
            note="本次新立案，已分派到户籍所在乡镇核查"
            alert={counts.notEnrolled > 0}
            source="cross_check"
          />
          <Category
            title="辍学：在籍但缺勤达到规则"
            count={counts.absent}
            unit="人"
            note="本次新立案，已分派到乡镇并通知学校"
            alert={counts.absent > 0}
            source="absence"
          />
          <Category title="待人工确认" count={counts.review} unit="人" note="姓名或出生日期相近，需要确认是否为同一人">
            {pending !== null && pending > 0 && (
              <Button className="btn btn-plain btn-small category-action" onClick={onReview}>
                去确认
              </Button>
            )}
          </Category>
          <Category title="已在跟进" count={counts.alreadyFollowed} unit="人" note="已有在办案件，没有重复立案" />
          <Category title="困难家庭标记" count={counts.priorityFlagged} unit="人" note="按困难家庭名单新标记为重点关注的孩子" />
        </>
      )}
    </>
  );
}

function Category({
  title,
  count,
  unit,
  note,
  alert,
  source,
  children,
}: {
  title: string;
  count: number;
  unit: string;
  note?: string;
  alert?: boolean;
  /** The cases this category opened, listed on demand. */
  source?: CaseSource;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <View className="card category">
      <View className="list-item-head">
        <Text className="category-title">{title}</Text>
        <View className={alert ? 'category-count category-count-alert' : 'category-count'}>
          <Text className="category-number">{count}</Text>
          <Text className="category-unit"> {unit}</Text>
        </View>
      </View>
      {note && <Text className="list-item-meta">{note}</Text>}
      {children}
      {source && (
        <Button className="btn btn-plain btn-small category-action" onClick={() => setOpen(!open)}>
          {open ? '收起名单' : '查看名单'}
        </Button>
      )}
      {source && open && <SourceCases source={source} />}
    </View>
  );
}

/** The cases a kind of check has opened, newest first: every run, not only this one (ID numbers masked). */
function SourceCases({ source }: { source: CaseSource }) {
  const cases = usePagedList((cursor) => casesApi.list({ source, cursor, limit: 20 }), [source]);
  return (
    <View className="source-cases">
      <Text className="list-item-meta">
        来源为“{CASE_SOURCES[source]}”的全部案件（含以往各次），身份证号已隐去中间位数。点击查看办理情况。
      </Text>
      <DataTable<CaseItem>
        label={`${CASE_SOURCES[source]}立案名单`}
        list={cases}
        empty="没有立案的孩子"
        rowKey={(item) => item.id}
        columns={SOURCE_CASE_COLUMNS}
        onOpen={(item) => openPage(PAGES.officialCase, { id: item.id })}
        rowAlert={(item) => item.overdue}
        card={(item) => <CaseCard key={item.id} item={item} onClick={() => openPage(PAGES.officialCase, { id: item.id })} />}
      />
    </View>
  );
}

function ReviewQueue() {
  const [status, setStatus] = useState<ReviewStatus>('pending');
  const reviews = usePagedList((cursor) => registryApi.reviews({ status, cursor, limit: 20 }), [status]);
  const [selected, setSelected] = useState<string[]>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const onDecided = (decided: ReviewPair) => reviews.replace(decided, (a, b) => a.id === b.id);
  // a row's 是同一人 / 不是同一人 on the desktop table: the same question and request as the card's
  const decideRow = async (pair: ReviewPair, decision: Decision) => {
    const [title, question] = decisionQuestion(pair, decision);
    if (!(await confirm(title, question, '确认'))) return;
    setBusyId(pair.id);
    try {
      onDecided(await registryApi.decide(pair.id, decision));
      setSelected((keys) => keys.filter((key) => key !== pair.id));
      toastSuccess('已确认');
    } catch (failure) {
      showError(failure);
    } finally {
      setBusyId(null);
    }
  };
  const pendingSelected = reviews.items.filter((pair) => pair.status === 'pending' && selected.includes(pair.id));
  return (
    <>
      <Text className="section-note">
        户籍中的孩子与学籍中的学生姓名只差一个字，或出生日期相近。请核对后确认：是同一人则不再列入失学名单；不是同一人则按失学立案。
      </Text>
      <Segmented
        choices={REVIEW_FILTERS}
        value={status}
        onChange={(next) => {
          setSelected([]);
          setStatus(next);
        }}
      />
      <DataTable<ReviewPair>
        label="待人工确认名单"
        list={reviews}
        empty={status === 'pending' ? '没有需要确认的记录' : '没有记录'}
        rowKey={(pair) => pair.id}
        columns={reviewPairColumns({ run: (pair, decision) => void decideRow(pair, decision), busyId })}
        card={(pair) => <ReviewCard key={pair.id} pair={pair} onDecided={onDecided} />}
        selected={status === 'pending' ? selected : undefined}
        onSelect={status === 'pending' ? setSelected : undefined}
        bulkActions={
          <ReviewBulkDecide
            pairs={pendingSelected}
            onDone={(decided, refused) => {
              decided.forEach(onDecided);
              setSelected(refused);
            }}
          />
        }
      />
    </>
  );
}

/** The title and question that confirm one pair's decision. */
function decisionQuestion({ household, pupil }: ReviewPair, decision: Decision): [string, string] {
  return decision === 'same'
    ? ['是同一人', `确认户籍中的${household.name}就是学籍中的${pupil.name}？确认后不再列入失学名单。`]
    : ['不是同一人', `确认${household.name}和${pupil.name}不是同一人？${household.name}将按失学立案，分派到户籍所在乡镇核查。`];
}

function ReviewCard({ pair, onDecided }: { pair: ReviewPair; onDecided: (pair: ReviewPair) => void }) {
  const { household, pupil } = pair;
  const deciding = useAction(async (decision: 'same' | 'different') => {
    onDecided(await registryApi.decide(pair.id, decision));
    toastSuccess('已确认');
  });

  const decide = async (decision: Decision) => {
    const [title, question] = decisionQuestion(pair, decision);
    if (!(await confirm(title, question, '确认'))) return;
    await deciding.run(decision);
  };

  return (
    <View className="card list-item review-card">
      <Text className="review-reason">{pair.reason}</Text>
      <View className="review-sides">
        <View className="review-side">
          <Text className="review-side-label">户籍</Text>
          <Text className="list-item-title">{household.name}</Text>
          <Text className="list-item-line">{household.birthDate} 出生</Text>
          <Text className="list-item-line">{household.villageName ?? '户籍村不详'}</Text>
          {household.idNumberMasked && <Text className="list-item-meta">身份证 {household.idNumberMasked}</Text>}
        </View>
        <View className="review-side">
          <Text className="review-side-label">学籍</Text>
          <Text className="list-item-title">{pupil.name}</Text>
          <Text className="list-item-line">{pupil.birthDate ? `${pupil.birthDate} 出生` : '出生日期不详'}</Text>
          <Text className="list-item-line">
            {pupil.schoolName ?? '学校不详'}
            {pupil.grade ? ` · ${gradeLabel(pupil.grade)}` : ''}
          </Text>
          {pupil.villageName && <Text className="list-item-line">{pupil.villageName}</Text>}
          {pupil.studentNumberMasked && <Text className="list-item-meta">学籍号 {pupil.studentNumberMasked}</Text>}
        </View>
      </View>
      {pair.status === 'pending' ? (
        <View className="inline-actions">
          <Button className="btn btn-plain btn-small" disabled={deciding.busy} onClick={() => void decide('different')}>
            不是同一人
          </Button>
          <Button className="btn btn-primary btn-small" disabled={deciding.busy} onClick={() => void decide('same')}>
            是同一人
          </Button>
        </View>
      ) : (
        <Text className={`review-decided review-decided-${pair.status}`}>
          已确认{pair.status === 'same' ? '是同一人' : '不是同一人，已按失学立案'}
          {pair.decidedByName ? `（${pair.decidedByName}）` : ''}
        </Text>
      )}
    </View>
  );
}

function RunItem({ run, active, onClick }: { run: CrosscheckRun; active: boolean; onClick: () => void }) {
  return (
    <View className={active ? 'card list-item run-item run-item-active' : 'card list-item run-item'} onClick={onClick}>
      <View className="list-item-head">
        <Text className="list-item-title">{schoolYearLabel(run.schoolYear)}</Text>
        <Text className={`tag tag-run-${run.status}`}>{RUN_STATUSES[run.status]}</Text>
      </View>
      {run.status === 'completed' && (
        <Text className="list-item-line">
          失学 {run.counts.notEnrolled} · 辍学 {run.counts.absent} · 待确认 {run.counts.review} · 已在跟进 {run.counts.alreadyFollowed}
        </Text>
      )}
      {run.status === 'failed' && <Text className="list-item-error">{run.error ?? '比对没有完成'}</Text>}
      <Text className="list-item-meta">
        {run.startedByName ?? '—'} · {formatDateTime(run.startedAt)}
      </Text>
    </View>
  );
}
