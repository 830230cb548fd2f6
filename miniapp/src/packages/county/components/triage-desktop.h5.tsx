import { useState } from 'react';
import { View } from '@tarojs/components';
import { routeCaseRequest } from '@baoxue/shared';
import { CaseCard } from '../../../components/case-card';
import { TRIAGE_COLUMNS } from '../../../components/case-columns.h5';
import { DataTable } from '../../../components/data-table';
import { ErrorNotice } from '../../../components/status';
import { useForm } from '../../../hooks/use-form';
import { useLoader } from '../../../hooks/use-loader';
import { PAGES } from '../../../routes';
import { casesApi, type CaseItem } from '../../../services/cases';
import { divisionsApi } from '../../../services/divisions';
import { messageOf } from '../../../services/request';
import { toastSuccess } from '../../../utils/feedback';
import { openPage } from '../../../utils/navigation';
import type { TriageDesktopProps } from './triage-desktop';
import './triage-desktop.h5.css';

/**
 * 待分派线索 at a desk: the queue as a table; the county selects cases and routes them all to one
 * township with one reason (批量分派). There is no bulk endpoint: each case is routed by its own
 * request, as one at a time would be, so each keeps its own routing record and a refusal (e.g. a case
 * closed meanwhile) touches only that case; the cases refused stay selected with their reasons.
 */
export function TriageDesktop({ countyCode, queue }: TriageDesktopProps) {
  const [selected, setSelected] = useState<string[]>([]);
  const [routing, setRouting] = useState(false);

  return (
    <View className="triage-desktop">
      {routing && countyCode && selected.length > 0 && (
        <BulkRouteForm
          countyCode={countyCode}
          cases={queue.items.filter((item) => selected.includes(item.id))}
          onCancel={() => setRouting(false)}
          onDone={(refused) => {
            setSelected(refused);
            if (refused.length === 0) setRouting(false);
            void queue.reload();
          }}
        />
      )}
      <DataTable<CaseItem>
        label="待分派线索"
        list={queue}
        empty="没有待分派的线索"
        rowKey={(item) => item.id}
        columns={TRIAGE_COLUMNS}
        card={(item) => <CaseCard key={item.id} item={item} onClick={() => openPage(PAGES.officialCase, { id: item.id })} />}
        onOpen={(item) => openPage(PAGES.officialCase, { id: item.id })}
        rowAlert={(item) => item.overdue}
        selected={countyCode ? selected : undefined}
        onSelect={countyCode ? setSelected : undefined}
        bulkActions={
          <button type="button" className="data-table-button data-table-button-primary" onClick={() => setRouting(true)}>
            批量分派
          </button>
        }
      />
    </View>
  );
}

interface Refusal {
  name: string;
  message: string;
}

function BulkRouteForm({
  countyCode,
  cases,
  onCancel,
  onDone,
}: {
  countyCode: string;
  cases: CaseItem[];
  onCancel: () => void;
  /** The ids of the cases the server refused. */
  onDone: (refused: string[]) => void;
}) {
  const townships = useLoader(() => divisionsApi.children(countyCode), [countyCode]);
  const form = useForm(routeCaseRequest, { reason: '' });
  const [refusals, setRefusals] = useState<Refusal[]>([]);

  const submit = () =>
    form.submit(async (body) => {
      const refused: string[] = [];
      const reasons: Refusal[] = [];
      // one after another: a county routes a screenful, and the server's per-case checks stay simple
      for (const item of cases) {
        try {
          await casesApi.route(item.id, body);
        } catch (failure) {
          refused.push(item.id);
          reasons.push({ name: `${item.child.name}（${item.number}）`, message: messageOf(failure) });
        }
      }
      setRefusals(reasons);
      const township = townships.data?.items.find((candidate) => candidate.code === body.townshipCode)?.name ?? '乡镇';
      const routed = cases.length - refused.length;
      if (routed > 0) toastSuccess(`已分派 ${routed} 件到${township}`);
      onDone(refused);
    });

  return (
    <View className="bulk-route" role="region" aria-label="批量分派">
      <View className="bulk-route-title">批量分派 {cases.length} 条线索</View>
      {townships.error && <ErrorNotice message={townships.error} onRetry={() => void townships.reload()} />}
      <View className="bulk-route-fields">
        <label className="bulk-route-field">
          <span>分派到乡镇</span>
          <select
            value={form.values.townshipCode ?? ''}
            aria-invalid={Boolean(form.errors.townshipCode)}
            onChange={(event) => form.set('townshipCode', event.target.value || undefined)}
          >
            <option value="">请选择乡镇</option>
            {townships.data?.items.map((township) => (
              <option key={township.code} value={township.code}>
                {township.name}
              </option>
            ))}
          </select>
          {form.errors.townshipCode && <span className="bulk-route-error">{form.errors.townshipCode}</span>}
        </label>
        <label className="bulk-route-field bulk-route-reason">
          <span>分派原因</span>
          <input
            type="text"
            value={form.values.reason ?? ''}
            maxLength={200}
            placeholder="例如：据线索描述，孩子们住在该镇"
            aria-invalid={Boolean(form.errors.reason)}
            onChange={(event) => form.set('reason', event.target.value)}
          />
          {form.errors.reason && <span className="bulk-route-error">{form.errors.reason}</span>}
        </label>
        <button
          type="button"
          className="data-table-button data-table-button-primary"
          disabled={form.submitting}
          onClick={() => void submit()}
        >
          {form.submitting ? '分派中…' : '分派'}
        </button>
        <button type="button" className="data-table-button" onClick={onCancel}>
          取消
        </button>
      </View>
      {form.formError && <View className="bulk-route-error">{form.formError}</View>}
      {refusals.length > 0 && (
        <View className="bulk-route-refusals">
          <View className="bulk-route-error">以下线索未能分派，仍保留在选择中：</View>
          {refusals.map((refusal) => (
            <View key={refusal.name} className="bulk-route-error">
              {refusal.name}：{refusal.message}
            </View>
          ))}
        </View>
      )}
      <View className="bulk-route-hint">分派后各乡镇的工作人员会收到通知，每条线索的分派记录都会保留操作人和原因。</View>
    </View>
  );
}
