import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { ABSENCE_REASON_LABELS, ABSENCE_REASONS, isPresentMark } from '@baoxue/shared';
import type { AbsenceReason, Me } from '@baoxue/shared';
import { FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useStore } from '../../../../hooks/use-store';
import { rollCallOutbox } from '../../../../services/roll-call-outbox';
import { ApiError, messageOf } from '../../../../services/request';
import { schoolLineApi, type RollCallPupil, type RollCallSheet } from '../../../../services/school-line';
import { toastSuccess } from '../../../../utils/feedback';
import { queuedRollCall, submitRollCall } from '../../roll-call-queue';
import { dayWithWeekday, decodedParam, takenAtTime } from '../../school-days';
import '../../../../components/subpackage.css';
import '../../school.css';

type Marks = Record<string, AbsenceReason>;

/**
 * 点名 (BRIEF §4a): everyone is present until tapped. A tap marks a pupil absent (无故缺勤, or the
 * kind of their approved leave), one more tap picks another reason, a tap on the name again undoes
 * it; one submit for the class. For 50 pupils with 3 absent that is 4 to 7 taps. Without signal the
 * roll call waits on the phone (services/roll-call-outbox.ts, by ../../roll-call-queue.ts) and goes by itself.
 */
export default function RollCallPage() {
  const user = useCurrentUser();
  const params = useRouter().params;
  const { grade, day } = params;
  const className = decodedParam(params.className);
  return (
    <Screen className="roll-call-page">
      {!user ? (
        <Loading />
      ) : grade && className ? (
        <RollCall user={user} grade={Number(grade)} className={className} day={day || undefined} />
      ) : (
        <ErrorNotice message="没有指定班级" />
      )}
    </Screen>
  );
}

function RollCall({ user, grade, className, day }: { user: Me; grade: number; className: string; day?: string }) {
  const sheet = useLoader(() => schoolLineApi.sheet({ grade, className, day }), [user.id, grade, className, day]);
  const { reload } = sheet;
  // A roll call of this class that waited on the phone reached the server: show it as stored.
  useEffect(
    () => rollCallOutbox.onSent((item) => item.body.grade === grade && item.body.className === className && void reload()),
    [grade, className, reload],
  );
  if (!sheet.data) return sheet.error ? <ErrorNotice message={sheet.error} onRetry={() => void sheet.reload()} /> : <Loading />;
  return (
    <Sheet
      key={`${sheet.data.day}-${sheet.data.rollCall?.updatedAt ?? ''}`}
      user={user}
      at={{ grade, className, day: sheet.data.day }}
      sheet={sheet.data}
      reload={sheet.reload}
    />
  );
}

/** The marks the sheet starts with: a roll call still on the phone, else the stored one, else approved leave. */
function initialMarks(sheet: RollCallSheet, queued: Marks | null): Marks {
  if (queued) return queued;
  const marks: Marks = {};
  for (const pupil of sheet.pupils) {
    const mark = sheet.rollCall ? pupil.mark : (pupil.mark ?? pupil.leave?.kind ?? null);
    if (mark) marks[pupil.childId] = mark;
  }
  return marks;
}

