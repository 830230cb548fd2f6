import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { chinaDay, gradeChoices, gradeLabel, gradesOfStage, PLACEMENT_MODES, suggestedGrade } from '@baoxue/shared';
import type { PlacementMode, SchoolStage } from '@baoxue/shared';
import { DateField } from '../../../components/date-field';
import { Field, FormError } from '../../../components/field';
import { SchoolPicker } from '../../../components/school-picker';
import { Segmented } from '../../../components/segmented';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi } from '../../../services/case-handling';
import type { CaseDetailView } from '../../../services/cases';
import { monthsBetween, today } from '../../../utils/dates';
import { transitionSchema, type CaseEditor } from '../case-editing';

const returnSchema = transitionSchema('record_return');
const PLACEMENTS = (Object.keys(PLACEMENT_MODES) as PlacementMode[]).map((mode) => ({ value: mode, label: PLACEMENT_MODES[mode] }));

/** What is known of the child for placing them: the grade a tip reported and their age. */
function placementFacts(detail: CaseDetailView): { grade: number | null; age: number | null } {
  const reported = [...detail.tips].reverse();
  const grade = reported.find((tip) => tip.child.grade !== null)?.child.grade ?? null;
  const tipAge = reported.find((tip) => tip.child.age !== null)?.child.age ?? null;
  const age = detail.child.birthYear ? new Date().getFullYear() - detail.child.birthYear : tipAge;
  return { grade, age };
}

/** The grade the 青海 practice suggests for a return on `returnedOn`, and why. */
export function gradeAdvice(detail: CaseDetailView, returnedOn: string): { grade: number | null; note: string } {
  const rule = '不足3个月回原年级，3–12个月降一级，超过1年按年龄编入';
  const { grade, age } = placementFacts(detail);
  const monthsOut = monthsBetween(chinaDay(new Date(detail.openedAt)), returnedOn);
  if (grade === null) return { grade: null, note: `线索未报告离校时的年级。安置参考：${rule}。` };
  const suggested = suggestedGrade(grade, monthsOut, age);
  return {
    grade: suggested,
    note: `建议编入${gradeLabel(suggested)}：离校时${gradeLabel(grade)}，自报告起约${monthsOut}个月（${rule}）。`,
  };
}

/** 登记返校: the school, grade and placement mode the child returned to, and the day. */
export function ReturnForm({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const initialDay = today();
  const form = useForm(returnSchema, {
    transition: 'record_return',
    returnedOn: initialDay,
    // most children go back to the school on the case
    schoolId: detail.schoolId ?? undefined,
    grade: gradeAdvice(detail, initialDay).grade ?? undefined,
    placement: 'regular_class',
  });
  // a primary school offers 一至六年级, a junior school 初一至初三, a nine-year school both
  const [stage, setStage] = useState<SchoolStage | null>(null);
  const advice = gradeAdvice(detail, form.values.returnedOn ?? initialDay);
  const grade = form.values.grade === undefined || form.values.grade === null ? undefined : String(form.values.grade);
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.transition(detail.id, body), '已登记返校'), { version: detail.version });

  return (
    <View className="action-panel return-form">
      <Field label="返校学校" error={form.errors.schoolId}>
        <SchoolPicker
          value={form.values.schoolId ?? null}
          actionable
          onPreset={(school) => setStage(school.stage)}
          onChange={(school) => {
            form.set('schoolId', school.id);
            setStage(school.stage);
            // a grade the school does not teach is not kept
            if (form.values.grade && !gradesOfStage(school.stage).includes(Number(form.values.grade))) form.set('grade', undefined);
          }}
        />
      </Field>
      <Field label="返校日期" error={form.errors.returnedOn}>
        <DateField
          className="input-returned-on"
          value={form.values.returnedOn}
          end={today()}
          onChange={(day) => form.set('returnedOn', day ?? undefined)}
        />
      </Field>
      <Field label="编入年级" error={form.errors.grade}>
        <Segmented choices={gradeChoices(stage)} value={grade} onChange={(value) => form.set('grade', Number(value))} />
        <Text className="field-hint grade-advice">{advice.note}</Text>
      </Field>
      <Field label="安置方式" error={form.errors.placement} hint="送教上门适用于重度残疾儿童，视同在校">
        <Segmented choices={PLACEMENTS} value={form.values.placement} onChange={(placement) => form.set('placement', placement)} />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        登记返校
      </Button>
      <Text className="field-hint">登记后学校每天登记出勤，出勤达到销号条件后才能销号。</Text>
    </View>
  );
}
