import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { mergeCaseRequest } from '@baoxue/shared';
import { CaseCard } from '../../../components/case-card';
import { ReasonDialog } from '../../../components/reason-dialog';
import { ErrorNotice, Loading } from '../../../components/status';
import { useLoader } from '../../../hooks/use-loader';
import { casesApi, type CaseDetailView, type CaseItem } from '../../../services/cases';
import { loadMergeCandidates, matchChildName } from '../merge-candidates';

const mergeReason = mergeCaseRequest.pick({ reason: true });

/** Merges a duplicate case into the one the same child already has: find it by name, pick, say why. */
export function MergePanel({ detail, onMerged }: { detail: CaseDetailView; onMerged: (into: CaseDetailView) => void }) {
  const candidates = useLoader(() => loadMergeCandidates(detail.id), [detail.id]);
  const [query, setQuery] = useState(detail.child.name);
  const [target, setTarget] = useState<CaseItem | null>(null);
  const matches = candidates.data ? matchChildName(candidates.data, query) : [];

  return (
    <View className="action-panel">
      <Text className="field-label">合并到同一孩子的另一个案件</Text>
      <Input
        className="input input-small"
        value={query}
        maxlength={20}
        placeholder="输入孩子姓名查找"
        onInput={(event) => setQuery(event.detail.value)}
      />
      {candidates.error && <ErrorNotice message={candidates.error} onRetry={() => void candidates.reload()} />}
      {candidates.loading && <Loading />}
      {candidates.data && matches.length === 0 && <Text className="field-hint">收件箱中没有姓名包含“{query.trim()}”的未结案件</Text>}
      {matches.slice(0, 20).map((item) => (
        <CaseCard key={item.id} item={item} onClick={() => setTarget(item)} />
      ))}
      {target && (
        <ReasonDialog
          title={`合并到 ${target.child.name} 的案件`}
          note="本案件的线索和记录将并入所选案件，本案件不再单独办理。"
          placeholder="例如：同一孩子，两位监督员分别报告"
          confirmText="合并"
          schema={mergeReason}
          onCancel={() => setTarget(null)}
          onConfirm={async (reason) => onMerged(await casesApi.merge(detail.id, { intoCaseId: target.id, reason }))}
        />
      )}
    </View>
  );
}
