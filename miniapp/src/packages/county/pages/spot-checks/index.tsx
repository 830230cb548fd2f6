import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { addDays, drawSpotCheckRequest, type Me } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { divisionsApi } from '../../../../services/divisions';
import { spotChecksApi, type SpotCheckSummary } from '../../../../services/spot-checks';
import { today } from '../../../../utils/dates';
import { openPage } from '../../../../utils/navigation';
import { randomUuid } from '../../../../utils/uuid';
import '../../county.css';

/**
 * 督导抽查: the county draws a random sample of the cases closed (销号) in a period, per township a
 * number or a share, from a seed it may give (or the server picks and records), and lists its draws;
 * a prefecture's or province's bureau sees the draws of its counties to inspect them.
 */
export default function SpotChecksPage() {
  const user = useCurrentUser();
  const draws = usePagedList((cursor) => spotChecksApi.list({ cursor, limit: 20 }), []);
  useOnReturn(() => void draws.reload());
  return (
    <Screen className="list-page spot-checks-page">
      {user?.role === 'county_admin' && <DrawForm user={user} />}
      <Text className="section-title">抽查批次</Text>
      <PagedList list={draws} empty="还没有督导抽查">
        {(draw) => <DrawCard key={draw.id} draw={draw} />}
      </PagedList>
    </Screen>
  );
}

function DrawCard({ draw }: { draw: SpotCheckSummary }) {
  return (
    <View className="card list-item spot-check-card" onClick={() => openPage(PAGES.spotCheck, { id: draw.id })}>
      <Text className="card-title">
        {draw.countyName} · {draw.from}至{draw.to}销号
      </Text>
      <Text className="list-item-line">{draw.townships.map((t) => `${t.townshipName}${t.drawn}件`).join('、')}</Text>
      <Text className="list-item-meta">
        抽查{draw.items}件 · 已核查{draw.checked}件 · 发现问题{draw.problems}件 · 随机种子 {draw.seed}
      </Text>
    </View>
  );
}

type Mode = 'size' | 'share';

function DrawForm({ user }: { user: Me }) {
  const countyCode = user.unit?.kind === 'division' ? user.unit.code : null;
  const townships = useLoader(() => (countyCode ? divisionsApi.children(countyCode) : null), [countyCode]);
  const [mode, setMode] = useState<Mode>('size');
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [seedText, setSeedText] = useState('');
  const form = useForm(drawSpotCheckRequest, { from: addDays(today(), -90), to: today(), townships: [] });
  const list = (townships.data?.items ?? []).filter((division) => division.level === 'township');

  const submit = () =>
    form.submit(
      async (body) => {
        const drawn = await spotChecksApi.draw(body);
        openPage(PAGES.spotCheck, { id: drawn.id });
      },
      {
        townships: list
          .filter((t) => (amounts[t.code] ?? '').trim() !== '')
          .map((t) => ({ townshipCode: t.code, [mode]: Number(amounts[t.code]) })),
        seed: seedText.trim() ? Number(seedText) : undefined,
        idempotencyKey: randomUuid(),
      },
    );

  return (
    <View className="card spot-check-form">
      <Text className="card-title">新的抽查</Text>
      <Text className="card-note">从期间内销号的案件中按乡镇随机抽取；记录随机种子，同一种子对同一批案件抽中的结果相同，可以复核。</Text>
      <Field label="销号开始日期" error={form.errors.from}>
        <DateField value={form.values.from} end={today()} onChange={(day) => form.set('from', day ?? undefined)} className="input-from" />
      </Field>
      <Field label="销号结束日期" error={form.errors.to}>
        <DateField value={form.values.to} end={today()} onChange={(day) => form.set('to', day ?? undefined)} className="input-to" />
      </Field>
      <Field label="每个乡镇抽查">
        <Segmented
          choices={[
            { value: 'size', label: '按件数' },
            { value: 'share', label: '按比例（%）' },
          ]}
          value={mode}
          onChange={setMode}
        />
      </Field>
      {townships.error && <ErrorNotice message={townships.error} onRetry={() => void townships.reload()} />}
      {townships.loading && <Loading />}
      {list.map((township, i) => {
        const index = list.filter((t) => (amounts[t.code] ?? '').trim() !== '').findIndex((t) => t.code === township.code);
        const error = index >= 0 ? (form.errors[`townships.${index}.size`] ?? form.errors[`townships.${index}.share`]) : undefined;
        return (
          <Field key={township.code} label={township.name} error={error}>
            <Input
              className={`input input-township input-township-${i}`}
              type="digit"
              placeholder={mode === 'size' ? '不抽查留空' : '如 10 表示 10%'}
              value={amounts[township.code] ?? ''}
              onInput={(event) => setAmounts({ ...amounts, [township.code]: event.detail.value })}
            />
          </Field>
        );
      })}
      <Field label="随机种子（选填）" hint="留空由系统生成并记录" error={form.errors.seed}>
        <Input className="input input-seed" type="number" value={seedText} onInput={(event) => setSeedText(event.detail.value)} />
      </Field>
      <FormError message={form.errors.townships ?? form.formError} />
      <Button className="btn btn-primary btn-block btn-draw" loading={form.submitting} onClick={() => void submit()}>
        抽样
      </Button>
    </View>
  );
}
