import { classLabel, type AbsenceAlertView, type RollCallView } from '@baoxue/shared';
import type { AbsenceAlert, RollCall } from './school-line.entities';

/** A roll call as the school reads it, with who took it. */
export function mapRollCall(rollCall: RollCall, userNames: ReadonlyMap<string, string>): RollCallView {
  return {
    id: rollCall.id,
    grade: rollCall.grade,
    className: rollCall.className,
    day: rollCall.day,
    pupils: rollCall.pupils,
    absent: rollCall.absent,
    late: rollCall.late,
    takenAt: rollCall.takenAt.toISOString(),
    takenByName: userNames.get(rollCall.takenBy) ?? null,
    updatedAt: rollCall.updatedAt.toISOString(),
  };
}

/** An absence alert in the school's follow-up list. */
export function mapAbsenceAlert(
  alert: AbsenceAlert,
  parts: { childNames: ReadonlyMap<string, string>; contactCounts: ReadonlyMap<string, number> },
): AbsenceAlertView {
  return {
    id: alert.id,
    childId: alert.childId,
    childName: parts.childNames.get(alert.childId) ?? '',
    classLabel: classLabel(alert.grade, alert.className),
    streak: alert.streak,
    streakStart: alert.streakStart,
    lastAbsentDay: alert.lastAbsentDay,
    status: alert.status,
    contacts: parts.contactCounts.get(alert.id) ?? 0,
    caseId: alert.caseId,
    createdAt: alert.createdAt.toISOString(),
  };
}
