import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import {
  CALENDAR_DAY_KIND_LABELS,
  CALENDAR_DAY_KINDS,
  setCalendarDayRequest,
  setTermsRequest,
  TERM_LABELS,
  type CalendarDayKind,
} from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { calendarApi, type CalendarDayView, type SchoolCalendarView } from '../../../../services/calendar';
import { ApiError } from '../../../../services/request';
import { chineseDay } from '../../../../utils/dates';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import '../../calendar.css';

const WEEKDAYS = '日一二三四五六';
const KIND_CHOICES = CALENDAR_DAY_KINDS.map((value) => ({ value, label: CALENDAR_DAY_KIND_LABELS[value] }));

/** 10月1日 周三 */
function dayLabel(day: string): string {
  const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 周${weekday}`;
}

/** The days set apart, month by month (`2025年10月`). */
function byMonth(days: readonly CalendarDayView[]): Array<{ month: string; days: CalendarDayView[] }> {
  const months: Array<{ month: string; days: CalendarDayView[] }> = [];
  for (const day of days) {
    const month = `${Number(day.day.slice(0, 4))}年${Number(day.day.slice(5, 7))}月`;
    const last = months[months.length - 1];
    if (last?.month === month) last.days.push(day);
    else months.push({ month, days: [day] });
  }
  return months;
}

/**
 * 校历: the county's school year — its terms, the national holidays and 调休 school days within them,
 * and the days the county sets apart. The county admin edits it; every official of the county reads it
 * (the absence rules and the 销号 window count school days by it).
 */
export default function CalendarPage() {
  const user = useCurrentUser();
  const [schoolYear, setSchoolYear] = useState<number | null>(null);
  const calendar = useLoader(() => (user ? calendarApi.get(schoolYear === null ? {} : { schoolYear }) : null), [user?.id, schoolYear]);
  const editable = user?.role === 'county_admin';
  const shown = calendar.data;

  return (
    <Screen className="form-page calendar-page">
      {calendar.error && <ErrorNotice message={calendar.error} onRetry={() => void calendar.reload()} />}
      {calendar.loading && !shown && <Loading />}
      {shown && (
        <>
          <View className="card calendar-head">
            <View className="calendar-years">
              <Button className="btn btn-plain btn-small btn-year-previous" onClick={() => setSchoolYear(shown.schoolYear - 1)}>
                上一学年
              </Button>
              <Text className="card-title calendar-label">{shown.label}</Text>
              <Button className="btn btn-plain btn-small btn-year-next" onClick={() => setSchoolYear(shown.schoolYear + 1)}>
                下一学年
              </Button>
            </View>
            <Text className="calendar-summary">
              本学年共 {shown.schoolDays} 个上学日。今天（{chineseDay(shown.today)}）{shown.todayIsSchoolDay ? '上课' : '不上课'}。
            </Text>
            <Text className="card-note">
              {editable
                ? '缺勤监测、销号观察期和按上学日计算的时限都按本校历计算。国家法定节假日和调休已自动填入，本县另行放假或补课的日子请在下方添加。'
                : '校历由县教育局维护。缺勤监测、销号观察期和按上学日计算的时限都按本校历计算。'}
            </Text>
          </View>
          {shown.missingNationalYears.length > 0 && (
            <View className="card calendar-warning">
              <Text className="calendar-warning-text">
                系统还没有{shown.missingNationalYears.map((year) => `${year}年`).join('、')}
                的国家放假安排（国务院办公厅通常在上一年11月公布）。
                {editable
                  ? '公布前，请把已知的节假日和调休上课日逐日添加到下方；系统更新后会自动填入。'
                  : '公布前这些日子按普通工作日计算。'}
              </Text>
            </View>
          )}
          <TermsCard key={`terms-${shown.schoolYear}`} calendar={shown} editable={editable} onSaved={calendar.set} />
          <DaysCard calendar={shown} editable={editable} onChanged={calendar.set} />
          {editable && <AddDayCard key={`add-${shown.schoolYear}`} calendar={shown} onAdded={calendar.set} />}
        </>
      )}
    </Screen>
  );
}

function TermsCard({
  calendar,
  editable,
  onSaved,
}: {
  calendar: SchoolCalendarView;
  editable: boolean;
  onSaved: (view: SchoolCalendarView) => void;
}) {
  const form = useForm(setTermsRequest, {
    schoolYear: calendar.schoolYear,
    terms: calendar.terms.map(({ term, startsOn, endsOn }) => ({ term, startsOn, endsOn })),
  });
  const terms = form.values.terms ?? [];
  const setTerm = (index: number, part: 'startsOn' | 'endsOn', day: string | null) =>
    form.set(
      'terms',
      terms.map((term, i) => (i === index ? { ...term, [part]: day ?? '' } : term)),
    );
  const save = () =>
    form.submit(async (body) => {
      onSaved(await calendarApi.setTerms(body));
      toastSuccess('学期已保存');
    });
  const { from, to } = { from: `${calendar.schoolYear}-09-01`, to: `${calendar.schoolYear + 1}-08-31` };

  return (
    <View className="card calendar-terms">
      <Text className="card-title">学期</Text>
      {calendar.terms.map((term, index) => (
        <View key={term.term} className={`calendar-term calendar-term-${term.term}`}>
          <View className="list-item-head">
            <Text className="list-item-title">{TERM_LABELS[term.term]}</Text>
            {term.isDefault && <Text className="tag tag-default">默认</Text>}
          </View>
          {editable ? (
            <View className="calendar-term-dates">
              <Field label="开学" error={form.errors[`terms.${index}.startsOn`]}>
                <DateField
                  className={`input-term-start input-${term.term}-start`}
                  value={terms[index]?.startsOn ?? null}
                  start={from}
                  end={to}
                  onChange={(day) => setTerm(index, 'startsOn', day)}
                />
              </Field>
              <Field label="放假前最后一天" error={form.errors[`terms.${index}.endsOn`]}>
                <DateField
                  className={`input-term-end input-${term.term}-end`}
                  value={terms[index]?.endsOn ?? null}
                  start={from}
                  end={to}
                  onChange={(day) => setTerm(index, 'endsOn', day)}
                />
              </Field>
            </View>
          ) : (
            <Text className="list-item-line">
              {chineseDay(term.startsOn)} 至 {chineseDay(term.endsOn)}
            </Text>
          )}
        </View>
      ))}
      {calendar.terms.some((t) => t.isDefault) && (
        <Text className="card-note">
          标“默认”的学期是系统按惯例给出的日期（秋季9月1日至1月20日，春季在春节假期一周后开学）
          {editable ? '，请按本县安排修改后保存。' : '。'}
        </Text>
      )}
      {editable && (
        <>
          <FormError message={form.formError} />
          <Button className="btn btn-primary btn-block btn-save-terms" loading={form.submitting} onClick={() => void save()}>
            保存学期
          </Button>
        </>
      )}
    </View>
  );
}

function DaysCard({
  calendar,
  editable,
  onChanged,
}: {
  calendar: SchoolCalendarView;
  editable: boolean;
  onChanged: (view: SchoolCalendarView) => void;
}) {
  const reset = useAction(async (day: CalendarDayView) => {
    if (!(await confirm('恢复国家安排', `${chineseDay(day.day)}恢复为按国家放假安排和学期计算？`, '恢复'))) return;
    onChanged(await calendarApi.resetDay(day.day));
    toastSuccess('已恢复');
  });
  const months = byMonth(calendar.days);
  return (
    <View className="card calendar-days">
      <Text className="card-title">节假日、调休和本县安排</Text>
      <Text className="card-note">寒暑假（学期以外）不列出；周末不上课，除非下面写明上课。</Text>
      {months.length === 0 && <Text className="list-item-line">本学年学期内没有另行安排的日子</Text>}
      {months.map(({ month, days }) => (
        <View key={month} className="calendar-month">
          <Text className="calendar-month-title">{month}</Text>
          {days.map((day) => (
            <View key={day.day} className={`calendar-day calendar-day-${day.kind} calendar-day-${day.source}`}>
              <View className="calendar-day-main">
                <Text className="calendar-day-date">{dayLabel(day.day)}</Text>
                <Text className={`tag tag-kind-${day.kind}`}>{CALENDAR_DAY_KIND_LABELS[day.kind]}</Text>
              </View>
              <View className="calendar-day-main">
                <Text className="calendar-day-note">
                  {day.note}
                  {day.source === 'county' ? '（本县）' : '（国家安排）'}
                </Text>
                {editable && day.source === 'county' && (
                  <Button
                    className="btn btn-plain btn-small btn-reset-day"
                    loading={reset.running?.[0] === day}
                    disabled={reset.busy}
                    onClick={() => void reset.run(day)}
                  >
                    恢复
                  </Button>
                )}
              </View>
            </View>
          ))}
        </View>
      ))}
    </View>
  );
}

function AddDayCard({ calendar, onAdded }: { calendar: SchoolCalendarView; onAdded: (view: SchoolCalendarView) => void }) {
  const [day, setDay] = useState<string | null>(null);
  const [dayError, setDayError] = useState<string | undefined>();
  const form = useForm(setCalendarDayRequest, { kind: 'off' as CalendarDayKind, note: '' });
  const add = () => {
    if (!day) {
      setDayError('请选择日期');
      return;
    }
    return form.submit(async (body) => {
      try {
        onAdded(await calendarApi.setDay(day, body));
      } catch (failure) {
        if (failure instanceof ApiError && failure.fields.day) setDayError(failure.fields.day);
        throw failure;
      }
      setDay(null);
      form.set('note', '');
      toastSuccess('已添加');
    });
  };
  return (
    <View className="card calendar-add">
      <Text className="card-title">添加本县安排</Text>
      <Text className="card-note">如因天气停课、县里统一放假，或周末、假期里补课上课。</Text>
      <Field label="日期" error={dayError}>
        <DateField
          className="input-calendar-day"
          value={day}
          start={`${calendar.schoolYear}-09-01`}
          end={`${calendar.schoolYear + 1}-08-31`}
          onChange={(value) => {
            setDay(value);
            setDayError(undefined);
          }}
        />
      </Field>
      <Field label="这一天" error={form.errors.kind}>
        <Segmented choices={KIND_CHOICES} value={form.values.kind} onChange={(kind) => form.set('kind', kind)} />
      </Field>
      <Field label="说明" error={form.errors.note} hint="例如：暴雪停课、运动会补课">
        <Input
          className="input input-calendar-note"
          value={form.values.note ?? ''}
          maxlength={40}
          placeholder="请填写说明"
          onInput={(event) => form.set('note', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block btn-add-day" loading={form.submitting} onClick={() => void add()}>
        添加
      </Button>
    </View>
  );
}
