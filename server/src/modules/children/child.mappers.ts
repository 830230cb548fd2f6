import {
  maskedOrNull,
  type BoundChildView,
  type CaseStatus,
  type ChildMergeView,
  type ChildRecordView,
  type ChildReviewView,
} from '@baoxue/shared';
import type { MergeLog } from './child-merge.service';
import type { ChildMatchReview, ChildMerge } from './child-registry.entities';
import type { Child } from './child.entity';
import type { Guardianship } from './guardianship.entity';

// Pure mappers from child records to the contract's shapes. The services look names up (batched per
// page) and pass them in; nothing here reads the database.

type Names = ReadonlyMap<string, string>;

/** What followed the child in a merge, as officials read it. */
const MOVED_LABELS: Record<string, string> = {
  cases: '案件',
  guardianships: '已绑定的家长',
  child_guardians: '花名册上的监护人',
  attendance: '出勤记录',
  subsidy_eligibility: '资助资格',
  subsidy_payments: '资助发放记录',
  subsidy_complaints: '资助投诉',
  enrolment_notices: '入学通知书',
  deferral_applications: '延缓入学申请',
  binding_attempts: '家长绑定记录',
  crosscheck_reviews: '比对待确认记录',
  case_notices: '限期返校通知书',
  child_match_reviews: '疑似同一儿童记录',
};

export type ChildRecordFields = Pick<
  Child,
  | 'id'
  | 'name'
  | 'sex'
  | 'birthDate'
  | 'birthYear'
  | 'idNumber'
  | 'studentNumber'
  | 'schoolId'
  | 'grade'
  | 'villageCode'
  | 'priorityGroups'
  | 'mergedIntoId'
>;

export interface ChildRecordLookups {
  schoolNames: Names;
  /** Full village names by division code. */
  places: Names;
}

/** A child record as officials compare it with another: identifiers masked, place and school named. */
export function mapChildRecord(
  child: ChildRecordFields,
  lookups: ChildRecordLookups,
  openCase: { id: string; status: CaseStatus } | null,
): ChildRecordView {
  return {
    id: child.id,
    name: child.name,
    sex: child.sex,
    birthDate: child.birthDate,
    birthYear: child.birthYear,
    idNumberMasked: maskedOrNull(child.idNumber),
    onRoster: !!child.studentNumber,
    schoolName: child.schoolId ? (lookups.schoolNames.get(child.schoolId) ?? null) : null,
    grade: child.grade,
    place: child.villageCode ? (lookups.places.get(child.villageCode) ?? null) : null,
    priorityGroups: child.priorityGroups,
    mergedIntoId: child.mergedIntoId,
    openCase: openCase ? { id: openCase.id, status: openCase.status } : null,
  };
}

/** `mergeId`: the merge a confirmation made, while it stands. */
export function mapChildReview(
  review: ChildMatchReview,
  records: { child: ChildRecordView; candidate: ChildRecordView },
  userNames: Names,
  mergeId: string | null,
): ChildReviewView {
  return {
    id: review.id,
    status: review.status,
    reason: review.reason,
    source: review.source as ChildReviewView['source'],
    createdAt: review.createdAt.toISOString(),
    child: records.child,
    candidate: records.candidate,
    decidedAt: review.decidedAt?.toISOString() ?? null,
    decidedByName: review.decidedBy ? (userNames.get(review.decidedBy) ?? null) : null,
    decisionNote: review.decisionNote,
    mergeId,
  };
}

/** `canSplit` comes decided by the service: it depends on the caller and on both records' current state. */
export function mapChildMerge(
  merge: ChildMerge,
  names: { survivor: string; merged: string },
  userNames: Names,
  canSplit: boolean,
): ChildMergeView {
  const log = merge.moved as unknown as MergeLog;
  const moved = [
    { label: MOVED_LABELS.cases!, count: log.cases?.length ?? 0 },
    ...Object.entries(log.rows ?? {}).map(([table, rows]) => ({ label: MOVED_LABELS[table] ?? table, count: rows.length })),
    { label: MOVED_LABELS.child_match_reviews!, count: (log.reviews?.child.length ?? 0) + (log.reviews?.candidate.length ?? 0) },
  ].filter((entry) => entry.count > 0);
  return {
    id: merge.id,
    survivor: { id: merge.survivorId, name: names.survivor },
    merged: { id: merge.mergedId, name: names.merged },
    reason: merge.reason,
    at: merge.at.toISOString(),
    actorName: merge.actorId ? (userNames.get(merge.actorId) ?? null) : null,
    moved,
    casesMerged: log.caseMerges?.length ?? 0,
    split: merge.splitAt
      ? {
          at: merge.splitAt.toISOString(),
          reason: merge.splitReason ?? '',
          byName: merge.splitBy ? (userNames.get(merge.splitBy) ?? null) : null,
        }
      : null,
    canSplit,
  };
}

/** A child as the parent bound to them sees it. */
export function mapBoundChild(
  child: Pick<Child, 'id' | 'name' | 'sex' | 'birthYear' | 'idNumber' | 'schoolId' | 'grade' | 'className'>,
  guardianship: Pick<Guardianship, 'relation' | 'createdAt'>,
  schoolNames: Names,
): BoundChildView {
  return {
    id: child.id,
    name: child.name,
    sex: child.sex,
    birthYear: child.birthYear,
    idNumberMasked: maskedOrNull(child.idNumber),
    schoolId: child.schoolId,
    schoolName: child.schoolId ? (schoolNames.get(child.schoolId) ?? null) : null,
    grade: child.grade,
    className: child.className,
    relation: guardianship.relation,
    boundAt: guardianship.createdAt.toISOString(),
  };
}
