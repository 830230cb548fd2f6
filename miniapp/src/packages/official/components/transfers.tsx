import { useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { rejectTransferRequest, transferRequest } from '@baoxue/shared';
import { Field, FormError } from '../../../components/field';
import { ReasonDialog } from '../../../components/reason-dialog';
import { SchoolPicker } from '../../../components/school-picker';
import { Segmented } from '../../../components/segmented';
import { ErrorNotice, Loading } from '../../../components/status';
import { useAction } from '../../../hooks/use-action';
import { useForm } from '../../../hooks/use-form';
import { useLoader } from '../../../hooks/use-loader';
import { caseHandlingApi, transfersApi, type TransferItem } from '../../../services/case-handling';
import type { CaseDetailView } from '../../../services/cases';
import { divisionsApi } from '../../../services/divisions';
import { formatDateTime } from '../../../utils/format';
import type { CaseEditor } from '../case-editing';

type Receiver = 'township' | 'school';
const RECEIVERS: ReadonlyArray<{ value: Receiver; label: string }> = [
  { value: 'township', label: '其他乡镇' },
  { value: 'school', label: '其他学校' },
];

const STATUS_LABELS: Record<TransferItem['status'], string> = {
  pending: '待接收',
  accepted: '已接收',
  rejected: '被拒绝',
  cancelled: '已取消',
};

function receiverName(transfer: TransferItem): string {
  return transfer.toSchoolName ?? transfer.toTownshipName ?? '—';
}

/**
 * 移交: the child lives or studies elsewhere in the county. The case stays with this unit until the
 * receiver accepts it; an unaccepted transfer climbs to the county after its deadline.
 */
export function TransferForm({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const [receiver, setReceiver] = useState<Receiver>('township');
  const townships = useLoader(() => divisionsApi.children(detail.countyCode), [detail.countyCode]);
  const form = useForm(transferRequest, { toTownshipCode: null, toSchoolId: null, reason: '' });

  const chooseReceiver = (next: Receiver) => {
    setReceiver(next);
    form.set(next === 'township' ? 'toSchoolId' : 'toTownshipCode', null);
  };
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.transfer(detail.id, body), '已申请移交'), { version: detail.version });

  return (
    <View className="action-panel transfer-form">
      <Field
        label="移交给"
        error={receiver === 'township' ? form.errors.toTownshipCode : (form.errors.toSchoolId ?? form.errors.toTownshipCode)}
      >
        <Segmented choices={RECEIVERS} value={receiver} onChange={chooseReceiver} />
        {receiver === 'township' && (
          <>
            {townships.error && <ErrorNotice message={townships.error} onRetry={() => void townships.reload()} />}
            {townships.loading && !townships.data && <Loading />}
            <View className="chips">
              {townships.data?.items
                .filter((township) => township.code !== detail.townshipCode)
                .map((township) => (
                  <View
                    key={township.code}
                    className={township.code === form.values.toTownshipCode ? 'chip chip-active' : 'chip'}
                    onClick={() => form.set('toTownshipCode', township.code)}
                  >
                    {township.name}
                  </View>
                ))}
            </View>
          </>
        )}
        {receiver === 'school' && (
          <SchoolPicker value={form.values.toSchoolId ?? null} onChange={(school) => form.set('toSchoolId', school.id)} />
        )}
      </Field>
      <Field label="移交原因" error={form.errors.reason}>
        <Textarea
          className="textarea textarea-small textarea-reason"
          value={form.values.reason ?? ''}
          maxlength={200}
          placeholder="例如：孩子随父母搬到寨河镇居住"
          onInput={(event) => form.set('reason', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        申请移交
      </Button>
      <Text className="field-hint">接收单位接收前，案件仍由本单位负责。</Text>
    </View>
  );
}

/** The case's transfers, asked for and decided. */
export function TransferList({ transfers }: { transfers: CaseDetailView['transfers'] }) {
  if (transfers.length === 0) return null;
  return (
    <View className="card transfers-card">
      <Text className="card-title">移交记录</Text>
      {transfers.map((transfer) => (
        <View key={transfer.id} className="history-item">
          <View className="list-item-head">
            <Text className="history-title">移交给{receiverName(transfer)}</Text>
            <Text className={transfer.overdue ? 'tag tag-overdue' : `tag tag-transfer-${transfer.status}`}>
              {transfer.overdue ? '逾期未接收' : STATUS_LABELS[transfer.status]}
            </Text>
          </View>
          <Text className="history-note">原因：{transfer.reason}</Text>
          <Text className="list-item-meta">
            {formatDateTime(transfer.requestedAt)} 申请
            {transfer.status === 'pending' ? ` · 接收期限 ${formatDateTime(transfer.dueAt)}` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}

/**
 * A case another unit wants to hand to this one. Until it is accepted the case is not this unit's
 * to see, so this card shows what the sender wrote and asks for a decision.
 */
export function IncomingTransfer({
  transfer,
  onAccepted,
  onRejected,
}: {
  transfer: TransferItem;
  onAccepted: (detail: CaseDetailView) => void;
  onRejected: () => void;
}) {
  const accepting = useAction(async () => onAccepted(await transfersApi.accept(transfer.id)), { errorIn: 'inline' });
  const [rejecting, setRejecting] = useState(false);

  return (
    <View className={transfer.overdue ? 'card list-item incoming-transfer case-card-overdue' : 'card list-item incoming-transfer'}>
      <View className="list-item-head">
        <Text className="list-item-title">{transfer.childName}</Text>
        <Text className={transfer.overdue ? 'tag tag-overdue' : 'tag tag-waiting'}>{transfer.overdue ? '已逾期' : '待接收'}</Text>
      </View>
      <Text className="list-item-line">
        {transfer.fromTownshipName ?? '县教育局'} → {receiverName(transfer)}
      </Text>
      <Text className="history-note">移交原因：{transfer.reason}</Text>
      <Text className="list-item-meta">
        {formatDateTime(transfer.requestedAt)} 申请 · 请在 {formatDateTime(transfer.dueAt)} 前处理
      </Text>
      {accepting.error && <Text className="field-error">{accepting.error}</Text>}
      <View className="inline-actions">
        <Button className="btn btn-danger btn-small" disabled={accepting.busy || undefined} onClick={() => setRejecting(true)}>
          拒绝
        </Button>
        <Button className="btn btn-primary btn-small" loading={accepting.busy} onClick={() => void accepting.run()}>
          接收
        </Button>
      </View>
      {rejecting && (
        <ReasonDialog
          title={`拒绝接收${transfer.childName}的案件`}
          note="拒绝后案件仍由移交方负责，原因会告知移交方。"
          placeholder="例如：经核实孩子不住在本乡镇"
          confirmText="拒绝接收"
          schema={rejectTransferRequest}
          field="note"
          onCancel={() => setRejecting(false)}
          onConfirm={async (note) => {
            await transfersApi.reject(transfer.id, note);
            setRejecting(false);
            onRejected();
          }}
        />
      )}
    </View>
  );
}
