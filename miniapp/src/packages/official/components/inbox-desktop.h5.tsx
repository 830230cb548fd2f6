import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { LEDGER_MAX_SELECTED } from '@baoxue/shared';
import { CaseCard } from '../../../components/case-card';
import { INBOX_COLUMNS } from '../../../components/case-columns.h5';
import { DataTable } from '../../../components/data-table';
import { Empty } from '../../../components/status';
import type { CaseItem } from '../../../services/cases';
import { downloadFile } from '../../../services/download';
import { today } from '../../../utils/dates';
import { showError, toastSuccess } from '../../../utils/feedback';
import { CaseContent } from './case-content';
import type { InboxDesktopProps } from './inbox-desktop';
import './inbox-desktop.h5.css';

/**
 * Keeps the case shown in the panel in the address (`?case=`), so a reload, a shared link or coming
 * back to the inbox shows it again. The hash is replaced, not pushed: Taro's router owns the history
 * entries, and a pushed entry would read to it as another page.
 */
function rememberCase(caseId: string | null): void {
  const [path = '', query = ''] = window.location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  if (caseId) params.set('case', caseId);
  else params.delete('case');
  const search = params.toString();
  window.history.replaceState(window.history.state, '', `#${path}${search ? `?${search}` : ''}`);
}

/**
 * 导出所选: the ledger (台账, .xlsx) of the selected cases, as the ledger page downloads it — with
 * ID numbers masked; the server keeps it to the cases the official may read and audits the export.
 */
function ExportSelected({ ids }: { ids: string[] }) {
  const [exporting, setExporting] = useState(false);

  const exportSelected = async () => {
    if (ids.length > LEDGER_MAX_SELECTED) {
      void Taro.showModal({
        title: '所选案件太多',
        content: `一次最多导出${LEDGER_MAX_SELECTED}个案件，请减少所选案件后再导出。`,
        showCancel: false,
        confirmText: '知道了',
      });
      return;
    }
    setExporting(true);
    try {
      await downloadFile('casesLedger', { query: { ids: ids.join(',') }, fileName: `控辍保学台账-所选案件-${today()}.xlsx` });
      toastSuccess(`已导出 ${ids.length} 个案件`);
    } catch (failure) {
      showError(failure);
    } finally {
      setExporting(false);
    }
  };

  return (
    <button type="button" className="data-table-button" disabled={exporting} onClick={() => void exportSelected()}>
      {exporting ? '导出中…' : '导出所选（Excel）'}
    </button>
  );
}

/** The inbox at a desk: the cases as a table on the left, the chosen case on the right. */
export function InboxDesktop({ user, initialCaseId, toolbar, above, items, list, empty, below, onChanged }: InboxDesktopProps) {
  const [caseId, setCaseId] = useState<string | null>(initialCaseId);
  const [selected, setSelected] = useState<string[]>([]);
  // a selected case that a reload removed (transferred, merged) is no longer exported
  const selectedIds = items.filter((item) => selected.includes(item.id)).map((item) => item.id);

  const show = (next: string | null) => {
    setCaseId(next);
    rememberCase(next);
  };

  return (
    <View className="inbox-desktop">
      <View className="inbox-desktop-list">
        {above}
        <DataTable<CaseItem>
          label="案件列表"
          items={items}
          list={list}
          empty={empty}
          rowKey={(item) => item.id}
          columns={INBOX_COLUMNS}
          card={(item) => <CaseCard key={item.id} item={item} onClick={() => show(item.id)} />}
          onOpen={(item) => show(item.id)}
          activeKey={caseId}
          rowAlert={(item) => item.overdue}
          toolbar={toolbar}
          selected={selected}
          onSelect={setSelected}
          bulkActions={<ExportSelected ids={selectedIds} />}
        />
        {below}
      </View>
      <View className="inbox-desktop-panel" role="region" aria-label="案件详情">
        {caseId ? (
          <>
            <View className="inbox-desktop-panel-bar">
              <Text className="inbox-desktop-panel-title">案件详情</Text>
              <button type="button" className="data-table-button" onClick={() => show(null)}>
                关闭
              </button>
            </View>
            <CaseContent
              key={caseId}
              id={caseId}
              user={user}
              onOpenCase={(next) => {
                show(next);
                onChanged();
              }}
              onLeave={() => {
                show(null);
                onChanged();
              }}
            />
          </>
        ) : (
          <Empty text="在左侧选择案件，详情显示在这里" />
        )}
      </View>
    </View>
  );
}
