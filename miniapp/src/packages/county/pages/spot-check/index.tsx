import { useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { gradeLabel, recordFindingRequest, SPOT_CHECK_RESULTS, type SpotCheckResult } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { spotChecksApi, type SpotCheck, type SpotCheckItem } from '../../../../services/spot-checks';
import { today } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import '../../county.css';

const RESULTS = (Object.keys(SPOT_CHECK_RESULTS) as SpotCheckResult[]).map((value) => ({ value, label: SPOT_CHECK_RESULTS[value] }));

/**
 * One draw: its seed and townships, every sampled case with its finding, the form to record a finding
 * (a problem opens a 整改 item for the township; a child not in school reopens the case), and the
 * export. A prefecture's or province's inspector sees the case number, township, school and grade only.
 */
export default function SpotCheckPage() {
  const { id } = useRouter().params;
  const check = useLoader(() => (id ? spotChecksApi.get(id) : null), [id]);
  return (
    <Screen className="list-page spot-check-page">
      {check.error && <ErrorNotice message={check.error} onRetry={() => void check.reload()} />}
      {check.loading && !check.data && <Loading />}
      {check.data && <Draw check={check.data} onChanged={() => void check.reload()} />}
    </Screen>
  );
}

function Draw({ check, onChanged }: { check: SpotCheck; onChanged: () => void }) {
  const exported = useAction(() => spotChecksApi.export(check));
  return (
    <>
      <View className="card spot-check-head">
        <Text className="card-title">
          {check.countyName} · {check.from}至{check.to}销号的案件
        </Text>
        {check.townships.map((t) => (
          <Text key={t.townshipCode} className="list-item-line">
            {t.townshipName}：期间内销号{t.population}件，{t.size !== null ? `抽查${t.size}件` : `按${t.share}%抽查`}，抽中{t.drawn}件
          </Text>
        ))}
        <Text className="list-item-meta">
          随机种子 {check.seed} · 已核查{check.checked}/{check.items}件 · 发现问题{check.problems}件
        </Text>
        <Button className="btn btn-plain btn-small btn-export" loading={exported.busy} onClick={() => void exported.run()}>
          导出 Excel
        </Button>
      </View>
      {check.sample.map((item) => (
        <SampleCard key={item.id} checkId={check.id} item={item} onChanged={onChanged} />
      ))}
    </>
  );
}

function SampleCard({ checkId, item, onChanged }: { checkId: string; item: SpotCheckItem; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <View className="card spot-check-item">
      <Text className="card-title">
        {item.caseNumber}
        {item.childName ? ` · ${item.childName}` : ''}
      </Text>
      <Text className="list-item-line">
        {[item.townshipName, item.villageName, item.schoolName, item.grade ? gradeLabel(item.grade) : null].filter(Boolean).join(' · ')}
      </Text>
      <Text className="list-item-meta">{item.closedOn}销号</Text>
      {item.finding ? (
        <View className="spot-check-finding">
          <Text className={item.finding.result === 'attending' ? 'list-item-line' : 'list-item-line text-alert'}>
            {item.finding.resultLabel}
            {item.finding.reopened ? '（案件已重新打开）' : ''}
            {item.finding.rectificationId ? '（已生成整改事项）' : ''}
          </Text>
          <Text className="list-item-line">{item.finding.note}</Text>
          <Text className="list-item-meta">
            {item.finding.checkedOn} · {item.finding.inspectorUnit}
            {item.finding.inspectorName ? ` ${item.finding.inspectorName}` : ''}
          </Text>
        </View>
      ) : open ? (
        <FindingForm checkId={checkId} item={item} onDone={onChanged} />
      ) : (
        <Button className="btn btn-plain btn-small btn-inspect" onClick={() => setOpen(true)}>
          登记核查结果
        </Button>
      )}
    </View>
  );
}

function FindingForm({ checkId, item, onDone }: { checkId: string; item: SpotCheckItem; onDone: () => void }) {
  const form = useForm(recordFindingRequest, { checkedOn: today() });
  const problem = form.values.result !== undefined && form.values.result !== 'attending';
  const submit = () =>
    form.submit(async (body) => {
      await spotChecksApi.recordFinding(checkId, item.id, body);
      toastSuccess('已登记');
      onDone();
    });
  return (
    <View className="spot-check-finding-form">
      <Field label="核查结果" error={form.errors.result}>
        <Segmented choices={RESULTS} value={form.values.result} onChange={(value) => form.set('result', value)} />
      </Field>
      <Field label="核查情况（证据）" hint="如：到校随堂点名、询问班主任、查看出勤记录" error={form.errors.note}>
        <Textarea
          className="input input-note"
          maxlength={500}
          value={form.values.note ?? ''}
          onInput={(event) => form.set('note', event.detail.value)}
        />
      </Field>
      <Field label="核查日期" error={form.errors.checkedOn}>
        <DateField value={form.values.checkedOn} end={today()} onChange={(day) => form.set('checkedOn', day ?? undefined)} />
      </Field>
      {problem && (
        <Field label="整改期限（选填）" hint="留空为15天" error={form.errors.deadlineOn}>
          <DateField value={form.values.deadlineOn} start={today()} onChange={(day) => form.set('deadlineOn', day ?? undefined)} />
        </Field>
      )}
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block btn-record" loading={form.submitting} onClick={() => void submit()}>
        登记
      </Button>
    </View>
  );
}
