import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { COUNTY_SETTING_LABELS, countySettingsRequest } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { countySettingsApi, type CountySettingsView } from '../../../../services/case-handling';
import { PAGES } from '../../../../routes';
import { openPage } from '../../../../utils/navigation';
import { toastSuccess } from '../../../../utils/feedback';
import '../../county.css';

type NumberSetting = Exclude<keyof CountySettingsView, 'recheckDays'>;

interface SettingRow {
  name: NumberSetting;
  unit: string;
  hint?: string;
}

/** The county's rules, grouped as officials think of them; the defaults are BRIEF §4's. */
const GROUPS: ReadonlyArray<{ title: string; rows: readonly SettingRow[] }> = [
  {
    title: '办理时限',
    rows: [
      { name: 'acknowledgeHours', unit: '小时', hint: '即辍即劝：默认24小时内受理' },
      { name: 'verifyDays', unit: '天' },
      { name: 'firstVisitDays', unit: '天' },
      { name: 'noticeDays', unit: '天' },
      { name: 'transferAcceptDays', unit: '天' },
      {
        name: 'escalateToCountyHours',

        unit: '小时',
        hint: '逾期先提醒乡镇负责人，再过这么久仍未办理的报县教育局',
      },
    ],
  },
  {
    title: '销号与复查',
    rows: [
      { name: 'closeWindowDays', unit: '个上学日' },
      { name: 'closeMinPresentDays', unit: '天' },
      { name: 'relapseAbsenceDays', unit: '个上学日' },
    ],
  },
  {
    title: '缺勤监测',
    rows: [
      { name: 'absenceReportDays', unit: '个上学日' },
      { name: 'absenceCaseConsecutiveDays', unit: '个上学日' },
      { name: 'absenceCaseWindowDays', unit: '个上学日' },
      { name: 'absenceCaseMinDays', unit: '天' },
    ],
  },
  {
    title: '线索',
    rows: [{ name: 'tipsPerSupervisorPerDay', unit: '条', hint: '防止一个账号大量提交' }],
  },
  {
    title: '学生资助',
    rows: [
      {
        name: 'complaintAnswerDays',

        unit: '天',
        hint: '县学生资助管理中心须在此期限内答复，超过的投诉标为“已超期”',
      },
    ],
  },
  {
    title: '定期报告',
    rows: [
      { name: 'reportSchoolDueDay', unit: '日', hint: '学校向乡镇上报上月月报的截止日' },
      { name: 'reportTownshipDueDay', unit: '日', hint: '乡镇向县教育局上报上月月报的截止日' },
      { name: 'reportCountyDueDay', unit: '日', hint: '县教育局向市、省教育局上报上季度季报的截止日；过期未上报的列入上级的调度清单' },
    ],
  },
  {
    title: '个人信息保护',
    rows: [
      {
        name: 'retentionYears',

        unit: '年',
        hint: '期满后线索、家访记录和照片匿名化，统计数字保留',
      },
    ],
  },
];

const RECHECK_SLOTS = 4;

/** 时限与规则: the county's time limits and rules (local policy), with the same checks the server makes. */
export default function SettingsPage() {
  const user = useCurrentUser();
  const settings = useLoader(() => (user?.role === 'county_admin' ? countySettingsApi.get() : null), [user?.id]);

  return (
    <Screen className="form-page settings-page">
      {user && user.role !== 'county_admin' && <Empty text="时限与规则由县教育局设置" />}
      {settings.error && <ErrorNotice message={settings.error} onRetry={() => void settings.reload()} />}
      {settings.loading && !settings.data && <Loading />}
      {settings.data && <SettingsForm settings={settings.data} />}
    </Screen>
  );
}

const numberText = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '' : String(value));
// An emptied box is not a number: the schema answers "…应为数字" rather than keeping the old value silently.
const typedNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function SettingsForm({ settings }: { settings: CountySettingsView }) {
  const form = useForm(countySettingsRequest, settings);
  const [rechecks, setRechecks] = useState<string[]>(() =>
    Array.from({ length: RECHECK_SLOTS }, (_, i) => (settings.recheckDays[i] === undefined ? '' : String(settings.recheckDays[i]))),
  );
  const filled = rechecks.map((text, slot) => ({ text, slot })).filter(({ text }) => text.trim() !== '');

  const setRecheck = (slot: number, text: string) => {
    const next = rechecks.map((current, i) => (i === slot ? text : current));
    setRechecks(next);
    form.set(
      'recheckDays',
      next.filter((value) => value.trim() !== '').map((value) => Number(value)),
    );
  };
  // The schema names the n-th filled day; show its message beside the box it came from.
  const recheckError = (slot: number) => {
    const position = filled.findIndex((entry) => entry.slot === slot);
    return position >= 0 ? form.errors[`recheckDays.${position}`] : undefined;
  };

  const submit = () =>
    form.submit(async (body) => {
      await countySettingsApi.update(body);
      toastSuccess('已保存');
    });

  return (
    <>
      <View className="card">
        <Text className="card-note">
          这些时限和规则按本县政策设置，适用于本县所有案件和资助投诉。修改会记录操作人，之后新产生的期限按新规则计算。
        </Text>
        <Text className="card-note">“上学日”按本县校历计算：学期以外的寒暑假、法定节假日不算，调休上课的周末算。</Text>
        <Button className="btn btn-plain btn-small btn-open-calendar" onClick={() => openPage(PAGES.countyCalendar)}>
          查看和修改校历
        </Button>
      </View>
      {GROUPS.map((group) => (
        <View key={group.title} className="card">
          <Text className="card-title">{group.title}</Text>
          {group.rows.map((row) => (
            <Field key={row.name} label={`${COUNTY_SETTING_LABELS[row.name]}（${row.unit}）`} error={form.errors[row.name]} hint={row.hint}>
              <Input
                className={`input input-setting input-${row.name}`}
                type="number"
                value={numberText(form.values[row.name])}
                maxlength={4}
                onInput={(event) => form.set(row.name, typedNumber(event.detail.value))}
              />
            </Field>
          ))}
          {group.title === '销号与复查' && (
            <Field
              label={`${COUNTY_SETTING_LABELS.recheckDays}（第几天，最多4次）`}
              error={form.errors.recheckDays}
              hint="默认销号后第30天和第90天各复查一次，不需要的留空"
            >
              <View className="recheck-slots">
                {rechecks.map((text, slot) => (
                  <View key={slot} className="recheck-slot">
                    <Input
                      className={`input input-recheck input-recheck-${slot}`}
                      type="number"
                      value={text}
                      maxlength={3}
                      placeholder={`第${slot + 1}次`}
                      onInput={(event) => setRecheck(slot, event.detail.value)}
                    />
                    {recheckError(slot) && <Text className="field-error">{recheckError(slot)}</Text>}
                  </View>
                ))}
              </View>
            </Field>
          )}
        </View>
      ))}
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        保存
      </Button>
    </>
  );
}
