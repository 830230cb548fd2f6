import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { REPORT_KINDS, isReportPeriod, type ReportKind } from '@baoxue/shared';
import { DataTable, type Column } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { reportsApi, type ReportList, type ReportRow } from '../../../../services/reports';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { recentPeriods, REPORT_STATUS_TEXT, REPORTING_UNITS } from '../../report-labels';
import '../../../../components/subpackage.css';
import '../../reports.css';

const FIGURES: ReadonlyArray<{ key: Exclude<keyof NonNullable<ReportRow['figures']>, 'consolidationRate'>; label: string }> = [
  { key: 'newCases', label: '新增疑似' },
  { key: 'confirmed', label: '确认辍学' },
  { key: 'returned', label: '劝返复学' },
  { key: 'closed', label: '销号' },
  { key: 'stillOut', label: '仍未返校' },
  { key: 'overdue', label: '逾期未办' },
  { key: 'homeVisits', label: '家访' },
];

const isKind = (kind: string | undefined): kind is ReportKind => kind !== undefined && kind in REPORT_KINDS;

/**
 * The level above's view of a period (opened from 定期报告 with the kind and the period due now): each
 * unit that reports to it — a township's schools, a county's townships, a region's counties — with
 * the status of its report and its key figures side by side; late and returned reports in red. A
 * row opens the unit's report, where it is approved or returned.
 */
export default function ReportListPage() {
  const params = useRouter().params;
  const kind = isKind(params.kind) ? params.kind : null;
  const due = kind && params.period && isReportPeriod(kind, params.period) ? params.period : null;
  return (
    <Screen className="list-page report-list-page">{kind && due ? <ReportListBody kind={kind} due={due} /> : <FirstReviewed />}</Screen>
  );
}

/** Opened without a kind and period (a bookmark, the desk's address bar): the first kind the caller receives, due now. */
function FirstReviewed() {
  const mine = useLoader(() => reportsApi.mine(), []);
  const review = mine.data?.reviews[0];
  if (mine.error) return <ErrorNotice message={mine.error} onRetry={() => void mine.reload()} />;
  if (!mine.data) return <Loading />;
  return review ? <ReportListBody kind={review.kind} due={review.period} /> : <Empty text="没有需要向您上报的单位" />;
}

function ReportListBody({ kind, due }: { kind: ReportKind; due: string }) {
  const [period, setPeriod] = useState(due);
  const list = useLoader(() => reportsApi.list({ kind, period }), [kind, period]);
  useOnReturn(() => void list.reload());
  return (
    <>
      <Segmented choices={recentPeriods(due, 4)} value={period} onChange={setPeriod} />
      {list.error && <ErrorNotice message={list.error} onRetry={() => void list.reload()} />}
      {list.loading && <Loading />}
      {list.data && !list.loading && <ReportTable list={list.data} />}
    </>
  );
}

