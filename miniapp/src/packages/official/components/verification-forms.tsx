import { useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { NOT_DROPOUT_REASONS } from '@baoxue/shared';
import type { NotDropoutReason, SchoolView } from '@baoxue/shared';
import { Field, FormError } from '../../../components/field';
import { SchoolPicker } from '../../../components/school-picker';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi } from '../../../services/case-handling';
import { transitionSchema, type CaseEditor } from '../case-editing';
import { CausePicker } from './cause-picker';

const startSchema = transitionSchema('start_verification');
const confirmSchema = transitionSchema('confirm');
const notDropoutSchema = transitionSchema('close_not_dropout');
const REASONS = Object.keys(NOT_DROPOUT_REASONS) as NotDropoutReason[];

/** 开始核查: the responsible cadre starts checking whether the child really left school. */
export function StartVerificationForm({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const form = useForm(startSchema, { transition: 'start_verification', note: null });
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.transition(detail.id, body), '已开始核查'), { version: detail.version });

  return (
    <View className="action-panel start-verification-form">
      <Field label="说明（选填）" error={form.errors.note}>
        <Textarea
          className="textarea textarea-small textarea-note"
          value={form.values.note ?? ''}
          maxlength={200}
          placeholder="例如：今天到学校和村里核实"
          onInput={(event) => form.set('note', event.detail.value || null)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        开始核查
      </Button>
    </View>
  );
}

/** 确认辍学: the child has left school; why (one or more causes) decides the support. */
export function ConfirmForm({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const form = useForm(confirmSchema, { transition: 'confirm', causes: detail.causes.map((cause) => cause.cause), note: null });
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.transition(detail.id, body), '已确认辍学'), { version: detail.version });

  return (
    <View className="action-panel confirm-form">
      <Field label="辍学原因（可多选）" error={form.errors.causes}>
        <CausePicker value={form.values.causes ?? []} onChange={(causes) => form.set('causes', causes)} />
      </Field>
      <Field label="核查情况（选填）" error={form.errors.note}>
        <Textarea
          className="textarea textarea-small textarea-note"
          value={form.values.note ?? ''}
          maxlength={500}
          placeholder="例如：到家核实，孩子已一个月未到校，在家帮忙务农"
          onInput={(event) => form.set('note', event.detail.value || null)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        确认辍学
      </Button>
      <Text className="field-hint">确认后须在规定时间内完成首次家访。</Text>
    </View>
  );
}

/**
 * 核实非辍学: why the child is not a dropout, with the evidence. A transferred child stays open until
 * the receiving school confirms the enrolment.
 */
export function NotDropoutForm({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const form = useForm(notDropoutSchema, { transition: 'close_not_dropout', evidence: '', receivingSchoolId: null });
  const [school, setSchool] = useState<SchoolView | null>(null);
  const submit = () =>
    form.submit(
      (body) =>
        editor.save(
          () => caseHandlingApi.transition(detail.id, body),
          body.reason === 'transferred' ? '已提交，等待接收学校确认' : '已按非辍学结案',
        ),
      { version: detail.version },
    );

  return (
    <View className="action-panel not-dropout-form">
      <Field label="核实结果" error={form.errors.reason}>
        <View className="chips">
          {REASONS.map((reason) => (
            <View
              key={reason}
              className={form.values.reason === reason ? 'chip chip-active' : 'chip'}
              onClick={() => form.set('reason', reason)}
            >
              {NOT_DROPOUT_REASONS[reason]}
            </View>
          ))}
        </View>
      </Field>
      {form.values.reason === 'transferred' && (
        <Field label="接收学校" error={form.errors.receivingSchoolId} hint="接收学校确认孩子在校就读后才结案">
          <SchoolPicker
            value={form.values.receivingSchoolId ?? null}
            onChange={(chosen) => {
              setSchool(chosen);
              form.set('receivingSchoolId', chosen.id);
            }}
          />
          {school && <Text className="field-hint">将请{school.name}确认</Text>}
        </Field>
      )}
      <Field label="核实依据" error={form.errors.evidence}>
        <Textarea
          className="textarea textarea-small textarea-evidence"
          value={form.values.evidence ?? ''}
          maxlength={500}
          placeholder="例如：到校核实，孩子在十里镇中心小学五年级就读，班主任确认"
          onInput={(event) => form.set('evidence', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        {form.values.reason === 'transferred' ? '提交，请接收学校确认' : '按非辍学结案'}
      </Button>
    </View>
  );
}
