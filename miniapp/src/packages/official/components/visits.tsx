import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { logVisitRequest, VISIT_OUTCOMES } from '@baoxue/shared';
import type { VisitOutcome } from '@baoxue/shared';
import { DateField } from '../../../components/date-field';
import { DetailRow } from '../../../components/detail-row';
import { Field, FormError } from '../../../components/field';
import { Segmented } from '../../../components/segmented';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi } from '../../../services/case-handling';
import type { CaseDetailView } from '../../../services/cases';
import { today } from '../../../utils/dates';
import type { CaseEditor } from '../case-editing';

const OUTCOMES = (Object.keys(VISIT_OUTCOMES) as VisitOutcome[]).map((outcome) => ({ value: outcome, label: VISIT_OUTCOMES[outcome] }));

/** 家访劝返 登记: one home visit — when, who went, whom they met, what the family said, what was promised, how it ended. */
export function VisitForm({ editor, visitorName }: { editor: CaseEditor; visitorName: string }) {
  const { detail } = editor;
  const form = useForm(logVisitRequest, { visitedOn: today(), visitors: visitorName, commitments: null });
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.logVisit(detail.id, body), '已登记家访'), { version: detail.version });

  return (
    <View className="action-panel visit-form">
      <Field label="家访日期" error={form.errors.visitedOn}>
        <DateField
          className="input-visited-on"
          value={form.values.visitedOn}
          end={today()}
          onChange={(day) => form.set('visitedOn', day ?? undefined)}
        />
      </Field>
      <Field label="走访人员" error={form.errors.visitors} hint="姓名和身份，多人用顿号分开">
        <Input
          className="input input-visitors"
          value={form.values.visitors ?? ''}
          maxlength={200}
          placeholder="例如：陈丽（包抓干部）、赵敏（班主任）"
          onInput={(event) => form.set('visitors', event.detail.value)}
        />
      </Field>
      <Field label="见到的人" error={form.errors.met}>
        <Input
          className="input input-met"
          value={form.values.met ?? ''}
          maxlength={100}
          placeholder="例如：母亲和孩子本人"
          onInput={(event) => form.set('met', event.detail.value)}
        />
      </Field>
      <Field label="家庭陈述的原因" error={form.errors.statedReason}>
        <Textarea
          className="textarea textarea-small textarea-stated-reason"
          value={form.values.statedReason ?? ''}
          maxlength={500}
          placeholder="例如：孩子说学习跟不上，不想去学校"
          onInput={(event) => form.set('statedReason', event.detail.value)}
        />
      </Field>
      <Field label="承诺事项（选填）" error={form.errors.commitments}>
        <Textarea
          className="textarea textarea-small textarea-commitments"
          value={form.values.commitments ?? ''}
          maxlength={500}
          placeholder="例如：家长承诺下周一送孩子回校；学校安排老师一对一辅导"
          onInput={(event) => form.set('commitments', event.detail.value || null)}
        />
      </Field>
      <Field label="家访结果" error={form.errors.outcome}>
        <Segmented choices={OUTCOMES} value={form.values.outcome} onChange={(outcome) => form.set('outcome', outcome)} />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        保存家访记录
      </Button>
    </View>
  );
}

/** Every home visit of the case, oldest first: the 劝返 record the ledger carries. */
export function VisitList({ visits }: { visits: CaseDetailView['visits'] }) {
  return (
    <View className="card visits-card">
      <Text className="card-title">家访劝返记录（{visits.length}）</Text>
      {visits.length === 0 && <Text className="list-item-meta">还没有家访记录</Text>}
      {visits.map((visit, index) => (
        <View key={visit.id} className="visit-item">
          <View className="list-item-head">
            <Text className="history-title">
              第{index + 1}次 · {visit.visitedOn}
            </Text>
            <Text className={`tag tag-outcome-${visit.outcome}`}>{VISIT_OUTCOMES[visit.outcome]}</Text>
          </View>
          <DetailRow label="走访人员">{visit.visitors}</DetailRow>
          <DetailRow label="见到的人">{visit.met}</DetailRow>
          <DetailRow label="陈述的原因">{visit.statedReason}</DetailRow>
          {visit.commitments && <DetailRow label="承诺事项">{visit.commitments}</DetailRow>}
          {visit.recordedByName && <Text className="list-item-meta">登记人：{visit.recordedByName}</Text>}
        </View>
      ))}
    </View>
  );
}