function ReportTable({ list }: { list: ReportList }) {
  const quarterly = list.kind === 'county_quarterly';
  const { totals } = list;
  const columns: Array<Column<ReportRow>> = [
    { key: 'unit', title: '单位', render: (row) => row.unit.name, sortValue: (row) => row.unit.name, width: '160px' },
    {
      key: 'status',
      title: '状态',
      render: (row) => <StatusTags row={row} />,
      sortValue: (row) => STATUS_ORDER[row.status],
      width: '170px',
    },
    {
      key: 'submittedAt',
      title: '上报时间',
      render: (row) => (row.submittedAt ? formatDateTime(row.submittedAt) : '—'),
      sortValue: (row) => row.submittedAt,
    },
    ...FIGURES.map((figure): Column<ReportRow> => ({
      key: figure.key,
      title: figure.label,
      render: (row) => (row.figures ? row.figures[figure.key] : '—'),
      sortValue: (row) => row.figures?.[figure.key],
    })),
    ...(quarterly
      ? [
          {
            key: 'consolidation',
            title: '巩固率',
            render: (row: ReportRow) => rateText(row),
            sortValue: (row: ReportRow) => row.figures?.consolidationRate,
          },
        ]
      : []),
  ];
  return (
    <>
      <View className="card report-list-head">
        <Text className="card-title">
          {REPORTING_UNITS[list.kind]}
          {list.periodLabel}
          {REPORT_KINDS[list.kind]}
        </Text>
        {list.dueOn && <Text className="report-meta">上报期限 {list.dueOn}</Text>}
        <View className="report-totals">
          <Text className="report-total">已审核 {totals.approved}</Text>
          <Text className="report-total">待审核 {totals.submitted}</Text>
          <Text className={totals.returned ? 'report-total report-total-alert' : 'report-total'}>已退回 {totals.returned}</Text>
          <Text className="report-total">草稿 {totals.draft}</Text>
          <Text className="report-total">未生成 {totals.missing}</Text>
          <Text className={totals.late ? 'report-total report-total-alert' : 'report-total'}>逾期 {totals.late}</Text>
        </View>
      </View>
      <DataTable
        label={`${REPORTING_UNITS[list.kind]}${REPORT_KINDS[list.kind]}`}
        items={list.rows}
        empty="没有需要向您上报的单位"
        rowKey={(row) => row.unit.id}
        columns={columns}
        card={(row) => <UnitCard key={row.unit.id} row={row} quarterly={quarterly} />}
        onOpen={(row) => openReport(row)}
        rowAlert={alerting}
      />
      <Text className="footnote">
        点击单位打开其报告，审核通过或退回。逾期指过了上报期限仍未上报（含草稿、被退回未重新上报和未生成）。此处只显示汇总数字，不含任何学生的个人信息。
      </Text>
    </>
  );
}

/** Late, or returned and not sent again: the level above follows these up first. */
const alerting = (row: ReportRow) => row.late || row.status === 'returned';

const openReport = (row: ReportRow) => {
  if (row.reportId) openPage(PAGES.report, { id: row.reportId });
};

/** Sorting by status puts what waits for the reviewer first. */
const STATUS_ORDER: Record<ReportRow['status'], number> = { submitted: 0, returned: 1, draft: 2, missing: 3, approved: 4 };

const rateText = (row: ReportRow) =>
  row.figures?.consolidationRate === null || row.figures?.consolidationRate === undefined
    ? '—'
    : `${(row.figures.consolidationRate * 100).toFixed(1)}%`;

function StatusTags({ row }: { row: ReportRow }) {
  return (
    <View className="report-tags">
      <Text className={`report-status report-status-${row.status}`}>{REPORT_STATUS_TEXT[row.status]}</Text>
      {row.late && <Text className="report-status report-late">已逾期</Text>}
    </View>
  );
}

/** A unit on a phone: its status and its key figures on one card. */
function UnitCard({ row, quarterly }: { row: ReportRow; quarterly: boolean }) {
  const className = ['card', 'list-item', 'report-unit-row', alerting(row) ? 'report-row-alert' : '', row.reportId ? 'report-row-link' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <View className={className} onClick={() => openReport(row)}>
      <View className="list-item-head">
        <Text className="list-item-title report-row-name">{row.unit.name}</Text>
      </View>
      <StatusTags row={row} />
      {row.figures ? (
        <View className="report-figure-chips">
          {FIGURES.map((figure) => (
            <Text key={figure.key} className="report-figure-chip">
              {figure.label} {row.figures![figure.key]}
            </Text>
          ))}
          {quarterly && <Text className="report-figure-chip">巩固率 {rateText(row)}</Text>}
        </View>
      ) : (
        <Text className="report-meta">还没有生成本期报告</Text>
      )}
      {row.submittedAt && <Text className="report-meta">{formatDateTime(row.submittedAt)} 上报</Text>}
    </View>
  );
}
