import { useState } from 'react';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { addDays, ESCALATION_ORDER, ESCALATION_STEPS, paperDeliveryRequest } from '@baoxue/shared';
import { DateField } from '../../../components/date-field';
import { Field, FormError } from '../../../components/field';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi, type CaseNoticeView } from '../../../services/case-handling';
import { today } from '../../../utils/dates';
import { formatDateTime } from '../../../utils/format';
import { transitionSchema, type CaseEditor } from '../case-editing';

const escalateSchema = transitionSchema('escalate');

/**
 * The escalation ladder (义务教育法 第58条): written notice → 批评教育、责令限期改正 → referral to the
 * judiciary, always in this order; and the notices issued, how each reached the guardian, and
 * whether the guardian acknowledged it.
 */
export function EscalationCard({ editor, canDeliver }: { editor: CaseEditor; canDeliver: boolean }) {
  const { detail } = editor;
  return (
    <View className="card escalation-card">
      <Text className="card-title">升级处理</Text>
      <View className="ladder">
        {ESCALATION_ORDER.map((step, index) => {
          const taken = detail.escalationSteps.includes(step);
          const next = detail.nextEscalationStep === step;
          return (
            <View key={step} className={`ladder-step${taken ? ' ladder-step-taken' : next ? ' ladder-step-next' : ''}`}>
              <Text className="ladder-index">{index + 1}</Text>
              <Text className="ladder-label">{ESCALATION_STEPS[step]}</Text>
              <Text className="ladder-state">{taken ? '已采取' : next ? '下一步' : '未采取'}</Text>
            </View>
          );
        })}
      </View>
      {detail.notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} editor={editor} canDeliver={canDeliver} />
      ))}
    </View>
  );
}

function NoticeItem({ notice, editor, canDeliver }: { notice: CaseNoticeView; editor: CaseEditor; canDeliver: boolean }) {
  const [reading, setReading] = useState(false);
  const [delivering, setDelivering] = useState(false);

  return (
    <View className="notice-item">
      <View className="list-item-head">
        <Text className="history-title">《限期返校通知书》</Text>
        <View className="tags">
          <Text className="tag">{notice.delivery === 'app' ? '小程序送达' : '纸质送达'}</Text>
          {notice.delivery === 'app' &&
            (notice.acknowledgedAt ? <Text className="tag tag-sent">已回执</Text> : <Text className="tag tag-waiting">待回执</Text>)}
          {notice.delivery === 'paper' && !notice.deliveredAt && <Text className="tag tag-waiting">待送达</Text>}
        </View>
      </View>
      <Text className="list-item-meta">
        {formatDateTime(notice.issuedAt)} 发出 · 限 {notice.deadlineOn} 前返校
      </Text>
      {notice.delivery === 'app' && (
        <Text className="list-item-line">
          {notice.acknowledgedAt
            ? `监护人已于 ${formatDateTime(notice.acknowledgedAt)} 确认收到`
            : '已推送给绑定的家长，监护人尚未确认收到'}
        </Text>
      )}
      {notice.delivery === 'paper' && notice.deliveredAt && (
        <Text className="list-item-line">
          已于 {formatDateTime(notice.deliveredAt).slice(0, 10)} 纸质送达，签收人：{notice.receivedBy}
        </Text>
      )}
      {notice.delivery === 'paper' && !notice.deliveredAt && (
        <Text className="list-item-line">监护人未在小程序绑定孩子，请打印送达并登记签收。</Text>
      )}
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" onClick={() => setReading(!reading)}>
          {reading ? '收起全文' : '查看全文'}
        </Button>
        {canDeliver && notice.delivery === 'paper' && !notice.deliveredAt && !delivering && (
          <Button className="btn btn-primary btn-small" onClick={() => setDelivering(true)}>
            登记纸质送达
          </Button>
        )}
      </View>
      {reading && <Text className="notice-text">{notice.text}</Text>}
      {delivering && <PaperDeliveryForm notice={notice} editor={editor} onDone={() => setDelivering(false)} />}
    </View>
  );
}

/** The notice was printed and handed to the guardian: when and who signed for it. */
function PaperDeliveryForm({ notice, editor, onDone }: { notice: CaseNoticeView; editor: CaseEditor; onDone: () => void }) {
  const form = useForm(paperDeliveryRequest, { deliveredOn: today(), receivedBy: '' });
  const submit = () =>
    form.submit(async (body) => {
      await caseHandlingApi.paperDelivery(notice.id, body);
      onDone();
      await editor.reload();
    });

  return (
    <View className="action-panel paper-delivery-form">
      <Field label="送达日期" error={form.errors.deliveredOn}>
        <DateField value={form.values.deliveredOn} end={today()} onChange={(day) => form.set('deliveredOn', day ?? undefined)} />
      </Field>
      <Field label="签收人" error={form.errors.receivedBy}>
        <Input
          className="input input-received-by"
          value={form.values.receivedBy ?? ''}
          maxlength={32}
          placeholder="例如：张秀英（母亲）"
          onInput={(event) => form.set('receivedBy', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" onClick={onDone}>
          取消
        </Button>
        <Button className="btn btn-primary btn-small" loading={form.submitting} onClick={() => void submit()}>
          登记送达
        </Button>
      </View>
    </View>
  );
}

/** Takes the next step of the ladder; a written notice names the day the child must be back. */
export function EscalateForm({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const step = detail.nextEscalationStep;
  const form = useForm(escalateSchema, {
    transition: 'escalate',
    step: step ?? undefined,
    note: null,
    deadlineOn: null,
  });
  if (!step) return <Text className="field-hint">升级措施已全部采取。</Text>;

  const notice = step === 'written_notice';
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.transition(detail.id, body), notice ? '已发出通知书' : '已登记'), {
      version: detail.version,
      step,
      deadlineOn: notice ? form.values.deadlineOn : null,
    });

  return (
    <View className="action-panel escalate-form">
      <Text className="field-label">下一步：{ESCALATION_STEPS[step]}</Text>
      {notice && (
        <Field
          label="限期返校日期"
          error={form.errors.deadlineOn ?? form.errors.step}
          hint="通知书发给绑定了孩子的家长，在小程序中确认收到；未绑定的需打印后纸质送达"
        >
          <DateField
            className="input-deadline"
            value={form.values.deadlineOn}
            start={addDays(today(), 1)}
            onChange={(day) => form.set('deadlineOn', day)}
          />
        </Field>
      )}
      <Field label={notice ? '说明（选填）' : '情况说明（选填）'} error={form.errors.note}>
        <Textarea
          className="textarea textarea-small textarea-note"
          value={form.values.note ?? ''}
          maxlength={500}
          placeholder={notice ? '例如：多次家访，家长仍不送孩子返校' : '例如：已约谈监护人，责令一周内送孩子返校'}
          onInput={(event) => form.set('note', event.detail.value || null)}
        />
      </Field>
      {!notice && form.errors.step && <Text className="field-error">{form.errors.step}</Text>}
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        {notice ? '发出《限期返校通知书》' : `确认：${ESCALATION_STEPS[step]}`}
      </Button>
    </View>
  );
}
