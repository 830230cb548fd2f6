import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { setCausesRequest } from '@baoxue/shared';
import { FormError } from '../../../components/field';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi } from '../../../services/case-handling';
import type { CaseEditor } from '../case-editing';
import { CausePicker } from './cause-picker';

/**
 * 辍学原因: the causes found, each with the support it suggests (因贫 → subsidy eligibility, 残疾 →
 * 送教上门…), and, for those who may, an editor.
 */
export function CausesCard({ editor, canEdit }: { editor: CaseEditor; canEdit: boolean }) {
  const { detail } = editor;
  const [editing, setEditing] = useState(false);

  return (
    <View className="card causes-card">
      <View className="list-item-head">
        <Text className="card-title">辍学原因与帮扶措施</Text>
        {canEdit && !editing && (
          <Text className="link" onClick={() => setEditing(true)}>
            {detail.causes.length ? '修改' : '填写'}
          </Text>
        )}
      </View>
      {!editing && detail.causes.length === 0 && <Text className="list-item-meta">尚未填写辍学原因</Text>}
      {!editing &&
        detail.causes.map((cause) => (
          <View key={cause.cause} className="cause-item">
            <Text className="cause-label">{cause.label}</Text>
            <Text className="cause-support">建议：{cause.support}</Text>
          </View>
        ))}
      {editing && <CausesEditor editor={editor} onDone={() => setEditing(false)} />}
    </View>
  );
}

function CausesEditor({ editor, onDone }: { editor: CaseEditor; onDone: () => void }) {
  const { detail } = editor;
  const form = useForm(setCausesRequest, { causes: detail.causes.map((cause) => cause.cause) });

  const submit = () =>
    form.submit(
      async (body) => {
        await editor.save(() => caseHandlingApi.setCauses(detail.id, body), '已保存辍学原因');
        onDone();
      },
      { version: detail.version },
    );

  return (
    <View className="action-panel causes-editor">
      <CausePicker value={form.values.causes ?? []} onChange={(causes) => form.set('causes', causes)} />
      {form.errors.causes && <Text className="field-error">{form.errors.causes}</Text>}
      <FormError message={form.formError} />
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" onClick={onDone}>
          取消
        </Button>
        <Button className="btn btn-primary btn-small" loading={form.submitting} onClick={() => void submit()}>
          保存原因
        </Button>
      </View>
    </View>
  );
}
