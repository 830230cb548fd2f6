import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import {
  ALERT_STATUS_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  CONTACT_OUTCOME_LABELS,
  CONTACT_OUTCOMES,
  familyContactRequest,
  reportPupilRequest,
} from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { DetailRow } from '../../../../components/detail-row';
import { Field, FormError } from '../../../../components/field';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { schoolLineApi } from '../../../../services/school-line';
import { today } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { randomUuid } from '../../../../utils/uuid';
import '../../school.css';

const CHANNELS = CONTACT_CHANNELS.map((value) => ({ value, label: CONTACT_CHANNEL_LABELS[value] }));
const OUTCOMES = CONTACT_OUTCOMES.map((value) => ({ value, label: CONTACT_OUTCOME_LABELS[value] }));

type Reported = { caseId: string; existing: boolean };

/**
 * One pupil's follow-up (家校联系, BRIEF §4a): the last 30 school days, the absence alerts, every
 * contact with the family and a form for the next one, and the school's report of a suspected dropout.
 */
export default function PupilPage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  return (
    <Screen className="pupil-page">
      {!user ? <Loading /> : id ? <Pupil user={user} id={id} /> : <ErrorNotice message="没有指定学生" />}
    </Screen>
  );
}

function Pupil({ user, id }: { user: Me; id: string }) {
  const view = useLoader(() => schoolLineApi.followUp(id), [user.id, id]);
  useOnReturn(() => void view.reload());
  const [reporting, setReporting] = useState<string | null>(null);
  const [reported, setReported] = useState<Reported | null>(null);
  // A new form (empty again) after each contact is recorded.
  const [contactForm, setContactForm] = useState(0);
  const data = view.data;
  if (!data) return view.error ? <ErrorNotice message={view.error} onRetry={() => void view.reload()} /> : <Loading />;

  const report = async (reason: string) => {
    const answer = await schoolLineApi.report(id, { clientKey: reporting!, reason });
    setReporting(null);
    setReported(answer);
    toastSuccess('已上报');
    await view.reload();
  };
  const caseId = reported?.caseId ?? data.openCase?.id ?? null;
  const { lastSchoolDays: days } = data;

  return (
    <>
      <View className="card">
        <View className="list-item-head">
          <Text className="list-item-title">{data.name}</Text>
          <Text className="list-item-meta">{data.classLabel}</Text>
        </View>
        <Text className="list-item-meta">{data.schoolName}</Text>
        <Text className="list-item-line">
          最近 {days.days} 个上学日：出勤 {days.present} 天，无故缺勤 {days.unexcused} 天，请假 {days.excused} 天
        </Text>
      </View>

      {reported && (
        <View className="card report-result">
          <Text className="card-title">{reported.existing ? '该学生已有案件，上报已补充到案件中' : '已上报疑似辍学，已转乡镇办理'}</Text>
          <Text className="list-item-line">案件编号：{reported.caseId}</Text>
        </View>
      )}
      {caseId ? (
        <View className="card">
          <Text className="card-title">控辍案件</Text>
          {data.openCase && <DetailRow label="办理状态">{data.openCase.statusLabel}</DetailRow>}
          <Button className="btn btn-plain btn-block" onClick={() => openPage(PAGES.officialCase, { id: caseId })}>
            查看案件
          </Button>
        </View>
      ) : (
        <Button className="btn btn-danger btn-block" onClick={() => setReporting(randomUuid())}>
          上报疑似辍学
        </Button>
      )}

      <Text className="section-title">缺勤提醒</Text>
      {data.alerts.length === 0 && <Empty text="没有连续缺勤的记录" />}
      {data.alerts.map((alert) => (
        <View key={alert.id} className="card list-item">
          <View className="list-item-head">
            <Text className="list-item-line">
              {alert.streakStart} 起连续缺勤 {alert.streak} 个上学日
            </Text>
            <Text className={`tag tag-${alert.status}`}>{ALERT_STATUS_LABELS[alert.status]}</Text>
          </View>
          <Text className="list-item-meta">最近一次缺勤 {alert.lastAbsentDay}</Text>
        </View>
      ))}

      <Text className="section-title">家校联系记录</Text>
      {data.contacts.length === 0 && <Empty text="还没有联系记录" />}
      {data.contacts.map((contact) => (
        <View key={contact.id} className="card list-item contact-item">
          <View className="list-item-head">
            <Text className="list-item-line">
              {contact.contactedOn} · {CONTACT_CHANNEL_LABELS[contact.channel]} · {contact.contactPerson}
            </Text>
          </View>
          <Text className="list-item-line">{CONTACT_OUTCOME_LABELS[contact.outcome]}</Text>
          {contact.note && <DetailRow label="情况">{contact.note}</DetailRow>}
          {contact.nextStep && <DetailRow label="下一步">{contact.nextStep}</DetailRow>}
          <Text className="list-item-meta">
            {contact.recordedByName ?? ''} {formatDateTime(contact.recordedAt)} 登记
          </Text>
        </View>
      ))}

      <ContactForm
        key={contactForm}
        childId={id}
        onSaved={async () => {
          setContactForm((n) => n + 1);
          await view.reload();
        }}
      />

      {reporting && (
        <ReasonDialog
          title="上报疑似辍学"
          note={`上报后，${data.name}的情况按线索转给所在乡镇办理，学校同时参与劝返。请写明缺勤和联系家长的情况。`}
          placeholder="如：连续5天未到校，电话联系家长称孩子不愿上学"
          confirmText="确认上报"
          schema={reportPupilRequest}
          extra={{ clientKey: reporting }}
          onConfirm={report}
          onCancel={() => setReporting(null)}
        />
      )}
    </>
  );
}

