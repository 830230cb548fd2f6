import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { PUPIL_CHANGE_KIND_LABELS, PUPIL_CHANGE_KINDS, pupilChangeDecisionRequest, pupilChangeRequest } from '@baoxue/shared';
import type { Me, PupilChangeKind } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { PagedList } from '../../../../components/paged-list';
import { PhotoField, type UploadedPhoto } from '../../../../components/photo-field';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { SchoolPicker } from '../../../../components/school-picker';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { schoolLineApi, type PupilChange } from '../../../../services/school-line';
import { today } from '../../../../utils/dates';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { PupilChangeCard } from '../../../../components/pupil-change-card';
import '../../school.css';

type Tab = 'outgoing' | 'incoming' | 'record';
const TABS: ReadonlyArray<{ value: Tab; label: string }> = [
  { value: 'outgoing', label: '本校登记' },
  { value: 'incoming', label: '转入确认' },
  { value: 'record', label: '登记异动' },
];
const KINDS = PUPIL_CHANGE_KINDS.map((value) => ({ value, label: PUPIL_CHANGE_KIND_LABELS[value] }));

/**
 * 学籍异动 (BRIEF §4a): the school records a pupil who transfers out (the receiving school confirms),
 * suspends studies (休学, approved by the county with a document photo) or moves away; and confirms
 * pupils transferred in from other schools.
 */
export default function ChangesPage() {
  const user = useCurrentUser();
  // A message about a transfer opens its list (`?direction=incoming`).
  const [tab, setTab] = useState<Tab>(useRouter().params.direction === 'incoming' ? 'incoming' : 'outgoing');
  return (
    <Screen className="list-page changes-page">
      {user ? (
        <>
          <Segmented choices={TABS} value={tab} onChange={setTab} />
          {tab === 'record' ? <RecordForm onRecorded={() => setTab('outgoing')} /> : <Changes key={tab} user={user} direction={tab} />}
        </>
      ) : (
        <Loading />
      )}
    </Screen>
  );
}

function Changes({ user, direction }: { user: Me; direction: 'outgoing' | 'incoming' }) {
  const list = usePagedList((cursor) => schoolLineApi.changes({ direction, cursor }), [user.id, direction]);
  const [refusing, setRefusing] = useState<PupilChange | null>(null);
  const confirming = useAction(async (change: PupilChange) => {
    if (!(await confirm('确认转入', `确认${change.childName}已转入本校？确认后学生的学籍转到本校。`, '确认转入'))) return;
    await schoolLineApi.confirmTransfer(change.id, { approve: true, note: null });
    toastSuccess('已确认');
    await list.reload();
  });
  const refuse = async (change: PupilChange, note: string) => {
    await schoolLineApi.confirmTransfer(change.id, { approve: false, note });
    setRefusing(null);
    toastSuccess('已处理');
    await list.reload();
  };
  return (
    <>
      <Text className="section-note">
        {direction === 'incoming' ? '其他学校登记转入本校的学生，请核实后确认。' : '本校登记的转出、休学和迁出本县。休学须经县教育局审批。'}
      </Text>
      <PagedList list={list} empty={direction === 'incoming' ? '没有待确认的转入学生' : '还没有登记学籍异动'}>
        {(change) => (
          <PupilChangeCard key={change.id} change={change}>
            {direction === 'incoming' && change.status === 'pending' && (
              <View className="inline-actions">
                <Button className="btn btn-plain btn-small" onClick={() => setRefusing(change)}>
                  不接收
                </Button>
                <Button
                  className="btn btn-primary btn-small"
                  loading={confirming.running?.[0].id === change.id}
                  onClick={() => void confirming.run(change)}
                >
                  确认转入
                </Button>
              </View>
            )}
          </PupilChangeCard>
        )}
      </PagedList>
      {refusing && (
        <ReasonDialog
          title="不接收转入"
          note={`请写明原因，${refusing.fromSchoolName}会看到。`}
          placeholder="如：本校未收到该生的转学申请"
          confirmText="不接收"
          schema={pupilChangeDecisionRequest}
          field="note"
          extra={{ approve: false }}
          onConfirm={(note) => refuse(refusing, note)}
          onCancel={() => setRefusing(null)}
        />
      )}
    </>
  );
}

