import { useState } from 'react';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { ENROLMENT_KINDS, issueEnrolmentRequest, schoolYearOf } from '@baoxue/shared';
import type { EnrolmentKind, Me, ResponseOf } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { DivisionPicker } from '../../../../components/division-picker';
import { Field, FormError } from '../../../../components/field';
import { SchoolPicker } from '../../../../components/school-picker';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { noticesOfficeApi } from '../../../../services/notices-office';
import { today } from '../../../../utils/dates';
import { goBack } from '../../../../utils/navigation';
import '../../notices.css';

type IssueResult = ResponseOf<'enrolmentIssue'>;

const KINDS: ReadonlyArray<{ value: EnrolmentKind; label: string }> = [
  { value: 'new_entrants', label: '新生入学' },
  { value: 'graduates', label: '小学毕业升初中' },
];

/**
 * Issues enrolment notices in bulk: every child turning 6 by 31 August in a catchment, or every
 * sixth-grader of some primary schools to their junior school. A preview counts who would be
 * notified before anything is sent; the legal text is added by the server.
 */
export default function EnrolmentIssuePage() {
  const user = useCurrentUser();
  const [result, setResult] = useState<IssueResult | null>(null);
  return (
    <Screen className="form-page enrolment-issue-page">
      {!user ? <Loading /> : result ? <Issued result={result} /> : <IssueForm user={user} onIssued={setResult} />}
    </Screen>
  );
}