function ContactForm({ childId, onSaved }: { childId: string; onSaved: () => Promise<void> }) {
  const initial = { contactedOn: today(), channel: 'phone' as const };
  const form = useForm(familyContactRequest, initial);
  const save = () =>
    form.submit(async (body) => {
      await schoolLineApi.recordContact(childId, body);
      toastSuccess('已登记');
      await onSaved();
    });
  return (
    <View className="card contact-form">
      <Text className="card-title">登记联系家长</Text>
      <Field label="联系日期" error={form.errors.contactedOn}>
        <DateField value={form.values.contactedOn} end={today()} onChange={(day) => form.set('contactedOn', day ?? undefined)} />
      </Field>
      <Field label="联系方式" error={form.errors.channel}>
        <Segmented choices={CHANNELS} value={form.values.channel} onChange={(channel) => form.set('channel', channel)} />
      </Field>
      <Field label="联系对象" error={form.errors.contactPerson}>
        <Input
          className="input input-contact-person"
          value={form.values.contactPerson ?? ''}
          maxlength={20}
          placeholder="如：母亲、爷爷、学生本人"
          onInput={(event) => form.set('contactPerson', event.detail.value)}
        />
      </Field>
      <Field label="联系结果" error={form.errors.outcome}>
        <Segmented choices={OUTCOMES} value={form.values.outcome} onChange={(outcome) => form.set('outcome', outcome)} />
      </Field>
      <Field label="情况说明（选填）" error={form.errors.note}>
        <Textarea
          className="textarea textarea-small"
          value={form.values.note ?? ''}
          maxlength={500}
          placeholder="家长说明的原因、孩子的情况"
          onInput={(event) => form.set('note', event.detail.value || null)}
        />
      </Field>
      <Field label="下一步（选填）" error={form.errors.nextStep}>
        <Input
          className="input"
          value={form.values.nextStep ?? ''}
          maxlength={200}
          placeholder="如：明天上午家访"
          onInput={(event) => form.set('nextStep', event.detail.value || null)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void save()}>
        登记
      </Button>
    </View>
  );
}
