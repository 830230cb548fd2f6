import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { POSITION_LABELS } from '@baoxue/shared';
import type { Position } from '@baoxue/shared';
import { ErrorNotice, Loading } from '../../../components/status';
import { useAction } from '../../../hooks/use-action';
import { useLoader } from '../../../hooks/use-loader';
import { caseHandlingApi } from '../../../services/case-handling';
import { casesApi, type CaseDetailView } from '../../../services/cases';
import type { CaseEditor } from '../case-editing';

/** 受理: the township takes the case and names the responsible cadre (包抓干部). */
export function AcceptPanel({ editor, userId }: { editor: CaseEditor; userId: string }) {
  const { detail } = editor;
  return (
    <AssigneeChooser
      detail={detail}
      preselected={userId}
      confirmText="受理"
      onConfirm={(assigneeId) => editor.save(() => casesApi.accept(detail.id, { assigneeId, version: detail.version }), '已受理')}
    />
  );
}

/** 更换包抓干部: the township leader hands the case to another cadre, who is told. */
export function ChangeAssigneePanel({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  return (
    <AssigneeChooser
      detail={detail}
      preselected={detail.assigneeId}
      confirmText="更换包抓干部"
      onConfirm={(assigneeId) =>
        editor.save(() => caseHandlingApi.setAssignee(detail.id, { assigneeId, version: detail.version }), '已更换包抓干部')
      }
    />
  );
}

function AssigneeChooser({
  detail,
  preselected,
  confirmText,
  onConfirm,
}: {
  detail: CaseDetailView;
  preselected: string | null;
  confirmText: string;
  onConfirm: (assigneeId: string) => Promise<void>;
}) {
  const assignees = useLoader(() => casesApi.assignees(detail.id), [detail.id]);
  const [chosen, setChosen] = useState<string | null>(null);
  const accepting = useAction(onConfirm, { errorIn: 'inline' });
  const selected = chosen ?? assignees.data?.items.find((person) => person.id === preselected)?.id ?? null;

  return (
    <View className="action-panel">
      <Text className="field-label">指定包抓干部</Text>
      {assignees.error && <ErrorNotice message={assignees.error} onRetry={() => void assignees.reload()} />}
      {assignees.loading && !assignees.data && <Loading />}
      <View className="chips">
        {assignees.data?.items.map((person) => (
          <View key={person.id} className={person.id === selected ? 'chip chip-active' : 'chip'} onClick={() => setChosen(person.id)}>
            {person.displayName}
            {person.position && POSITION_LABELS[person.position as Position] ? `（${POSITION_LABELS[person.position as Position]}）` : ''}
          </View>
        ))}
      </View>
      {!selected && assignees.data && <Text className="field-hint">请选择一位包抓干部</Text>}
      {accepting.error && <Text className="field-error">{accepting.error}</Text>}
      {/* `disabled` only when it applies: Taro's H5 styles disabled="false" as disabled too. */}
      <Button
        className="btn btn-primary btn-block"
        loading={accepting.busy}
        disabled={selected ? undefined : true}
        onClick={() => void (selected && accepting.run(selected))}
      >
        {confirmText}
      </Button>
    </View>
  );
}
