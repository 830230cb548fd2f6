import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { addDays, LEAVE_KIND_LABELS, LEAVE_KINDS, leaveRequestBody } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { PhotoField, type UploadedPhoto } from '../../../../components/photo-field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { leaveApi } from '../../../../services/leave';
import { childrenApi } from '../../../../services/parents';
import { askToSubscribe, loadSubscriptions } from '../../../../services/subscriptions';
import { today } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import { goBack } from '../../../../utils/navigation';
import { randomUuid } from '../../../../utils/uuid';
import '../../../../components/subpackage.css';
import '../../parent.css';

/** The longest leave one request may ask for (the server says the same). */
const MAX_DAYS = 30;

/**
 * 为孩子请假: which child (`?childId=` preselects one), 病假 or 事假, the first and last day (today
 * at the earliest), the reason and, if there is one, a photo of the doctor's note. Sent once: the
 * form keeps one request key, so sending again after a lost answer never makes a second request.
 */
export default function LeaveRequestPage() {
  const user = useCurrentUser();
  const { childId } = useRouter().params;
  const children = useLoader(() => (user ? childrenApi.mine() : null), [user?.id]);
  const [clientKey] = useState(randomUuid);
  const form = useForm(leaveRequestBody, { clientKey, childId, kind: 'sick', fromDay: today(), toDay: today() });
  const [photo, setPhoto] = useState<UploadedPhoto | null>(null);
  const [sent, setSent] = useState(false);
  useLoader(() => loadSubscriptions(), []);

  const rostered = (children.data?.items ?? []).filter((child) => child.schoolId && child.grade && child.className);
  const fromDay = form.values.fromDay ?? today();

  const submit = () =>
    form.submit(async (body) => {
      // asked straight from the tap, as WeChat requires; the request does not wait for the answer
      void askToSubscribe(['leave_decided']);
      await leaveApi.create(body);
      setSent(true);
      toastSuccess('已提交，等待班主任审批');
      setTimeout(goBack, 600);
    });

  if (!user || (children.loading && !children.data)) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  if (children.error) {
    return (
      <Screen>
        <ErrorNotice message={children.error} onRetry={() => void children.reload()} />
      </Screen>
    );
  }
  if (!rostered.length) {
    return (
      <Screen>
        <Empty text="绑定的孩子还没有学校和班级信息，暂时不能在这里请假，请直接联系学校。" />
      </Screen>
    );
  }
  return (
    <Screen className="form-page leave-request-page">
      <View className="card">
        <Field label="孩子" error={form.errors.childId}>
          <Segmented
            choices={rostered.map((child) => ({ value: child.id, label: child.name }))}
            value={form.values.childId}
            onChange={(value) => form.set('childId', value)}
          />
        </Field>
        <Field label="请假类型" error={form.errors.kind}>
          <Segmented
            choices={LEAVE_KINDS.map((kind) => ({ value: kind, label: LEAVE_KIND_LABELS[kind] }))}
            value={form.values.kind}
            onChange={(value) => form.set('kind', value)}
          />
        </Field>
        <Field label="从哪天" error={form.errors.fromDay}>
          <DateField
            className="input-leave-from"
            value={form.values.fromDay}
            start={today()}
            onChange={(day) => {
              form.set('fromDay', day ?? undefined);
              if (day && (!form.values.toDay || form.values.toDay < day)) form.set('toDay', day);
            }}
          />
        </Field>
        <Field label="到哪天" error={form.errors.toDay} hint={`一次最多请${MAX_DAYS}天，周末和节假日不算上学日`}>
          <DateField
            className="input-leave-to"
            value={form.values.toDay}
            start={fromDay}
            end={addDays(fromDay, MAX_DAYS)}
            onChange={(day) => form.set('toDay', day ?? undefined)}
          />
        </Field>
        <Field label="请假事由" error={form.errors.reason}>
          <Textarea
            className="textarea textarea-small textarea-leave-reason"
            value={form.values.reason ?? ''}
            maxlength={200}
            placeholder="例如：发烧38.5度，医生建议在家休息两天"
            onInput={(event) => form.set('reason', event.detail.value)}
          />
        </Field>
        <Field label="病历或医生证明（可选）" error={undefined}>
          <PhotoField
            photo={photo}
            error={form.errors.photoUploadId}
            onChange={(next) => {
              setPhoto(next);
              form.set('photoUploadId', next?.id ?? null);
            }}
            upload={leaveApi.uploadNote}
            addText="拍摄或选择照片"
            tooLargeHint="请换一张"
            defaultFileName="leave-note.jpg"
          />
        </Field>
        <Text className="field-hint">照片只有班主任和学校负责人能看到。</Text>
        <FormError message={form.formError} />
        <Button
          className="btn btn-primary btn-block btn-submit-leave"
          loading={form.submitting}
          disabled={sent}
          onClick={() => void submit()}
        >
          {sent ? '已提交' : '提交请假'}
        </Button>
      </View>
    </Screen>
  );
}
