import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { REPORT_KINDS, type Me } from '@baoxue/shared';
import { PriorityTags } from '../../../../components/case-card';
import { ESCALATED_TO_LABELS } from '../../../../components/case-labels';
import { DataTable } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useDesktop } from '../../../../hooks/use-desktop';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { caseHandlingApi, dispatchApi, type DispatchItem, type DispatchView, type RecheckDue } from '../../../../services/case-handling';
import { hoursLabel } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { DISPATCH_COLUMNS } from '../../components/county-columns';
import '../../../../components/field.css';
import '../../county.css';

/** Where a late or returned report of a unit below stands (BRIEF §5a). */
const REPORT_DUE_TEXT: Record<DispatchView['reportsDue'][number]['status'], string> = {
  missing: '未生成',
  draft: '未上报',
  returned: '退回未重报',
};

/**
 * 一日一调度: every overdue step in the unit, by township, with who owns it and how late it is;
 * transfers nobody accepted in time; relapse re-checks that are due. County admins see the county,
 * township leaders and cadres their township.
 */
export default function DispatchPage() {
  const user = useCurrentUser();
  const dispatch = useLoader(() => (user ? dispatchApi.list() : null), [user?.id]);
  useOnReturn(() => void dispatch.reload());

  return (
    <Screen className="list-page dispatch-page">
      {dispatch.error && <ErrorNotice message={dispatch.error} onRetry={() => void dispatch.reload()} />}
      {dispatch.loading && !dispatch.data && <Loading />}
      {dispatch.data && user && <Dispatch view={dispatch.data} user={user} reload={dispatch.reload} />}
    </Screen>
  );
}

function Dispatch({ view, user, reload }: { view: DispatchView; user: Me; reload: () => Promise<void> }) {
  const desktop = useDesktop();
  const byTownship = new Map<string, DispatchItem[]>();
  for (const item of view.items) {
    const township = item.townshipName ?? '县级待分派';
    byTownship.set(township, [...(byTownship.get(township) ?? []), item]);
  }
  const nothing =
    view.items.length === 0 &&
    view.pendingTransfers.length === 0 &&
    view.rechecksDue.length === 0 &&
    view.reportsDue.length === 0 &&
    view.rectifications.length === 0;

  return (
    <>
      <View className="card dispatch-head">
        <Text className="card-title">{user.unit?.kind === 'division' ? `${user.unit.name}一日一调度` : '一日一调度'}</Text>
        <Text className="list-item-meta">生成于 {formatDateTime(view.generatedAt)}</Text>
        <View className="stats-card dispatch-stats">
          <Stat value={view.items.length} label="逾期事项" alert={view.items.length > 0} />
          <Stat value={view.pendingTransfers.length} label="移交逾期未接收" alert={view.pendingTransfers.length > 0} />
          <Stat value={view.rechecksDue.length} label="待复查" alert={false} />
        </View>
        {view.byTownship.length > 1 && (
          <View className="township-counts">
            {view.byTownship.map((row) => (
              <Text key={row.townshipName} className="township-count">
                {row.townshipName} {row.overdue} 件
              </Text>
            ))}
          </View>
        )}
      </View>
      {nothing && <Empty text="今天没有逾期事项，也没有待复查的孩子" />}

      {desktop && view.items.length > 0 && (
        <DataTable<DispatchItem>
          label="逾期事项"
          items={view.items}
          rowKey={(item) => `${item.caseId}-${item.dueKind}`}
          columns={DISPATCH_COLUMNS}
          onOpen={(item) => openPage(PAGES.officialCase, { id: item.caseId })}
          card={(item) => <DispatchCard key={item.caseId} item={item} />}
        />
      )}
      {!desktop &&
        [...byTownship].map(([township, items]) => (
          <View key={township} className="section">
            <Text className="section-title section-title-alert">
              {township}：逾期 {items.length} 件
            </Text>
            {items.map((item) => (
              <DispatchCard key={item.caseId} item={item} />
            ))}
          </View>
        ))}

      {view.pendingTransfers.length > 0 && (
        <View className="section">
          <Text className="section-title section-title-alert">移交逾期未接收（{view.pendingTransfers.length}）</Text>
          {view.pendingTransfers.map((transfer) => (
            <View
              key={transfer.id}
              className="card list-item case-card-overdue"
              onClick={() => openPage(PAGES.officialCase, { id: transfer.caseId })}
            >
              <View className="list-item-head">
                <Text className="list-item-title">{transfer.childName}</Text>
                <Text className="tag tag-overdue">逾期未接收</Text>
              </View>
              <Text className="list-item-line">
                {transfer.fromTownshipName ?? '县教育局'} → {transfer.toSchoolName ?? transfer.toTownshipName ?? '—'}
              </Text>
              <Text className="history-note">原因：{transfer.reason}</Text>
              <Text className="list-item-meta">接收期限 {formatDateTime(transfer.dueAt)}</Text>
            </View>
          ))}
        </View>
      )}

      {view.reportsDue.length > 0 && (
        <View className="section dispatch-reports">
          <Text className="section-title section-title-alert">下级定期报告逾期或被退回（{view.reportsDue.length}）</Text>
          {view.reportsDue.map((report) => (
            <View
              key={`${report.kind}-${report.unit.id}-${report.period}`}
              className="card list-item case-card-overdue"
              onClick={() =>
                report.reportId
                  ? openPage(PAGES.report, { id: report.reportId })
                  : openPage(PAGES.reportList, { kind: report.kind, period: report.period })
              }
            >
              <View className="list-item-head">
                <Text className="list-item-title">{report.unit.name}</Text>
                <Text className="tag tag-overdue">{REPORT_DUE_TEXT[report.status]}</Text>
              </View>
              <Text className="list-item-line">
                {report.periodLabel}
                {REPORT_KINDS[report.kind]}
              </Text>
              <Text className="list-item-meta">
                上报期限 {report.dueOn}
                {report.late ? ' · 已逾期' : ''}
              </Text>
            </View>
          ))}
        </View>
      )}

      {view.rectifications.length > 0 && (
        <View className="section dispatch-rectifications">
          <Text className="section-title section-title-alert">督导整改事项（{view.rectifications.length}）</Text>
          {view.rectifications.map((item) => (
            <View
              key={item.id}
              className={item.overdue ? 'card list-item case-card-overdue' : 'card list-item'}
              onClick={() => openPage(PAGES.rectifications)}
            >
              <View className="list-item-head">
                <Text className="list-item-title">
                  {item.townshipName} · 案件{item.caseNumber}
                </Text>
                {item.overdue && <Text className="tag tag-overdue">已逾期</Text>}
              </View>
              <Text className="list-item-line">{item.problem}</Text>
              <Text className="list-item-meta">整改期限 {item.deadlineOn}</Text>
            </View>
          ))}
        </View>
      )}

      {view.rechecksDue.length > 0 && (
        <View className="section">
          <Text className="section-title">待复查（{view.rechecksDue.length}）</Text>
          {view.rechecksDue.map((recheck) => (
            <RecheckCard key={recheck.id} recheck={recheck} onDone={reload} />
          ))}
        </View>
      )}
    </>
  );
}

