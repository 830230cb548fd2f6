import { Button, Text, View } from '@tarojs/components';
import { attendanceRequest, gradeLabel, PLACEMENT_MODES } from '@baoxue/shared';
import { DateField } from '../../../components/date-field';
import { DetailRow } from '../../../components/detail-row';
import { Field, FormError } from '../../../components/field';
import { Segmented } from '../../../components/segmented';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi } from '../../../services/case-handling';
import { today } from '../../../utils/dates';
import { toastSuccess } from '../../../utils/feedback';
import type { CaseEditor } from '../case-editing';

type DayState = 'present' | 'absent' | 'excused';
const DAY_STATES: ReadonlyArray<{ value: DayState; label: string }> = [
  { value: 'present', label: '到校' },
  { value: 'absent', label: '缺勤' },
  { value: 'excused', label: '请假' },
];

const stateOf = (day: { present: boolean; excused: boolean }): DayState => (day.present ? 'present' : day.excused ? 'excused' : 'absent');

/**
 * The return and the proof of attendance after it: where the child went back, and the school days
 * recorded against the 销号 rule (present on N of the first M school days). School staff record days.
 */
export function ReturnCard({ editor, canRecord }: { editor: CaseEditor; canRecord: boolean }) {
  const { returned, attendance } = editor.detail;
  if (!returned) return null;
  return (
    <View className="card return-card">
      <Text className="card-title">返校与出勤</Text>
      <DetailRow label="返校学校">{returned.schoolName ?? '—'}</DetailRow>
      <DetailRow label="返校日期">{returned.returnedOn}</DetailRow>
      <DetailRow label="编入年级">{gradeLabel(returned.grade)}</DetailRow>
      <DetailRow label="安置方式">{PLACEMENT_MODES[returned.placement]}</DetailRow>
      {attendance && (
        <View className={attendance.satisfied ? 'attendance-summary attendance-satisfied' : 'attendance-summary'}>
          <Text className="attendance-count">
            返校后前{attendance.window}个上学日出勤{attendance.present}天
          </Text>
          <Text className="attendance-rule">
            销号条件：至少出勤{attendance.required}天（已有记录的上学日{attendance.recorded}天）
          </Text>
          <Text className="attendance-verdict">{attendance.satisfied ? '已满足销号条件' : '尚未满足销号条件'}</Text>
          {attendance.days.length > 0 && (
            <View className="attendance-days">
              {attendance.days.map((day) => (
                <Text key={day.day} className={`attendance-day attendance-day-${stateOf(day)}`}>
                  {day.day.slice(5)} {DAY_STATES.find((state) => state.value === stateOf(day))!.label}
                </Text>
              ))}
            </View>
          )}
        </View>
      )}
      {canRecord && <AttendanceForm editor={editor} returnedOn={returned.returnedOn} />}
    </View>
  );
}

/** One school day of the returned child: present, absent, or absent with leave. Recording a day again corrects it. */
function AttendanceForm({ editor, returnedOn }: { editor: CaseEditor; returnedOn: string }) {
  const form = useForm(attendanceRequest, { days: [{ day: today(), present: true, excused: false }] });
  const entry = form.values.days?.[0] ?? { day: today(), present: true, excused: false };
  const setEntry = (patch: Partial<typeof entry>) => form.set('days', [{ ...entry, ...patch }]);
  const submit = () =>
    form.submit(async (body) => {
      await caseHandlingApi.recordAttendance(editor.detail.id, body);
      toastSuccess('已登记出勤');
      await editor.reload();
    });

  return (
    <View className="action-panel attendance-form">
      <Text className="field-label">登记出勤</Text>
      <Field label="日期" error={form.errors['days.0.day'] ?? form.errors.days}>
        <DateField
          className="input-attendance-day"
          value={entry.day}
          start={returnedOn}
          end={today()}
          onChange={(day) => setEntry({ day: day ?? undefined })}
        />
      </Field>
      <Field label="当天情况" error={form.errors['days.0.present']}>
        <Segmented
          choices={DAY_STATES}
          value={stateOf({ present: entry.present ?? false, excused: entry.excused ?? false })}
          onChange={(state) => setEntry({ present: state === 'present', excused: state === 'excused' })}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        登记出勤
      </Button>
      <Text className="field-hint">连续无故缺勤达到规定天数，案件会自动重新打开劝返。</Text>
    </View>
  );
}
