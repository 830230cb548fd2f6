import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { ENROLMENT_NOTICE_STATES } from '@baoxue/shared';
import { DataTable } from '../../../components/data-table';
import type { Column } from '../../../components/data-table-types';
import { Empty } from '../../../components/status';
import { followUpApi, type FollowUp } from '../../../services/enrolment-follow-up';
import { messageOf } from '../../../services/request';
import { toastSuccess } from '../../../utils/feedback';
import { formatDateTime } from '../../../utils/format';
import { shortDivisionName } from '../../../utils/labels';
import type { FollowUpTablesProps } from './follow-up-tables';

type Group = FollowUp['groups'][number];
type Pending = FollowUp['items'][number];

const groupKey = (group: Group) => `${group.schoolId}-${group.villageCode ?? ''}`;
const village = (name: string | null) => (name ? shortDivisionName(name) : '村未知');

const GROUP_COLUMNS: readonly Column<Group>[] = [
  { key: 'village', title: '村', width: '120px', render: (group) => village(group.villageName), sortValue: (group) => group.villageName },
  { key: 'school', title: '学校', render: (group) => group.schoolName, sortValue: (group) => group.schoolName },
  { key: 'total', title: '通知书', width: '72px', render: (group) => group.counts.total, sortValue: (group) => group.counts.total },
  {
    key: 'acknowledged',
    title: '已回执',
    width: '72px',
    render: (group) => group.counts.acknowledged,
    sortValue: (group) => group.counts.acknowledged,
  },
  {
    key: 'pending',
    title: '未回执',
    width: '72px',
    render: (group) => (group.counts.pending ? <span className="data-table-error">{group.counts.pending}</span> : 0),
    sortValue: (group) => -group.counts.pending,
  },
  { key: 'overdue', title: '逾期', width: '60px', render: (group) => group.counts.overdue, sortValue: (group) => -group.counts.overdue },
  {
    key: 'deferred',
    title: '延缓入学',
    width: '80px',
    render: (group) => group.counts.deferred,
    sortValue: (group) => group.counts.deferred,
  },
  {
    key: 'deferrals',
    title: '延缓待审批',
    width: '96px',
    render: (group) => group.counts.deferralsToDecide,
    sortValue: (group) => -group.counts.deferralsToDecide,
  },
];

const PENDING_COLUMNS: readonly Column<Pending>[] = [
  { key: 'child', title: '孩子', width: '84px', render: (item) => item.childName, sortValue: (item) => item.childName },
  {
    key: 'state',
    title: '状态',
    width: '140px',
    render: (item) => (
      <>
        {item.overdue && <span className="tag tag-overdue">已逾期</span>}
        <span className="tag tag-waiting">{ENROLMENT_NOTICE_STATES[item.state]}</span>
      </>
    ),
    sortValue: (item) => (item.overdue ? 0 : 1),
  },
  { key: 'village', title: '村', width: '120px', render: (item) => village(item.villageName), sortValue: (item) => item.villageName },
  { key: 'school', title: '学校', render: (item) => item.schoolName, sortValue: (item) => item.schoolName },
  {
    key: 'app',
    title: '家长',
    render: (item) => (item.guardiansInApp > 0 ? `${item.guardiansInApp} 位已绑定小程序` : '未使用小程序，需上门送达'),
    sortValue: (item) => item.guardiansInApp,
  },
  { key: 'by', title: '回执截止', width: '100px', render: (item) => item.acknowledgeBy, sortValue: (item) => item.acknowledgeBy },
  {
    key: 'reminded',
    title: '上次提醒',
    width: '128px',
    render: (item) => formatDateTime(item.lastRemindedAt),
    sortValue: (item) => item.lastRemindedAt,
  },
];

/**
 * 入学通知书回执 at a desk: the schools and villages as a table, where the county selects villages and
 * reminds their guardians who have not acknowledged (批量提醒家长: one reminder request per village,
 * the endpoint's unit; each guardian at most once a day), and the pending children as a table.
 */
export function FollowUpTables({ view, batch, reload }: FollowUpTablesProps) {
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string[]>([]);
  const remindable = (group: Group) => Boolean(batch && group.villageCode && group.counts.pending > 0);

  const remind = async () => {
    if (!batch) return;
    const villages = [
      ...new Set(view.groups.filter((group) => selected.includes(groupKey(group)) && remindable(group)).map((group) => group.villageCode!)),
    ];
    setBusy(true);
    const lines: string[] = [];
    let reminded = 0;
    for (const code of villages) {
      const name = village(view.groups.find((group) => group.villageCode === code)?.villageName ?? null);
      try {
        const done = await followUpApi.remind(batch.id, code);
        reminded += done.reminded;
        const parts = [`${name}：已提醒 ${done.reminded} 名孩子的 ${done.guardians} 位家长`];
        if (done.skippedRecent) parts.push(`${done.skippedRecent} 名24小时内已提醒过`);
        if (done.withoutApp) parts.push(`${done.withoutApp} 名孩子的家长未使用小程序，请上门送达`);
        lines.push(parts.join('；'));
      } catch (failure) {
        lines.push(`${name}：未能提醒，${messageOf(failure)}`);
      }
    }
    setBusy(false);
    setResult(lines);
    setSelected([]);
    if (reminded > 0) toastSuccess('已发送提醒');
    await reload();
  };

  const chosenRemindable = view.groups.some((group) => selected.includes(groupKey(group)) && remindable(group));

  return (
    <>
      <View className="section">
        <Text className="section-title">按学校和村</Text>
        {result.length > 0 && (
          <View className="remind-result">
            {result.map((line) => (
              <View key={line}>{line}</View>
            ))}
          </View>
        )}
        <DataTable<Group>
          label="按学校和村的回执情况"
          items={view.groups}
          rowKey={groupKey}
          columns={GROUP_COLUMNS}
          card={() => null}
          rowAlert={(group) => group.counts.overdue > 0}
          selected={batch ? selected : undefined}
          onSelect={batch ? setSelected : undefined}
          bulkActions={
            <button
              type="button"
              className="data-table-button data-table-button-primary"
              disabled={busy || !chosenRemindable}
              onClick={() => void remind()}
            >
              {busy ? '提醒中…' : '批量提醒家长'}
            </button>
          }
        />
        {!batch && <Text className="field-hint">选择一个批次后可以选择村，批量提醒未回执的家长。</Text>}
      </View>
      <View className="section">
        <Text className="section-title">未回执名单</Text>
        {view.items.length === 0 ? (
          <Empty text="没有未回执的家长" />
        ) : (
          <DataTable<Pending>
            label="未回执名单"
            items={view.items}
            rowKey={(item) => item.noticeId}
            columns={PENDING_COLUMNS}
            card={() => null}
            rowAlert={(item) => item.overdue}
          />
        )}
        {view.truncated && <Text className="field-hint">名单较长，只显示前面的一部分；请按村查看。</Text>}
      </View>
    </>
  );
}
