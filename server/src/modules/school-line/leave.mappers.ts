import { gradeLabel, type LeaveView } from '@baoxue/shared';
import type { LeaveRequest } from './leave.entity';

/** 三年级2班. */
export function leaveClassLabel(grade: number, className: string): string {
  return `${gradeLabel(grade)}${className}`;
}

export interface LeaveLookups {
  childNames: ReadonlyMap<string, string>;
  userNames: ReadonlyMap<string, string>;
  /** School days each request covers, by id. */
  schoolDays: ReadonlyMap<string, number>;
  photoUrl: (uploadId: string) => string;
}

/** A leave request as its parents and the class's 班主任 and leaders read it (nobody else reads leave). */
export function mapLeave(row: LeaveRequest, lookups: LeaveLookups): LeaveView {
  return {
    id: row.id,
    childId: row.childId,
    childName: lookups.childNames.get(row.childId) ?? '',
    classLabel: leaveClassLabel(row.grade, row.className),
    kind: row.kind,
    fromDay: row.fromDay,
    toDay: row.toDay,
    schoolDays: lookups.schoolDays.get(row.id) ?? 0,
    reason: row.reason,
    hasPhoto: row.photoUploadId !== null,
    photoUploadId: row.photoUploadId,
    photoUrl: row.photoUploadId ? lookups.photoUrl(row.photoUploadId) : null,
    status: row.status,
    decisionNote: row.decisionNote,
    decidedByName: row.decidedBy ? (lookups.userNames.get(row.decidedBy) ?? null) : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    requestedAt: row.requestedAt.toISOString(),
  };
}
