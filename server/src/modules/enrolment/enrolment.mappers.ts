import type { DeferralView, EnrolmentBatchView, EnrolmentNoticeState, EnrolmentNoticeView, followUpResponse } from '@baoxue/shared';
import type { z } from 'zod';
import type { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from './enrolment.entities';

// Pure mappers from enrolment rows to the contract's shapes. The services look names, states and
// counts up once per page and pass them in; nothing here reads the database or the clock.

type Names = ReadonlyMap<string, string>;
type FollowUp = z.output<typeof followUpResponse>;

/** A batch with how its notices stand (counted by the service within the caller's scope). */
export function mapEnrolmentBatch(batch: EnrolmentBatch, schoolNames: Names, counts: EnrolmentBatchView['counts']): EnrolmentBatchView {
  return {
    id: batch.id,
    kind: batch.kind,
    schoolYear: batch.schoolYear,
    schoolId: batch.schoolId,
    schoolName: schoolNames.get(batch.schoolId) ?? '',
    reportOn: batch.reportOn,
    reportTime: batch.reportTime,
    reportPlace: batch.reportPlace,
    bring: batch.bring,
    contact: batch.contact,
    acknowledgeBy: batch.acknowledgeBy,
    issuerName: batch.issuerName,
    issuedAt: batch.issuedAt.toISOString(),
    counts,
  };
}

/**
 * A deferral application with its child, village and school named. The document photo is a
 * short-lived link; a notice no longer found reads as an empty school and year 0.
 */
export function mapDeferral(
  application: DeferralApplication,
  notice: Pick<EnrolmentNotice, 'schoolId' | 'schoolYear'> | undefined,
  lookups: { childNames: Names; schoolNames: Names; villageNames: Names; photoUrl: (photoId: string) => string },
): DeferralView {
  return {
    id: application.id,
    noticeId: application.noticeId,
    childName: lookups.childNames.get(application.childId) ?? '',
    villageName: application.villageCode ? (lookups.villageNames.get(application.villageCode) ?? null) : null,
    schoolName: notice ? (lookups.schoolNames.get(notice.schoolId) ?? '') : '',
    schoolYear: notice?.schoolYear ?? 0,
    reason: application.reason,
    photoUrl: lookups.photoUrl(application.photoId),
    appliedAt: application.appliedAt.toISOString(),
    status: application.status,
    decidedAt: application.decidedAt?.toISOString() ?? null,
    decisionNote: application.decisionNote,
    decidedBy: application.decidedUnit,
  };
}

/**
 * One child's notice with its batch's arrangements. `guardian`: the caller is a guardian bound to
 * this child; only they may acknowledge it (once) or apply for a deferral (unless one is pending or
 * granted). Officials read the same notice with no actions.
 */
export function mapEnrolmentNotice(
  notice: EnrolmentNotice,
  batch: EnrolmentBatch,
  facts: { state: EnrolmentNoticeState; guardian: boolean; deferral: DeferralView | null; childName: string; schoolName: string },
): EnrolmentNoticeView {
  const { state, guardian } = facts;
  const actions: string[] = [];
  if (guardian && !notice.acknowledgedAt) actions.push('acknowledge');
  if (guardian && state !== 'deferred' && state !== 'deferral_pending') actions.push('apply_deferral');
  return {
    id: notice.id,
    childId: notice.childId,
    childName: facts.childName,
    kind: batch.kind,
    schoolYear: notice.schoolYear,
    schoolName: facts.schoolName,
    reportOn: batch.reportOn,
    reportTime: batch.reportTime,
    reportPlace: batch.reportPlace,
    bring: batch.bring,
    contact: batch.contact,
    acknowledgeBy: batch.acknowledgeBy,
    issuerName: batch.issuerName,
    issuedAt: notice.issuedAt.toISOString(),
    text: notice.text,
    state,
    readAt: notice.readAt?.toISOString() ?? null,
    acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
    deferral: facts.deferral,
    actions,
  };
}

/** One school × village line of the follow-up list. */
export function mapFollowUpGroup(
  group: { schoolId: string; villageCode: string | null; counts: FollowUp['groups'][number]['counts'] },
  lookups: { schoolNames: Names; villageNames: Names },
): FollowUp['groups'][number] {
  return {
    schoolId: group.schoolId,
    schoolName: lookups.schoolNames.get(group.schoolId) ?? '',
    villageCode: group.villageCode,
    villageName: group.villageCode ? (lookups.villageNames.get(group.villageCode) ?? null) : null,
    counts: group.counts,
  };
}

/** A notice still waiting for its receipt, with how many of the child's guardians use the app. */
export function mapFollowUpItem(
  pending: { notice: EnrolmentNotice; state: EnrolmentNoticeState; overdue: boolean; acknowledgeBy: string },
  lookups: { childNames: Names; schoolNames: Names; villageNames: Names; guardiansInApp: ReadonlyMap<string, number> },
): FollowUp['items'][number] {
  const { notice } = pending;
  return {
    noticeId: notice.id,
    batchId: notice.batchId,
    childName: lookups.childNames.get(notice.childId) ?? '',
    villageName: notice.villageCode ? (lookups.villageNames.get(notice.villageCode) ?? null) : null,
    schoolName: lookups.schoolNames.get(notice.schoolId) ?? '',
    state: pending.state,
    acknowledgeBy: pending.acknowledgeBy,
    overdue: pending.overdue,
    guardiansInApp: lookups.guardiansInApp.get(notice.childId) ?? 0,
    lastRemindedAt: notice.remindedAt?.toISOString() ?? null,
  };
}
