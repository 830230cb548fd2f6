import { useRouter } from '@tarojs/taro';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { complaintTransitionRequest, formatYuan, PAYMENT_CHANNELS, PAYMENT_STATUSES, SUBSIDY_CATEGORIES } from '@baoxue/shared';
import { ComplaintDetail } from '../../../../components/complaint-detail';
import { DetailRow } from '../../../../components/detail-row';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { complaintsApi, conflictingComplaint, type ComplaintView } from '../../../../services/complaints';
import { childrenApi } from '../../../../services/parents';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import '../../county.css';

/**
 * 资助投诉 for the county's student-aid office: the complaint and its timeline, the payment or the
 * semester it is about with the child's eligibility, and the office's steps: accept (受理), answer
 * in the app (the parent is told), and close after answering.
 */
export default function CountyComplaintPage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  const complaint = useLoader(() => (user && id ? complaintsApi.get(id) : null), [user?.id, id]);
  useOnReturn(() => void complaint.reload());

  return (
    <Screen className="detail-page county-complaint-page">
      {!id && <Empty text="没有指定投诉" />}
      {complaint.error && <ErrorNotice message={complaint.error} onRetry={() => void complaint.reload()} />}
      {complaint.loading && !complaint.data && id && <Loading />}
      {complaint.data && (
        <>
          <ComplaintDetail complaint={complaint.data} />
          <Context complaint={complaint.data} />
          <OfficeActions complaint={complaint.data} onChange={complaint.set} />
        </>
      )}
    </Screen>
  );
}

/** What the complaint is about, as the county's records have it. */
function Context({ complaint }: { complaint: ComplaintView }) {
  const record = useLoader(() => childrenApi.subsidies(complaint.childId), [complaint.childId]);
  if (record.error) return <ErrorNotice message={record.error} onRetry={() => void record.reload()} />;
  if (!record.data) return <Loading />;
  const payment = complaint.paymentId ? record.data.payments.find((p) => p.id === complaint.paymentId) : undefined;
  const entitlement = record.data.entitlements.find((e) => e.semester === complaint.semester);
  const schoolYear = Number(complaint.semester.slice(0, 4)) - (complaint.semester.endsWith('spring') ? 1 : 0);
  const eligibility = record.data.eligibility.find((e) => e.schoolYear === schoolYear);
  const others = record.data.payments.filter((p) => p.semester === complaint.semester && p.id !== complaint.paymentId);

  return (
    <View className="card complaint-context">
      <Text className="card-title">资助记录</Text>
      <DetailRow label="资助认定">
        {eligibility
          ? `${eligibility.schoolYearLabel} ${SUBSIDY_CATEGORIES[eligibility.category]} · ${eligibility.stage === 'primary' ? '小学' : '初中'}${eligibility.boarding ? '寄宿' : '走读'}`
          : '该学年没有认定记录'}
      </DetailRow>
      {entitlement && (
        <DetailRow label="本学期应享">
          {formatYuan(entitlement.totalFen)}（已到账 {formatYuan(entitlement.paidFen)}）
        </DetailRow>
      )}
      {entitlement?.lines.map((line) => (
        <View key={line.label} className="aid-line">
          <Text>{line.label}</Text>
          <Text>{formatYuan(line.amountFen)}</Text>
        </View>
      ))}
      {payment && (
        <>
          <Text className="field-label">投诉的发放记录</Text>
          <DetailRow label="金额">{`${payment.semesterLabel} ${formatYuan(payment.amountFen)}`}</DetailRow>
          <DetailRow label="状态">{PAYMENT_STATUSES[payment.status]}</DetailRow>
          <DetailRow label="渠道">
            {PAYMENT_CHANNELS[payment.channel]}
            {payment.cardTail ? `（尾号${payment.cardTail}）` : ''}
          </DetailRow>
          {payment.paidOn && <DetailRow label="到账日期">{payment.paidOn}</DetailRow>}
          {payment.failureReason && <DetailRow label="失败原因">{payment.failureReason}</DetailRow>}
          <DetailRow label="批次号">{payment.reference}</DetailRow>
        </>
      )}
      {others.map((p) => (
        <Text key={p.id} className="list-item-meta">
          同学期另有：{formatYuan(p.amountFen)} {PAYMENT_STATUSES[p.status]} · 批次 {p.reference}
        </Text>
      ))}
    </View>
  );
}

function OfficeActions({ complaint, onChange }: { complaint: ComplaintView; onChange: (complaint: ComplaintView) => void }) {
  const form = useForm(complaintTransitionRequest, { transition: 'answer', text: null });
  const answer = form.values.text ?? '';

  const refusedWith = (failure: unknown) => {
    const latest = conflictingComplaint(failure);
    if (latest) onChange(latest);
    return failure;
  };

  const stepping = useAction(
    async (transition: 'accept' | 'close') => {
      try {
        onChange(await complaintsApi.transition(complaint.id, { transition, version: complaint.version, text: null }));
      } catch (failure) {
        throw refusedWith(failure);
      }
      toastSuccess(transition === 'accept' ? '已受理' : '已办结');
    },
    { errorIn: 'inline' },
  );

  const step = async (transition: 'accept' | 'close') => {
    if (transition === 'close' && !(await confirm('办结', '确认这件投诉已经处理完毕？', '办结'))) return;
    await stepping.run(transition);
  };

  const sendAnswer = () =>
    form.submit(
      async (body) => {
        try {
          onChange(await complaintsApi.transition(complaint.id, body));
        } catch (failure) {
          throw refusedWith(failure);
        }
        form.set('text', null);
        toastSuccess('已答复');
      },
      { transition: 'answer', version: complaint.version },
    );

  if (complaint.actions.length === 0) return null;
  return (
    <View className="card complaint-actions">
      {complaint.actions.includes('answer') && (
        <Field label="答复家长" error={form.errors.text}>
          <Textarea
            className="textarea textarea-answer"
            value={answer}
            maxlength={1000}
            placeholder="请写明核实的情况和处理结果，家长会在小程序里看到"
            onInput={(event) => form.set('text', event.detail.value || null)}
          />
          <Text className="counter">{answer.length}/1000</Text>
        </Field>
      )}
      <FormError message={form.formError} />
      {stepping.error && <Text className="field-error">{stepping.error}</Text>}
      <View className="inline-actions">
        {complaint.actions.includes('accept') && (
          <Button className="btn btn-plain btn-small" loading={stepping.running?.[0] === 'accept'} onClick={() => void step('accept')}>
            受理
          </Button>
        )}
        {complaint.actions.includes('answer') && (
          <Button className="btn btn-primary btn-small" loading={form.submitting} onClick={() => void sendAnswer()}>
            答复
          </Button>
        )}
        {complaint.actions.includes('close') && (
          <Button className="btn btn-primary btn-small" loading={stepping.running?.[0] === 'close'} onClick={() => void step('close')}>
            办结
          </Button>
        )}
      </View>
    </View>
  );
}