function IssueForm({ user, onIssued }: { user: Me; onIssued: (result: IssueResult) => void }) {
  const ownSchool = user.unit?.kind === 'school' ? user.unit : null;
  const nextYear = schoolYearOf(today()) + 1;
  const form = useForm(issueEnrolmentRequest, {
    kind: 'new_entrants',
    schoolYear: nextYear,
    schoolId: ownSchool?.schoolId,
    catchment: [],
    fromSchoolIds: [],
    reportOn: `${nextYear}-08-31`,
    acknowledgeBy: `${nextYear}-07-31`,
  });
  const [names, setNames] = useState<Record<string, string>>(ownSchool ? { [ownSchool.schoolId]: ownSchool.name } : {});
  const [preview, setPreview] = useState<IssueResult | null>(null);
  const { kind, catchment = [], fromSchoolIds = [] } = form.values;
  const remember = (id: string, name: string) => setNames((current) => ({ ...current, [id]: name }));

  const change: typeof form.set = (name, value) => {
    setPreview(null);
    form.set(name, value);
  };

  const chooseKind = (next: EnrolmentKind) => {
    change('kind', next);
    // A school issues for itself as the receiving school, or sends its own sixth-graders on.
    if (ownSchool) {
      change('schoolId', next === 'new_entrants' ? ownSchool.schoolId : undefined);
      change('fromSchoolIds', next === 'graduates' ? [ownSchool.schoolId] : []);
    }
  };

  const count = () => form.submit(async (body) => setPreview(await noticesOfficeApi.issue({ ...body, dryRun: true })));
  const issue = () => form.submit(async (body) => onIssued(await noticesOfficeApi.issue({ ...body, dryRun: false })));

  return (
    <View className="card">
      <Field label="通知类型" error={form.errors.kind}>
        <Segmented choices={KINDS} value={kind} onChange={chooseKind} />
        {kind && <Text className="field-hint">{ENROLMENT_KINDS[kind]}</Text>}
      </Field>
      <Field label="入学年份" error={form.errors.schoolYear} hint={`${String(form.values.schoolYear)}年秋季学期入学`}>
        <Segmented
          choices={[nextYear - 1, nextYear].map((year) => ({ value: String(year), label: `${year}年秋季` }))}
          value={String(form.values.schoolYear)}
          onChange={(year) => change('schoolYear', Number(year))}
        />
      </Field>
      {kind === 'graduates' ? (
        <Field label="毕业生所在小学" error={form.errors.fromSchoolIds}>
          <Chosen
            ids={fromSchoolIds}
            names={names}
            onRemove={(id) =>
              change(
                'fromSchoolIds',
                fromSchoolIds.filter((s) => s !== id),
              )
            }
          />
          {!ownSchool && (
            <SchoolPicker
              value={null}
              onChange={(school) => {
                remember(school.id, school.name);
                if (!fromSchoolIds.includes(school.id)) change('fromSchoolIds', [...fromSchoolIds, school.id]);
              }}
            />
          )}
        </Field>
      ) : (
        <Field label="招生范围（乡镇或村）" error={form.errors.catchment} hint="可选择多个乡镇或村">
          <Chosen
            ids={catchment}
            names={names}
            onRemove={(code) =>
              change(
                'catchment',
                catchment.filter((c) => c !== code),
              )
            }
          />
          <DivisionPicker
            value={null}
            minLevel="township"
            onChange={(division) => {
              if (!division || catchment.includes(division.code)) return;
              remember(division.code, division.fullName);
              change('catchment', [...catchment, division.code]);
            }}
          />
        </Field>
      )}
      {(kind === 'graduates' || !ownSchool) && (
        <Field label={kind === 'graduates' ? '升入的初中' : '报到学校'} error={form.errors.schoolId}>
          {form.values.schoolId && <Text className="field-hint">已选：{names[form.values.schoolId] ?? '—'}</Text>}
          <SchoolPicker
            value={form.values.schoolId ?? null}
            onChange={(school) => {
              remember(school.id, school.name);
              change('schoolId', school.id);
            }}
          />
        </Field>
      )}
      <Field label="报到日期" error={form.errors.reportOn}>
        <DateField
          className="input-report-on"
          value={form.values.reportOn}
          start={today()}
          onChange={(day) => change('reportOn', day ?? undefined)}
        />
      </Field>
      <Field label="报到时间" error={form.errors.reportTime}>
        <Input
          className="input"
          value={form.values.reportTime ?? ''}
          maxlength={40}
          placeholder="如：上午8:00—11:30"
          onInput={(event) => change('reportTime', event.detail.value)}
        />
      </Field>
      <Field label="报到地点" error={form.errors.reportPlace}>
        <Input
          className="input"
          value={form.values.reportPlace ?? ''}
          maxlength={100}
          placeholder="如：学校教学楼一楼大厅"
          onInput={(event) => change('reportPlace', event.detail.value)}
        />
      </Field>
      <Field label="需携带的材料" error={form.errors.bring}>
        <Textarea
          className="textarea textarea-small"
          value={form.values.bring ?? ''}
          maxlength={300}
          placeholder="如：户口簿、儿童预防接种证、本通知书回执"
          onInput={(event) => change('bring', event.detail.value)}
        />
      </Field>
      <Field label="联系人及电话" error={form.errors.contact}>
        <Input
          className="input"
          value={form.values.contact ?? ''}
          maxlength={60}
          placeholder="如：教导处 王老师 0376-8888888"
          onInput={(event) => change('contact', event.detail.value)}
        />
      </Field>
      <Field label="回执截止日期" error={form.errors.acknowledgeBy} hint="截止后仍未回执的，由村和学校跟进">
        <DateField
          className="input-acknowledge-by"
          value={form.values.acknowledgeBy}
          start={today()}
          end={form.values.reportOn}
          onChange={(day) => change('acknowledgeBy', day ?? undefined)}
        />
      </Field>
      <Text className="card-note">通知书会附上《中华人民共和国义务教育法》第五条、第十一条、第五十八条的规定，无需填写。</Text>
      {preview && (
        <Text className="preview-line">
          将向 {preview.notified} 名孩子发出通知书，其中 {preview.withoutApp} 名的家长尚未使用小程序，需要打印送达
          {preview.alreadyNoticed ? `；另有 ${preview.alreadyNoticed} 名今年已发过，不再重复发出` : ''}。
        </Text>
      )}
      <FormError message={form.formError} />
      <View className="actions">
        <Button className="btn btn-plain btn-block" loading={form.submitting && !preview} onClick={() => void count()}>
          预览人数
        </Button>
        <Button className="btn btn-primary btn-block" loading={form.submitting && !!preview} onClick={() => void issue()}>
          发出通知书
        </Button>
      </View>
    </View>
  );
}

/** The schools or divisions picked so far; tap one to remove it. */
function Chosen({ ids, names, onRemove }: { ids: readonly string[]; names: Record<string, string>; onRemove: (id: string) => void }) {
  if (!ids.length) return null;
  return (
    <View className="chosen-list">
      {ids.map((id) => (
        <Text key={id} className="chosen-item" onClick={() => onRemove(id)}>
          {names[id] ?? id} ✕
        </Text>
      ))}
    </View>
  );
}

function Issued({ result }: { result: IssueResult }) {
  return (
    <View className="card issued-result">
      <Text className="card-title">入学通知书已发出</Text>
      <Text className="list-item-line">
        共 {result.notified} 份。已绑定孩子的家长会在小程序中收到通知；{result.withoutApp} 名孩子的家长尚未使用小程序，请打印通知书送达。
      </Text>
      {result.alreadyNoticed > 0 && <Text className="list-item-line">{result.alreadyNoticed} 名孩子今年已发过通知书，未重复发出。</Text>}
      <Button className="btn btn-primary btn-block" onClick={goBack}>
        返回列表
      </Button>
    </View>
  );
}
