import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { splitMergeRequest } from '@baoxue/shared';
import { ReasonDialog } from '../../../components/reason-dialog';
import { useLoader } from '../../../hooks/use-loader';
import { childrenApi, type ChildMerge } from '../../../services/children';
import { ApiError } from '../../../services/request';
import { showError, toastSuccess } from '../../../utils/feedback';
import { formatDateTime } from '../../../utils/format';
import './child-merges.css';

/**
 * 记录合并 on a case (BRIEF §3a): the child's record was merged with another record of the same
 * child — what moved, why, who and when — and a wrong merge can be split here, with a reason.
 * Shown to those who merge and split (county admins, township leaders), when there is a merge.
 */
export function ChildMergesCard({ childId, onSplit }: { childId: string; onSplit: () => Promise<void> }) {
  const merges = useLoader(() => childrenApi.merges(childId), [childId]);
  const [splitting, setSplitting] = useState<ChildMerge | null>(null);
  // a failed read hides the card: the case itself is what the page is about
  const items = merges.data?.items ?? [];
  if (items.length === 0) return null;

  return (
    <View className="card child-merges">
      <Text className="card-title">记录合并</Text>
      <Text className="card-note">这个孩子曾被登记成多条记录，以下是合并和拆分的经过。</Text>
      {items.map((merge) => (
        <View key={merge.id} className="history-item">
          <Text className="history-title">{mergeTitle(merge)}</Text>
          <Text className="list-item-meta">
            {formatDateTime(merge.at)} · {merge.actorName ?? '历史数据修复'}
          </Text>
          <Text className="history-note">理由：{merge.reason}</Text>
          <Text className="history-note">{movedText(merge)}</Text>
          {merge.split && (
            <View className="merge-split">
              <Text className="merge-split-title">已拆分，两条记录已分开</Text>
              <Text className="list-item-meta">
                {formatDateTime(merge.split.at)} · {merge.split.byName ?? '—'}
              </Text>
              <Text className="history-note">拆分理由：{merge.split.reason}</Text>
            </View>
          )}
          {merge.canSplit && (
            <View className="inline-actions">
              <Button className="btn btn-plain btn-small" onClick={() => setSplitting(merge)}>
                拆分
              </Button>
            </View>
          )}
        </View>
      ))}
      {splitting && (
        <ReasonDialog
          title="拆分合并的记录"
          note="拆分后两条记录恢复为合并前的样子：合并时并入的案件、监护人、出勤等回到原来的记录，因合并而并在一起的案件重新分开。"
          placeholder="例如：核实后发现是同名的两个孩子"
          confirmText="拆分"
          schema={splitMergeRequest}
          onCancel={() => setSplitting(null)}
          onConfirm={async (reason) => {
            try {
              await childrenApi.split(splitting.id, reason);
              toastSuccess('已拆分');
            } catch (failure) {
              // split already, or merged again since: say so and show the merges as they are now
              if (!(failure instanceof ApiError) || (failure.status !== 404 && failure.status !== 409)) throw failure;
              showError(failure);
            }
            setSplitting(null);
            await Promise.all([merges.reload(), onSplit()]);
          }}
        />
      )}
    </View>
  );
}

function mergeTitle(merge: ChildMerge): string {
  const { survivor, merged } = merge;
  return survivor.name === merged.name ? `${survivor.name}的两条记录合并为一条` : `“${merged.name}”的记录并入“${survivor.name}”的记录`;
}

function movedText(merge: ChildMerge): string {
  const moved = merge.moved.map((entry) => `${entry.label} ${entry.count}`).join('、');
  const cases = merge.casesMerged > 0 ? `；${merge.casesMerged} 个重复的在办案件并入同一案件` : '';
  return moved ? `随之合并：${moved}${cases}` : `没有其他记录需要随之合并${cases}`;
}