function RecordForm({ onRecorded }: { onRecorded: () => void }) {
  const classes = useLoader(() => schoolLineApi.classes(), []);
  const [classKey, setClassKey] = useState<string | null>(null);
  const chosenClass = classes.data?.classes.find((c) => `${c.grade}-${c.className}` === classKey) ?? null;
  const sheet = useLoader(
    () => (chosenClass ? schoolLineApi.sheet({ grade: chosenClass.grade, className: chosenClass.className }) : null),
    [classKey],
  );
  const form = useForm(pupilChangeRequest, { effectiveOn: today(), kind: 'transfer_out' });
  const [photo, setPhoto] = useState<UploadedPhoto | null>(null);
  const kind = (form.values.kind ?? 'transfer_out') as PupilChangeKind;

  const submit = () =>
    form.submit(async (body) => {
      await schoolLineApi.recordChange(body);
      toastSuccess('已登记');
      onRecorded();
    });

  if (!classes.data) return classes.error ? <ErrorNotice message={classes.error} onRetry={() => void classes.reload()} /> : <Loading />;
  return (
    <View className="card change-form">
      <Field label="班级">
        <View className="chips">
          {classes.data.classes.map((c) => {
            const key = `${c.grade}-${c.className}`;
            return (
              <View key={key} className={key === classKey ? 'chip chip-active' : 'chip'} onClick={() => setClassKey(key)}>
                {c.label}
              </View>
            );
          })}
        </View>
      </Field>
      {chosenClass && (
        <Field label="学生" error={form.errors.childId}>
          {sheet.error && <ErrorNotice message={sheet.error} onRetry={() => void sheet.reload()} />}
          {sheet.loading && !sheet.data && <Loading />}
          <View className="chips">
            {sheet.data?.pupils.map((pupil) => (
              <View
                key={pupil.childId}
                className={pupil.childId === form.values.childId ? 'chip chip-active pupil-option' : 'chip pupil-option'}
                onClick={() => form.set('childId', pupil.childId)}
              >
                {pupil.name}
              </View>
            ))}
          </View>
        </Field>
      )}
      <Field label="异动类型" error={form.errors.kind}>
        <Segmented choices={KINDS} value={kind} onChange={(next) => form.set('kind', next)} />
      </Field>
      <Field label="生效日期" error={form.errors.effectiveOn}>
        <DateField value={form.values.effectiveOn} onChange={(day) => form.set('effectiveOn', day ?? undefined)} />
      </Field>
      {kind === 'transfer_out' && (
        <Field label="转入学校" error={form.errors.toSchoolId}>
          <SchoolPicker
            value={form.values.toSchoolId ?? null}
            exclude={classes.data.schoolId}
            onChange={(school) => form.set('toSchoolId', school.id)}
          />
        </Field>
      )}
      {kind === 'moved_away' && (
        <Field label="迁往地" error={form.errors.destination}>
          <Input
            className="input"
            value={form.values.destination ?? ''}
            maxlength={60}
            placeholder="如：浙江省宁波市鄞州区"
            onInput={(event) => form.set('destination', event.detail.value || null)}
          />
        </Field>
      )}
      <Field label="异动原因" error={form.errors.reason}>
        <Textarea
          className="textarea textarea-small"
          value={form.values.reason ?? ''}
          maxlength={300}
          placeholder={kind === 'suspension' ? '如：因病住院治疗，需休学一年' : '如：随父母到务工地就读'}
          onInput={(event) => form.set('reason', event.detail.value)}
        />
      </Field>
      {kind === 'suspension' && (
        <Field label="证明材料" error={form.errors.documentUploadId}>
          <PhotoField
            photo={photo}
            onChange={(next) => {
              setPhoto(next);
              form.set('documentUploadId', next?.id ?? null);
            }}
            upload={schoolLineApi.uploadDocument}
            addText="拍摄或选择证明照片"
            tooLargeHint="请换一张"
            defaultFileName="document.jpg"
          />
        </Field>
      )}
      <Text className="card-note">
        {kind === 'transfer_out'
          ? '转入学校确认后，学生的学籍转到该校。'
          : kind === 'suspension'
            ? '休学由县教育局审批，批准后学生的缺勤不再计入控辍规则。'
            : '迁出本县后，学生不再计入本县的在校人数。'}
      </Text>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        登记
      </Button>
    </View>
  );
}
