import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, Textarea, View } from '@tarojs/components';
import {
  complaintTransitionRequest,
  createComplaintRequest,
  formatYuan,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  COMPLAINT_STATUSES,
} from '@baoxue/shared';
import { COMPLAINT_TAGS, ComplaintDetail } from '../../../../components/complaint-detail';
import { Field, FormError } from '../../../../components/field';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { complaintsApi, conflictingComplaint, type ComplaintView } from '../../../../services/complaints';
import { childrenApi } from '../../../../services/parents';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage, pageUrl } from '../../../../utils/navigation';
import '../../parent.css';

/**
 * 资助问题反映 (资助投诉), one page for three uses: `?id=` shows a complaint with the county
 * student-aid office's answer, which the parent closes or raises again; `?childId=` with
 * `paymentId=` or `semester=` raises a new one about that payment or semester; neither lists them.
 */
export default function ComplaintPage() {
  const user = useCurrentUser();
  const { id, childId, paymentId, semester } = useRouter().params;
  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  return (
    <Screen className="detail-page complaint-page">
      {id ? (
        <ComplaintShown id={id} />
      ) : childId && (paymentId || semester) ? (
        <NewComplaint childId={childId} paymentId={paymentId ?? null} semester={semester ?? null} />
      ) : (
        <MyComplaints />
      )}
    </Screen>
  );
}

function ComplaintShown({ id }: { id: string }) {
  const complaint = useLoader(() => complaintsApi.get(id), [id]);
  useOnReturn(() => void complaint.reload());
  const [reopening, setReopening] = useState(false);
  const closing = useAction((step: () => Promise<void>) => step(), { errorIn: 'inline' });

  if (complaint.error) return <ErrorNotice message={complaint.error} onRetry={() => void complaint.reload()} />;
  if (!complaint.data) return <Loading />;
  const current = complaint.data;

  const step = async (transition: 'close' | 'reopen', text: string | null) => {
    try {
      complaint.set(await complaintsApi.transition(current.id, { transition, version: current.version, text }));
      toastSuccess(transition === 'close' ? '已办结' : '已继续反映');
    } catch (failure) {
      const latest = conflictingComplaint(failure);
      if (latest) complaint.set(latest);
      throw failure;
    }
  };

  const close = async () => {
    if (!(await confirm('办结', '确认问题已经解决？办结后如有新的问题，可以重新反映。', '办结'))) return;
    await closing.run(() => step('close', null));
  };

  return (
    <>
      <ComplaintDetail complaint={current} />
      {current.status === 'open' || current.status === 'processing' ? (
        <Text className="card-note">县学生资助管理中心会在答复期限内答复您，答复后会通知您。</Text>
      ) : null}
      {closing.error && <Text className="field-error">{closing.error}</Text>}
      {current.actions.length > 0 && (
        <View className="inline-actions complaint-actions">
          {current.actions.includes('reopen') && (
            <Button className="btn btn-plain" onClick={() => setReopening(true)}>
              还有问题，继续反映
            </Button>
          )}
          {current.actions.includes('close') && (
            <Button className="btn btn-primary" loading={closing.busy} onClick={() => void close()}>
              问题已解决
            </Button>
          )}
        </View>
      )}
      {reopening && (
        <ReasonDialog
          title="继续反映"
          note="请说明答复后还有什么问题，县学生资助管理中心会再次处理。"
          placeholder="例如：答复说已到账，但卡上仍然查不到这笔钱"
          confirmText="提交"
          schema={complaintTransitionRequest}
          field="text"
          extra={{ transition: 'reopen', version: current.version }}
          onConfirm={async (text) => {
            await step('reopen', text);
            setReopening(false);
          }}
          onCancel={() => setReopening(false)}
        />
      )}
    </>
  );
}

function NewComplaint({ childId, paymentId, semester }: { childId: string; paymentId: string | null; semester: string | null }) {
  const record = useLoader(() => childrenApi.subsidies(childId), [childId]);
  const form = useForm(createComplaintRequest, { childId, paymentId, semester });
  const text = form.values.text ?? '';

  if (record.error) return <ErrorNotice message={record.error} onRetry={() => void record.reload()} />;
  if (!record.data) return <Loading />;
  const payment = paymentId ? record.data.payments.find((p) => p.id === paymentId) : undefined;
  const entitlement = semester ? record.data.entitlements.find((e) => e.semester === semester) : undefined;

  const submit = () =>
    form.submit(async (body) => {
      const created = await complaintsApi.create(body);
      toastSuccess('已提交');
      await Taro.redirectTo({ url: pageUrl(PAGES.parentComplaint, { id: created.id }) });
    });

  return (
    <View className="card complaint-form">
      <Text className="card-title">{record.data.child.name}的资助</Text>
      {payment && (
        <View className="aid-item">
          <View className="list-item-head">
            <Text className="list-item-title">
              {payment.semesterLabel} {formatYuan(payment.amountFen)}
            </Text>
            <Text className="tag">{PAYMENT_STATUSES[payment.status]}</Text>
          </View>
          <Text className="list-item-line">
            {PAYMENT_CHANNELS[payment.channel]}
            {payment.cardTail ? `（尾号${payment.cardTail}）` : ''}
            {payment.paidOn ? ` · ${payment.paidOn} 到账` : ''}
          </Text>
        </View>
      )}
      {entitlement && (
        <View className="aid-item">
          <View className="list-item-head">
            <Text className="list-item-title">{entitlement.label}</Text>
            <Text className="money">应享 {formatYuan(entitlement.totalFen)}</Text>
          </View>
          <Text className="list-item-meta">已到账 {formatYuan(entitlement.paidFen)}</Text>
        </View>
      )}
      {!payment && !entitlement && <Text className="list-item-error">找不到要反映的发放记录或学期，请返回后重新选择。</Text>}
      <Field label="反映的问题" error={form.errors.text ?? form.errors.paymentId ?? form.errors.semester}>
        <Textarea
          className="textarea textarea-complaint"
          value={text}
          maxlength={500}
          placeholder="例如：通知说已到账，但一卡通上没有查到这笔钱"
          onInput={(event) => form.set('text', event.detail.value)}
        />
        <Text className="counter">{text.length}/500</Text>
      </Field>
      <Text className="field-hint">问题会转给县学生资助管理中心，答复后会通知您，也可以在这里查看。</Text>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        提交
      </Button>
    </View>
  );
}

function MyComplaints() {
  const complaints = useLoader(() => complaintsApi.mine(), []);
  useOnReturn(() => void complaints.reload());
  if (complaints.error) return <ErrorNotice message={complaints.error} onRetry={() => void complaints.reload()} />;
  if (!complaints.data) return <Loading />;
  if (complaints.data.items.length === 0) return <Empty text="您还没有反映过资助问题。可以在“资助”里对某一笔发放或某个学期反映问题。" />;
  return (
    <>
      {complaints.data.items.map((complaint: ComplaintView) => (
        <View
          key={complaint.id}
          className="card list-item complaint-item"
          onClick={() => openPage(PAGES.parentComplaint, { id: complaint.id })}
        >
          <View className="list-item-head">
            <Text className="list-item-title">{complaint.subject}</Text>
            <Text className={COMPLAINT_TAGS[complaint.status]}>{COMPLAINT_STATUSES[complaint.status]}</Text>
          </View>
          <Text className="list-item-line">{complaint.childName}</Text>
          <Text className="list-item-meta">{formatDateTime(complaint.createdAt)} 提出</Text>
        </View>
      ))}
    </>
  );
}
