import { useCallback, useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { CHILD_SEXES, gradeChoices, TIP_LIMITS } from '@baoxue/shared';
import type { ChildSex, Me } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { PhotoField } from '../../../../components/photo-field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { tipsApi } from '../../../../services/tips';
import { askToSubscribe, loadSubscriptions } from '../../../../services/subscriptions';
import { tipOutbox, type SubmitOutcome, type TipBody } from '../../../../services/tip-outbox';
import { PlacePicker } from '../../components/place-picker';
import { SchoolField } from '../../components/school-field';
import { SubmitResult } from '../../components/submit-result';
import { clearDraft, hasContent, loadDraft, placeCode, saveDraft, type PlaceChoice, type TipDraft } from '../../tip-draft';
import { tipRequest } from '../../tip-request';

const SEXES = (Object.keys(CHILD_SEXES) as ChildSex[]).map((sex) => ({ value: sex, label: CHILD_SEXES[sex] }));
const GRADES = [{ value: '', label: '不清楚' }, ...gradeChoices(null)];

/**
 * Error paths drawn beside a field, in the order the form shows them; any other the server names is
 * listed in the summary at the top of the form.
 */
const FIELD_ORDER = [
  'child.name',
  'child.sex',
  'child.age',
  'child.grade',
  'child.lastSchoolId',
  'child.lastSchoolName',
  'child.idNumber',
  'divisionCode',
  'locationNote',
  'observation',
  'photoId',
  'contact',
] as const;
type FieldPath = (typeof FIELD_ORDER)[number];
const SHOWN_FIELDS = new Set<string>(FIELD_ORDER);

/** The element id of a field's row, to scroll to (`child.lastSchoolName` shares the school's row). */
function fieldId(path: FieldPath): string {
  return `tip-field-${path === 'child.lastSchoolName' ? 'child-lastSchoolId' : path.replace('.', '-')}`;
}

interface Submitted {
  outcome: SubmitOutcome;
  key: string;
}

/** 提交线索: a child suspected of having left school, as far as the supervisor knows. */
export default function TipFormPage() {
  const user = useCurrentUser();
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const [round, setRound] = useState(0);

  const userId = user?.id;
  useEffect(() => {
    // The template ids must be at hand before the tap: WeChat only asks from inside a tap.
    if (userId) void loadSubscriptions().catch(() => undefined);
  }, [userId]);

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  if (user.role !== 'supervisor') {
    return (
      <Screen>
        <Empty text="只有社会监督员可以提交线索" />
      </Screen>
    );
  }
  return (
    <Screen className="form-page tip-form-page">
      {submitted ? (
        <SubmitResult
          outcome={submitted.outcome}
          tipKey={submitted.key}
          onAnother={() => {
            setSubmitted(null);
            setRound(round + 1);
          }}
        />
      ) : (
        <TipForm key={round} user={user} onSubmitted={setSubmitted} />
      )}
    </Screen>
  );
}

function TipForm({ user, onSubmitted }: { user: Me; onSubmitted: (submitted: Submitted) => void }) {
  const [saved] = useState<TipDraft>(() => loadDraft(user.id));
  const form = useForm(tipRequest, saved.values, saved.errors);
  const [place, setPlace] = useState<PlaceChoice>(saved.place);
  const [schoolLabel, setSchoolLabel] = useState<string | null>(saved.schoolLabel);
  const [photo, setPhoto] = useState(saved.photo);
  const child = form.values.child ?? { name: '' };

  const current = useCallback(
    (): TipDraft => ({
      ...saved,
      values: { ...saved.values, ...form.values, child: form.values.child ?? { name: '' } },
      place,
      schoolLabel,
      photo,
      errors: {},
    }),
    [saved, form.values, place, schoolLabel, photo],
  );

  // Every change is on the phone at once: closing the app loses nothing.
  const userId = user.id;
  useEffect(() => {
    const draft = current();
    if (hasContent(draft)) saveDraft(draft);
    else clearDraft(userId);
  }, [current, userId]);

  const setChild = (patch: Partial<typeof child>) => form.set('child', { ...child, ...patch });

  const choosePlace = (next: PlaceChoice) => {
    setPlace(next);
    form.set('divisionCode', placeCode(next));
  };

  const choosePhoto = (next: typeof photo) => {
    setPhoto(next);
    form.set('photoId', next?.id ?? null);
  };

  // After a refused submit, the first field to correct comes into view and, if typed, takes the focus.
  const jumpToError = useRef(false);
  const [focused, setFocused] = useState<FieldPath | null>(null);
  const { errors, formError, submitting } = form;
  useEffect(() => {
    if (!jumpToError.current || submitting) return;
    jumpToError.current = false;
    const first = FIELD_ORDER.find((path) => errors[path]);
    if (!first && !formError) return;
    void Taro.pageScrollTo({ selector: first ? `#${fieldId(first)}` : '#tip-form-errors', offsetTop: -16, duration: 200 }).catch(
      () => undefined,
    );
    setFocused(first ?? null);
  }, [errors, formError, submitting]);
  const focusProps = (path: FieldPath) => ({ focus: focused === path, onBlur: () => setFocused(null) });

  const submit = () => {
    jumpToError.current = true;
    setFocused(null);
    return form.submit(async (body) => {
      // Asked first, straight from the tap as WeChat requires; the tip does not wait for the answer.
      const asking = askToSubscribe(['tip_progress']);
      const draft = current();
      // The outbox has stored the tip before this line runs, so the draft can go: one copy, one key.
      const sending = tipOutbox.submit({ key: body.idempotencyKey, userId: user.id, body: body as TipBody, draft });
      clearDraft(user.id);
      let outcome: SubmitOutcome;
      try {
        outcome = await sending;
      } catch (refusal) {
        saveDraft(draft); // refused: it is the draft again, shown with the server's reasons
        throw refusal;
      }
      await asking;
      onSubmitted({ outcome, key: body.idempotencyKey });
    });
  };

  const chosenSchool = child.lastSchoolId
    ? { kind: 'listed' as const, id: child.lastSchoolId, name: schoolLabel ?? '已选学校' }
    : child.lastSchoolName
      ? { kind: 'typed' as const, name: child.lastSchoolName }
      : null;
  const observationLength = (form.values.observation ?? '').length;
  const otherErrors = Object.entries(form.errors).filter(([path]) => !SHOWN_FIELDS.has(path));
  const grade = child.grade === null || child.grade === undefined ? '' : String(child.grade);

  return (
    <>
      <View className="card notice-card">
        <Text className="card-note">
          请尽量如实填写您知道的情况，不知道的可以不填或选“不清楚”。您的身份受到保护：乡镇经办人看不到是谁提供的线索。内容会自动保存在手机上，没有网络时也可以提交，联网后自动发送。
        </Text>
      </View>

      {/* the summary at the top: what to correct, each field's own message stays beside it */}
      <View id="tip-form-errors">
        <FormError message={form.formError} />
        {otherErrors.length > 0 && (
          <View className="form-error">
            {otherErrors.map(([path, message]) => (
              <Text key={path} className="form-error-line">
                {message}
              </Text>
            ))}
          </View>
        )}
      </View>

      <View className="card">
        <Text className="card-title">孩子的情况</Text>
        <Field label="孩子姓名" id={fieldId('child.name')} error={form.errors['child.name']}>
          <Input
            className="input input-child-name"
            {...focusProps('child.name')}
            value={child.name}
            maxlength={20}
            placeholder="请输入孩子的姓名"
            onInput={(event) => setChild({ name: event.detail.value })}
          />
        </Field>
        <Field label="性别" id={fieldId('child.sex')} error={form.errors['child.sex']}>
          <Segmented choices={SEXES} value={child.sex ?? 'unknown'} onChange={(sex) => setChild({ sex })} />
        </Field>
        <Field label="大约年龄（选填）" id={fieldId('child.age')} error={form.errors['child.age']} hint="义务教育阶段一般为6到15岁">
          <Input
            className="input input-age"
            {...focusProps('child.age')}
            type="number"
            value={child.age === null || child.age === undefined ? '' : String(child.age)}
            maxlength={2}
            placeholder="岁"
            onInput={(event) => setChild({ age: event.detail.value === '' ? null : event.detail.value })}
          />
        </Field>
        <Field label="年级（选填）" id={fieldId('child.grade')} error={form.errors['child.grade']}>
          <Segmented choices={GRADES} value={grade} onChange={(value) => setChild({ grade: value === '' ? null : Number(value) })} />
        </Field>
        <Field
          label="原来就读的学校（选填）"
          id={fieldId('child.lastSchoolId')}
          error={form.errors['child.lastSchoolId'] ?? form.errors['child.lastSchoolName']}
        >
          <SchoolField
            chosen={chosenSchool}
            near={placeCode(place)}
            onPick={(school) => {
              setSchoolLabel(school.name);
              setChild({ lastSchoolId: school.id, lastSchoolName: null });
            }}
            onType={(name) => {
              setSchoolLabel(null);
              setChild({ lastSchoolId: null, lastSchoolName: name });
            }}
            onClear={() => {
              setSchoolLabel(null);
              setChild({ lastSchoolId: null, lastSchoolName: null });
            }}
          />
        </Field>
        <Field
          label="身份证号（选填）"
          id={fieldId('child.idNumber')}
          error={form.errors['child.idNumber']}
          hint="只在确切知道时填写，工作人员看到的是隐去中间位数的号码"
        >
          <Input
            className="input input-id-number"
            {...focusProps('child.idNumber')}
            type="idcard"
            value={child.idNumber ?? ''}
            maxlength={22}
            placeholder="18位身份证号"
            onInput={(event) => setChild({ idNumber: event.detail.value.trim() === '' ? null : event.detail.value })}
          />
        </Field>
      </View>

      <View className="card">
        <Text className="card-title">孩子住在哪里</Text>
        <Field label="所在村（社区）" id={fieldId('divisionCode')} error={form.errors.divisionCode}>
          <PlacePicker value={place} onChange={choosePlace} />
        </Field>
        <Field label="位置说明（选填）" id={fieldId('locationNote')} error={form.errors.locationNote}>
          <Input
            className="input input-location-note"
            {...focusProps('locationNote')}
            value={form.values.locationNote ?? ''}
            maxlength={TIP_LIMITS.locationNoteMax}
            placeholder="例如：村东头小卖部往北第二户"
            onInput={(event) => form.set('locationNote', event.detail.value || null)}
          />
        </Field>
      </View>

      <View className="card">
        <Text className="card-title">看到的情况</Text>
        <Field label="情况说明" id={fieldId('observation')} error={form.errors.observation}>
          <Textarea
            className="textarea textarea-observation"
            {...focusProps('observation')}
            value={form.values.observation ?? ''}
            maxlength={TIP_LIMITS.observationMax}
            placeholder="例如：开学两周了，白天常看到孩子在家附近放牛，没有去上学"
            onInput={(event) => form.set('observation', event.detail.value)}
          />
          <Text className={observationLength < TIP_LIMITS.observationMin ? 'counter counter-short' : 'counter'}>
            {observationLength}/{TIP_LIMITS.observationMax}
            {observationLength < TIP_LIMITS.observationMin ? `（至少${TIP_LIMITS.observationMin}个字）` : ''}
          </Text>
        </Field>
        <Field
          label="照片（选填）"
          id={fieldId('photoId')}
          error={undefined}
          hint={photo ? undefined : '可拍摄能说明情况的照片，请勿拍摄孩子正脸'}
        >
          <PhotoField
            photo={photo}
            error={form.errors.photoId}
            onChange={choosePhoto}
            upload={tipsApi.uploadPhoto}
            addText="添加照片"
            tooLargeHint="请换一张或截图后再选"
            defaultFileName="evidence.jpg"
          />
        </Field>
      </View>

      <View className="card">
        <Field
          label="您的联系方式（选填）"
          id={fieldId('contact')}
          error={form.errors.contact}
          hint="工作人员需要核实时可以联系您；只有说明理由并留痕后才能看到"
        >
          <Input
            className="input input-contact"
            {...focusProps('contact')}
            value={form.values.contact ?? ''}
            maxlength={TIP_LIMITS.contactMax}
            placeholder="手机号或微信号"
            onInput={(event) => form.set('contact', event.detail.value || null)}
          />
        </Field>
        <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
          提交线索
        </Button>
      </View>
    </>
  );
}