function Sheet({
  user,
  at,
  sheet,
  reload,
}: {
  user: Me;
  at: { grade: number; className: string; day: string };
  sheet: RollCallSheet;
  reload: () => Promise<void>;
}) {
  const queued = queuedRollCall(user.id, at, useStore(rollCallOutbox.store));
  const [marks, setMarks] = useState<Marks>(() =>
    initialMarks(sheet, queued ? Object.fromEntries(queued.body.marks.map((mark) => [mark.childId, mark.reason])) : null),
  );
  const [fields, setFields] = useState<Record<string, string>>(queued?.state === 'rejected' ? queued.fields : {});
  const editable = sheet.editable;

  const toggle = (pupil: RollCallPupil) => {
    if (!editable) return;
    setMarks((current) => {
      const next = { ...current };
      if (next[pupil.childId]) delete next[pupil.childId];
      else next[pupil.childId] = pupil.leave?.kind ?? 'unexcused';
      return next;
    });
  };
  const choose = (pupil: RollCallPupil, reason: AbsenceReason) => {
    if (editable) setMarks((current) => ({ ...current, [pupil.childId]: reason }));
  };

  const submitting = useAction(
    async () => {
      setFields({});
      const body = {
        ...at,
        // in the sheet's order, so a message about `marks.3` names the right pupil
        marks: sheet.pupils
          .filter((pupil) => marks[pupil.childId])
          .map((pupil) => ({ childId: pupil.childId, reason: marks[pupil.childId]! })),
      };
      try {
        const outcome = await submitRollCall(user.id, sheet.label, body);
        if (outcome.kind === 'sent') {
          toastSuccess(outcome.sent.newAlerts ? `已提交，${outcome.sent.newAlerts} 人连续缺勤` : '点名已提交');
          await reload();
        }
      } catch (failure) {
        if (failure instanceof ApiError) setFields(failure.fields);
        throw failure;
      }
    },
    { errorIn: 'inline', describe: messageOf },
  );

  const pupils = sheet.pupils.length;
  const absent = Object.values(marks).filter((reason) => !isPresentMark(reason)).length;
  const late = Object.values(marks).length - absent;
  const markedIndex = sheet.pupils.filter((pupil) => marks[pupil.childId]).map((pupil) => pupil.childId);
  const pupilError = (pupil: RollCallPupil) => {
    const index = markedIndex.indexOf(pupil.childId);
    return index < 0 ? null : (fields[`marks.${index}.childId`] ?? fields[`marks.${index}.reason`] ?? null);
  };

  return (
    <>
      <View className="card">
        <View className="list-item-head">
          <Text className="list-item-title">{sheet.label}</Text>
          <Text className="list-item-meta">{dayWithWeekday(sheet.day)}</Text>
        </View>
        {sheet.rollCall ? (
          <Text className="list-item-line class-state-taken">
            已于 {takenAtTime(sheet.rollCall.updatedAt)} 点名{sheet.rollCall.takenByName ? `（${sheet.rollCall.takenByName}）` : ''}
            {editable ? '，当天可以修改' : ''}
          </Text>
        ) : (
          <Text className="list-item-line class-state-open">{editable ? '全班默认出勤，点一下学生姓名标记缺勤' : '当天没有点名'}</Text>
        )}
        {!editable && sheet.notEditableReason && <Text className="list-item-error">{sheet.notEditableReason}</Text>}
      </View>

      <View className="card stats-card roll-summary">
        <Stat value={pupils} label="应到" />
        <Stat value={pupils - absent} label="实到" />
        <Stat value={absent} label="缺勤" />
        {late > 0 && <Stat value={late} label="迟到/早退" />}
      </View>

      {queued?.state === 'waiting' && <View className="saved-offline">已保存在手机，联网后自动提交</View>}
      {queued?.state === 'rejected' && <FormError message={`上次提交未被接受：${queued.error ?? ''}`} />}

      <View className="pupil-rows">
        {sheet.pupils.map((pupil) => (
          <PupilRow
            key={pupil.childId}
            pupil={pupil}
            mark={marks[pupil.childId] ?? null}
            editable={editable}
            error={pupilError(pupil)}
            onToggle={() => toggle(pupil)}
            onChoose={(reason) => choose(pupil, reason)}
          />
        ))}
      </View>

      {editable && (
        <View className="roll-submit">
          <FormError message={submitting.error} />
          <Button className="btn btn-primary btn-block btn-large" loading={submitting.busy} onClick={() => void submitting.run()}>
            {sheet.rollCall ? '提交修改' : `提交点名（缺勤 ${absent} 人）`}
          </Button>
        </View>
      )}
    </>
  );
}

function PupilRow({
  pupil,
  mark,
  editable,
  error,
  onToggle,
  onChoose,
}: {
  pupil: RollCallPupil;
  mark: AbsenceReason | null;
  editable: boolean;
  error: string | null;
  onToggle: () => void;
  onChoose: (reason: AbsenceReason) => void;
}) {
  const state = !mark ? '' : isPresentMark(mark) ? 'pupil-late' : 'pupil-absent';
  return (
    <View className={`pupil-row ${state}`}>
      <View className="pupil-main" onClick={onToggle}>
        <View>
          <Text className="pupil-name">{pupil.name}</Text>
          {pupil.leave && <Text className="tag tag-leave">已请假</Text>}
        </View>
        <Text className="pupil-mark">{mark ? ABSENCE_REASON_LABELS[mark] : '出勤'}</Text>
      </View>
      {mark && editable && (
        <View className="pupil-reasons">
          {ABSENCE_REASONS.map((reason) => (
            <View key={reason} className={reason === mark ? 'chip chip-active' : 'chip'} onClick={() => onChoose(reason)}>
              {ABSENCE_REASON_LABELS[reason]}
            </View>
          ))}
        </View>
      )}
      {error && <Text className="field-error">{error}</Text>}
    </View>
  );
}

function Stat({ value, label }: { value: number; label: string }) {
  return (
    <View className="stat">
      <Text className="stat-value">{value}</Text>
      <Text className="stat-label">{label}</Text>
    </View>
  );
}
