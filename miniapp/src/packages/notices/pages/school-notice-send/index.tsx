import { useState } from 'react';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { gradeChoices, SCHOOL_NOTICE_AUDIENCES, sendSchoolNoticeRequest } from '@baoxue/shared';
import type { SchoolNoticeAudience } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { noticesOfficeApi, type SchoolNotice } from '../../../../services/notices-office';
import { schoolsApi } from '../../../../services/schools';
import { goBack } from '../../../../utils/navigation';
import '../../../../components/subpackage.css';
import '../../notices.css';

const AUDIENCES: ReadonlyArray<{ value: SchoolNoticeAudience; label: string }> = [
  { value: 'school', label: SCHOOL_NOTICE_AUDIENCES.school },
  { value: 'grade', label: SCHOOL_NOTICE_AUDIENCES.grade },
  { value: 'class', label: SCHOOL_NOTICE_AUDIENCES.class },
];

/** A school notice to the guardians of the whole school, a grade or a class. */
export default function SchoolNoticeSendPage() {
  const [sent, setSent] = useState<SchoolNotice | null>(null);
  return <Screen className="form-page school-notice-send-page">{sent ? <Sent notice={sent} /> : <SendForm onSent={setSent} />}</Screen>;
}

function SendForm({ onSent }: { onSent: (notice: SchoolNotice) => void }) {
  const form = useForm(sendSchoolNoticeRequest, { audience: { kind: 'school' } });
  // the grades the sender's school teaches: a primary school 一至六年级, a junior school 初一至初三
  const user = useCurrentUser();
  const schoolId = user?.unit?.kind === 'school' ? user.unit.schoolId : null;
  const school = useLoader(() => (schoolId ? schoolsApi.get(schoolId) : null), [schoolId]);
  const grades = gradeChoices(school.data?.stage);
  const audience = form.values.audience ?? { kind: 'school' as const };
  const grade = 'grade' in audience ? String(audience.grade ?? '') : '';
  const className = audience.kind === 'class' ? (audience.className ?? '') : '';
  const audienceError =
    form.errors.audience ?? form.errors['audience.grade'] ?? form.errors['audience.className'] ?? form.errors['audience.kind'];

  const chooseKind = (kind: SchoolNoticeAudience) => {
    if (kind === 'school') form.set('audience', { kind });
    else if (kind === 'grade') form.set('audience', { kind, grade: grade ? Number(grade) : undefined } as never);
    else form.set('audience', { kind, grade: grade ? Number(grade) : undefined, className } as never);
  };
  const chooseGrade = (value: string) => form.set('audience', { ...audience, grade: Number(value) } as never);
  const typeClass = (value: string) => form.set('audience', { ...audience, className: value } as never);

  const submit = () => form.submit(async (body) => onSent(await noticesOfficeApi.sendSchoolNotice(body)));

  return (
    <View className="card">
      <Field label="发送范围" error={audienceError}>
        <Segmented choices={AUDIENCES} value={audience.kind} onChange={chooseKind} />
        {audience.kind !== 'school' && (
          <View className="audience-grade">
            <Segmented choices={grades} value={grade} onChange={chooseGrade} />
          </View>
        )}
        {audience.kind === 'class' && (
          <Input
            className="input"
            value={className}
            maxlength={16}
            placeholder="班级，如：2班"
            onInput={(event) => typeClass(event.detail.value)}
          />
        )}
      </Field>
      <Field label="标题" error={form.errors.title}>
        <Input
          className="input"
          value={form.values.title ?? ''}
          maxlength={40}
          placeholder="通知标题"
          onInput={(event) => form.set('title', event.detail.value)}
        />
      </Field>
      <Field label="内容" error={form.errors.body}>
        <Textarea
          className="textarea"
          value={form.values.body ?? ''}
          maxlength={2000}
          placeholder="通知内容"
          onInput={(event) => form.set('body', event.detail.value)}
        />
      </Field>
      <Text className="card-note">通知会发给所选范围内已在小程序中绑定孩子的家长，并在家长的消息中提醒。</Text>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        发送
      </Button>
    </View>
  );
}

function Sent({ notice }: { notice: SchoolNotice }) {
  return (
    <View className="card sent-result">
      <Text className="card-title">通知已发送</Text>
      <Text className="list-item-line">
        发送给{notice.audienceLabel}的家长：学生 {notice.pupils} 名，其中 {notice.pupilsReached} 名的家长在小程序中，共 {notice.recipients}{' '}
        位家长收到。
      </Text>
      <Button className="btn btn-primary btn-block" onClick={goBack}>
        返回通知列表
      </Button>
    </View>
  );
}
