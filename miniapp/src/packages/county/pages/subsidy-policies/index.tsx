import { useState, type ReactNode } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { createPolicyRequest, SUBSIDY_CATEGORIES, SUBSIDY_POLICY_KINDS } from '@baoxue/shared';
import type { SubsidyCategory } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { subsidyOfficeApi, type SubsidyPolicy } from '../../../../services/subsidy-office';
import { today } from '../../../../utils/dates';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import '../../../../components/subpackage.css';
import '../../subsidies.css';

const STAGES = [
  { value: 'all', label: '小学和初中' },
  { value: 'primary', label: '小学' },
  { value: 'junior', label: '初中' },
] as const;
const BOARDING = [
  { value: 'all', label: '不限' },
  { value: 'yes', label: '寄宿生' },
  { value: 'no', label: '非寄宿生' },
] as const;
const KINDS = [
  { value: 'top_up', label: SUBSIDY_POLICY_KINDS.top_up },
  { value: 'nutrition', label: SUBSIDY_POLICY_KINDS.nutrition },
] as const;

type Period = 'active' | 'ended' | 'future';

function periodOf(policy: SubsidyPolicy, day: string): Period {
  if (policy.effectiveFrom > day) return 'future';
  return policy.effectiveTo !== null && policy.effectiveTo < day ? 'ended' : 'active';
}

const PERIOD_LABELS: Record<Period, string> = { active: '执行中', ended: '已停止', future: '未生效' };

/**
 * 资助标准: the rates, each with its effective period. National standards come with the system;
 * the county adds its own top-ups (or its 营养改善计划 rate) and ends them; past periods stay, so
 * earlier semesters still compute to what they were.
 */
export default function SubsidyPoliciesPage() {
  const policies = useLoader(() => subsidyOfficeApi.policies(), []);
  const [adding, setAdding] = useState(false);
  const ending = useAction(async (policy: SubsidyPolicy) => {
    await subsidyOfficeApi.endPolicy(policy.id, day);
    toastSuccess('已停止执行');
    await policies.reload();
  });
  const day = today();
  const national = policies.data?.items.filter((p) => p.countyCode === null) ?? [];
  const county = policies.data?.items.filter((p) => p.countyCode !== null) ?? [];

  const end = async (policy: SubsidyPolicy) => {
    if (!(await confirm('停止执行', `“${policy.label}”从今天（${day}）起停止执行，之前的学期仍按原标准计算。`, '停止执行'))) return;
    await ending.run(policy);
  };

  return (
    <Screen className="list-page subsidy-policies-page">
      {policies.error && <ErrorNotice message={policies.error} onRetry={() => void policies.reload()} />}
      {policies.loading && !policies.data && <Loading />}
      <Text className="section-title">本县补助</Text>
      {adding ? (
        <PolicyForm
          onCancel={() => setAdding(false)}
          onCreated={() => {
            setAdding(false);
            toastSuccess('已新增');
            void policies.reload();
          }}
        />
      ) : (
        <Button className="btn btn-primary btn-block" onClick={() => setAdding(true)}>
          新增本县补助
        </Button>
      )}
      {policies.data && county.length === 0 && <Empty text="本县还没有自己的补助标准" />}
      {county.map((policy) => (
        <PolicyItem key={policy.id} policy={policy} period={periodOf(policy, day)}>
          {periodOf(policy, day) !== 'ended' && (
            <Button className="btn btn-plain btn-small" loading={ending.running?.[0].id === policy.id} onClick={() => void end(policy)}>
              停止执行
            </Button>
          )}
        </PolicyItem>
      ))}
      <Text className="section-title">国家基础标准</Text>
      {national.map((policy) => (
        <PolicyItem key={policy.id} policy={policy} period={periodOf(policy, day)} />
      ))}
    </Screen>
  );
}

function PolicyItem({ policy, period, children }: { policy: SubsidyPolicy; period: Period; children?: ReactNode }) {
  const scope = [
    policy.stage ? (policy.stage === 'primary' ? '小学' : '初中') : null,
    policy.boarding === null ? null : policy.boarding ? '寄宿生' : '非寄宿生',
    policy.categories ? policy.categories.map((c) => SUBSIDY_CATEGORIES[c]).join('、') : null,
  ].filter(Boolean);
  return (
    <View className="card list-item policy-item">
      <View className="list-item-head">
        <Text className="list-item-title">{policy.label}</Text>
        <Text className={`tag tag-policy-${period === 'ended' ? 'ended' : 'active'}`}>{PERIOD_LABELS[period]}</Text>
      </View>
      <Text className="policy-amount">{policy.amountLabel}</Text>
      <Text className="list-item-line">
        {SUBSIDY_POLICY_KINDS[policy.kind]}
        {scope.length ? ` · ${scope.join(' · ')}` : ''}
      </Text>
      <Text className="list-item-meta">
        {policy.effectiveFrom} 起{policy.effectiveTo ? `，至 ${policy.effectiveTo}` : ''}
      </Text>
      {children}
    </View>
  );
}

