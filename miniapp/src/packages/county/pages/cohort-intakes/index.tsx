import { useState } from 'react';
import { Button, Input, Picker, Text, View } from '@tarojs/components';
import { intakeRequest, schoolYearOf, type Me } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { divisionsApi } from '../../../../services/divisions';
import { registryApi, type CohortIntake } from '../../../../services/registry';
import { today } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import { schoolYearLabel } from '../../registry-shared';
import '../../county.css';

/** How many school years back the county may enter: the cohort graduating this year entered 8 years ago. */
const YEARS_BACK = 15;

/**
 * 往年一年级入学人数: the county enters, once per school year, how many children entered grade 1
 * (from its own statistics, e.g. 教育事业统计年报), optionally per township, so that 巩固率 can be
 * computed for the cohort nine years later. Each change is audited.
 */
export default function CohortIntakesPage() {
  const user = useCurrentUser();
  return (
    <Screen className="form-page cohort-intakes-page">
      {user && user.role !== 'county_admin' && <Empty text="往年入学人数由县教育局填报" />}
      {user?.role === 'county_admin' && <Intakes user={user} />}
      {!user && <Loading />}
    </Screen>
  );
}

function Intakes({ user }: { user: Me }) {
  const countyCode = user.unit?.kind === 'division' ? user.unit.code : null;
  const intakes = useLoader(() => registryApi.intakes(), []);
  const townships = useLoader(() => (countyCode ? divisionsApi.children(countyCode) : null), [countyCode]);
  const current = schoolYearOf(today());
  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => current - i);
  // the cohort graduating this school year entered grade 1 eight years before it
  const [entryYear, setEntryYear] = useState(current - 8);
  const saved = intakes.data?.items.find((item) => item.entryYear === entryYear) ?? null;
  const entered = new Set(intakes.data?.items.map((item) => item.entryYear));

  return (
    <>
      <View className="card">
        <Text className="card-note">
          巩固率 = 九年级在籍学生 ÷（九年前一年级入学人数 + 转入 −
          转出）。系统上线前的入学人数请按本县教育事业统计年报等资料每年填报一次，可以修改，每次修改都会记录操作人。
        </Text>
        <Text className="card-note">
          乡镇入学人数选填，按学生居住地所在乡镇统计（与辍学率相同）；填报了的乡镇才计算乡镇巩固率，各乡镇之和不能超过全县入学人数。
        </Text>
      </View>
      <View className="card">
        <Field label="入学学年" hint={`该届学生将在${schoolYearLabel(entryYear + 8)}读九年级`}>
          <Picker
            mode="selector"
            range={years.map((year) => `${schoolYearLabel(year)}${entered.has(year) ? '（已填报）' : ''}`)}
            value={Math.max(0, years.indexOf(entryYear))}
            onChange={(event) => setEntryYear(years[Number(event.detail.value)]!)}
          >
            <View className="input input-entry-year">{schoolYearLabel(entryYear)}</View>
          </Picker>
        </Field>
      </View>
      {intakes.error && <ErrorNotice message={intakes.error} onRetry={() => void intakes.reload()} />}
      {townships.error && <ErrorNotice message={townships.error} onRetry={() => void townships.reload()} />}
      {(intakes.loading || townships.loading) && !intakes.data && <Loading />}
      {intakes.data && townships.data && (
        <IntakeForm
          key={`${entryYear}:${saved?.updatedAt ?? ''}`}
          entryYear={entryYear}
          saved={saved}
          townships={townships.data.items.filter((division) => division.level === 'township')}
          onSaved={() => void intakes.reload()}
        />
      )}
      {intakes.data && <IntakeList items={intakes.data.items} onPick={setEntryYear} />}
    </>
  );
}

const countText = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '' : String(value));
// An emptied box is not a number: the schema answers with its message rather than keeping the old value.
const typedCount = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function IntakeForm({
  entryYear,
  saved,
  townships,
  onSaved,
}: {
  entryYear: number;
  saved: CohortIntake | null;
  townships: ReadonlyArray<{ code: string; name: string }>;
  onSaved: () => void;
}) {
  const form = useForm(intakeRequest, {
    intake: saved?.intake,
    source: saved?.source ?? `${entryYear}年教育事业统计年报`,
    townships: saved?.townships.map(({ code, intake }) => ({ code, intake })) ?? [],
  });
  // township code → the text typed; an empty box means "not known"
  const [byTownship, setByTownship] = useState<Record<string, string>>(() =>
    Object.fromEntries((saved?.townships ?? []).map(({ code, intake }) => [code, String(intake)])),
  );
  const given = townships.filter((township) => (byTownship[township.code] ?? '').trim() !== '');
  const setTownship = (code: string, text: string) => {
    const next = { ...byTownship, [code]: text };
    setByTownship(next);
    form.set(
      'townships',
      townships
        .filter((township) => (next[township.code] ?? '').trim() !== '')
        .map((township) => ({ code: township.code, intake: typedCount(next[township.code]!) })),
    );
  };
  const townshipError = (code: string) => {
    const position = given.findIndex((township) => township.code === code);
    return position >= 0 ? (form.errors[`townships.${position}.intake`] ?? form.errors[`townships.${position}.code`]) : undefined;
  };

  const submit = () =>
    form.submit(async (body) => {
      await registryApi.setIntake(entryYear, body);
      toastSuccess('已保存');
      onSaved();
    });

  return (
    <>
      <View className="card">
        <Text className="card-title">{schoolYearLabel(entryYear)}一年级入学</Text>
        <Field label="全县一年级入学人数" error={form.errors.intake ?? form.errors.entryYear}>
          <Input
            className="input input-intake"
            type="number"
            value={countText(form.values.intake)}
            maxlength={8}
            onInput={(event) => form.set('intake', typedCount(event.detail.value))}
          />
        </Field>
        <Field label="数据来源" error={form.errors.source} hint="例如：2018年教育事业统计年报">
          <Input
            className="input input-source"
            value={form.values.source ?? ''}
            maxlength={100}
            onInput={(event) => form.set('source', event.detail.value)}
          />
        </Field>
      </View>
      {townships.length > 0 && (
        <View className="card">
          <Text className="card-title">各乡镇入学人数（选填）</Text>
          {form.errors.townships && <Text className="field-error">{form.errors.townships}</Text>}
          {townships.map((township) => (
            <Field key={township.code} label={township.name} error={townshipError(township.code)}>
              <Input
                className={`input input-township input-township-${township.code}`}
                type="number"
                value={byTownship[township.code] ?? ''}
                maxlength={7}
                placeholder="不清楚可不填"
                onInput={(event) => setTownship(township.code, event.detail.value)}
              />
            </Field>
          ))}
        </View>
      )}
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block btn-save-intake" loading={form.submitting} onClick={() => void submit()}>
        {saved ? '保存修改' : '保存'}
      </Button>
    </>
  );
}

function IntakeList({ items, onPick }: { items: CohortIntake[]; onPick: (entryYear: number) => void }) {
  return (
    <View className="card intake-list">
      <Text className="card-title">已填报</Text>
      {items.length === 0 && <Text className="list-item-meta">还没有填报任何学年。</Text>}
      {items.map((item) => (
        <View key={item.entryYear} className="list-item intake-item" onClick={() => onPick(item.entryYear)}>
          <Text className="list-item-line">
            {schoolYearLabel(item.entryYear)}入学 {item.intake} 人（{schoolYearLabel(item.graduatingYear)}读九年级）
          </Text>
          <Text className="list-item-meta">
            来源：{item.source}
            {item.townships.length > 0 ? ` · 已填${item.townships.length}个乡镇` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}