function Stat({ value, label, alert }: { value: number; label: string; alert: boolean }) {
  return (
    <View className="stat">
      <Text className={alert ? 'stat-value stat-value-alert' : 'stat-value'}>{value}</Text>
      <Text className="stat-label">{label}</Text>
    </View>
  );
}

function DispatchCard({ item }: { item: DispatchItem }) {
  return (
    <View className="card list-item dispatch-item case-card-overdue" onClick={() => openPage(PAGES.officialCase, { id: item.caseId })}>
      <View className="list-item-head">
        <Text className="list-item-title">{item.childName}</Text>
        <View className="tags">
          <Text className="tag tag-overdue">超期 {hoursLabel(item.overdueHours)}</Text>
          <Text className="tag">{item.status}</Text>
        </View>
      </View>
      <PriorityTags groups={item.priorityGroups} />
      <Text className="list-item-line">逾期事项：{item.dueLabel}</Text>
      <Text className="list-item-line">负责人：{item.ownerName ?? '尚未指定包抓干部'}</Text>
      <Text className="list-item-meta">期限 {formatDateTime(item.dueAt)}</Text>
      {item.escalatedTo && <Text className="list-item-error">已升级到{ESCALATED_TO_LABELS[item.escalatedTo]}督办</Text>}
    </View>
  );
}

type RecheckResult = 'attending' | 'absent';
const RESULTS: ReadonlyArray<{ value: RecheckResult; label: string }> = [
  { value: 'attending', label: '在校就读' },
  { value: 'absent', label: '未在校' },
];

/** 登记复查: a returned child checked again about one and three months after 销号 (relapse watch). */
function RecheckCard({ recheck, onDone }: { recheck: RecheckDue; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<RecheckResult | null>(null);
  const [missing, setMissing] = useState(false);
  // The reload drops this card, so the button stays busy until it goes.
  const saving = useAction(
    async (chosen: RecheckResult) => {
      await caseHandlingApi.completeRecheck(recheck.id, { result: chosen });
      toastSuccess(chosen === 'absent' ? '已登记，案件重新打开' : '已登记复查');
      await onDone();
    },
    { errorIn: 'inline', staysBusy: true },
  );
  const error = missing ? '请选择复查结果' : saving.error;

  const save = () => {
    setMissing(!result);
    if (result) void saving.run(result);
  };

  return (
    <View className="card list-item recheck-item">
      <View className="list-item-head" onClick={() => openPage(PAGES.officialCase, { id: recheck.caseId })}>
        <Text className="list-item-title">{recheck.childName}</Text>
        <Text className="tag tag-waiting">应于 {recheck.dueOn} 复查</Text>
      </View>
      {!open && (
        <Button className="btn btn-primary btn-small" onClick={() => setOpen(true)}>
          登记复查
        </Button>
      )}
      {open && (
        <View className="action-panel">
          <Text className="field-label">复查结果</Text>
          <Segmented choices={RESULTS} value={result} onChange={setResult} />
          {result === 'absent' && <Text className="field-hint">未在校的，案件重新打开，回到劝返。</Text>}
          {error && <Text className="field-error">{error}</Text>}
          <View className="inline-actions">
            <Button className="btn btn-plain btn-small" onClick={() => setOpen(false)}>
              取消
            </Button>
            <Button className="btn btn-primary btn-small" loading={saving.busy} onClick={save}>
              保存
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