function PolicyForm({ onCreated, onCancel }: { onCreated: () => void; onCancel: () => void }) {
  const form = useForm(createPolicyRequest, { kind: 'top_up', stage: null, boarding: null, categories: null, effectiveFrom: today() });
  const [amount, setAmount] = useState('');
  const categories = form.values.categories ?? null;
  const nutrition = form.values.kind === 'nutrition';

  const toggleCategory = (category: SubsidyCategory) => {
    const current = categories ?? [];
    const next = current.includes(category) ? current.filter((c) => c !== category) : [...current, category];
    form.set('categories', next.length ? next : null);
  };

  const submit = () =>
    form.submit(async (body) => {
      await subsidyOfficeApi.createPolicy(body);
      onCreated();
    });

  return (
    <View className="card policy-form">
      <Field label="类型" error={form.errors.kind}>
        <Segmented choices={KINDS} value={form.values.kind} onChange={(kind) => form.set('kind', kind)} />
      </Field>
      <Field label="名称" error={form.errors.label}>
        <Input
          className="input"
          value={form.values.label ?? ''}
          maxlength={40}
          placeholder={nutrition ? '如：光山县营养改善计划' : '如：光山县孤儿生活补助'}
          onInput={(event) => form.set('label', event.detail.value)}
        />
      </Field>
      <Field label={nutrition ? '金额（元/在校日）' : '金额（元/学年）'} error={form.errors.amountYuan} hint="每学期发放一半">
        <Input
          className="input"
          type="digit"
          value={amount}
          placeholder="金额"
          onInput={(event) => {
            const text = event.detail.value.trim();
            setAmount(text);
            form.set('amountYuan', text === '' ? undefined : Number(text));
          }}
        />
      </Field>
      {!nutrition && (
        <>
          <Field label="学段" error={form.errors.stage}>
            <Segmented
              choices={STAGES}
              value={form.values.stage ?? 'all'}
              onChange={(stage) => form.set('stage', stage === 'all' ? null : stage)}
            />
          </Field>
          <Field label="寄宿" error={form.errors.boarding}>
            <Segmented
              choices={BOARDING}
              value={form.values.boarding === null || form.values.boarding === undefined ? 'all' : form.values.boarding ? 'yes' : 'no'}
              onChange={(value) => form.set('boarding', value === 'all' ? null : value === 'yes')}
            />
          </Field>
          <Field label="困难类别" error={form.errors.categories} hint="不选则所有资助对象都享受">
            <View className="chips">
              {(Object.keys(SUBSIDY_CATEGORIES) as SubsidyCategory[]).map((category) => (
                <Text
                  key={category}
                  className={categories?.includes(category) ? 'chip chip-active' : 'chip'}
                  onClick={() => toggleCategory(category)}
                >
                  {SUBSIDY_CATEGORIES[category]}
                </Text>
              ))}
            </View>
          </Field>
        </>
      )}
      <Field label="开始执行日期" error={form.errors.effectiveFrom} hint="春季学期从1月1日、秋季学期从9月1日起算">
        <DateField
          className="input-effective-from"
          value={form.values.effectiveFrom}
          onChange={(day) => form.set('effectiveFrom', day ?? undefined)}
        />
      </Field>
      <Field label="截止日期（选填）" error={form.errors.effectiveTo}>
        <DateField
          className="input-effective-to"
          value={form.values.effectiveTo ?? null}
          start={form.values.effectiveFrom}
          placeholder="长期执行"
          onChange={(day) => form.set('effectiveTo', day)}
        />
      </Field>
      <FormError message={form.formError} />
      <View className="inline-actions">
        <Button className="btn btn-plain" onClick={onCancel}>
          取消
        </Button>
        <Button className="btn btn-primary" loading={form.submitting} onClick={() => void submit()}>
          保存
        </Button>
      </View>
    </View>
  );
}
