import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { CaseCard } from '../../../components/case-card';
import { INBOX_COLUMNS } from '../../../components/case-columns.h5';
import { DataTable } from '../../../components/data-table';
import { Empty } from '../../../components/status';
import type { CaseItem } from '../../../services/cases';
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

/** The inbox at a desk: the cases as a table on the left, the chosen case on the right. */
export function InboxDesktop({ user, initialCaseId, toolbar, above, items, list, empty, below, onChanged }: InboxDesktopProps) {
  const [caseId, setCaseId] = useState<string | null>(initialCaseId);

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
