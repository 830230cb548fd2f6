import { gradeLabel, SCHOOL_NOTICE_AUDIENCES, type ReceivedSchoolNoticeView, type SchoolNoticeView } from '@baoxue/shared';
import type { SchoolNotice, SchoolNoticeReceipt } from './school-notice.entities';

// Pure mappers from school notices to the contract's shapes. The service looks names and read
// counts up once per page and passes them in; nothing here reads the database.

type Names = ReadonlyMap<string, string>;

/** `全校`, `三年级` or `三年级2班`. */
export function audienceLabel(notice: Pick<SchoolNotice, 'audience' | 'grade' | 'className'>): string {
  if (notice.audience === 'school') return SCHOOL_NOTICE_AUDIENCES.school;
  const grade = gradeLabel(notice.grade ?? 0);
  return notice.audience === 'grade' ? grade : `${grade}${notice.className}`;
}

/** A notice as the school and officials see it: who sent it, how many it reached and have read it. */
export function mapSchoolNotice(
  notice: SchoolNotice,
  lookups: { schoolNames: Names; userNames: Names; readCounts: ReadonlyMap<string, number> },
): SchoolNoticeView {
  return {
    id: notice.id,
    schoolName: lookups.schoolNames.get(notice.schoolId) ?? '',
    audience: notice.audience,
    audienceLabel: audienceLabel(notice),
    title: notice.title,
    body: notice.body,
    sentAt: notice.sentAt.toISOString(),
    sentByName: lookups.userNames.get(notice.sentBy) ?? null,
    pupils: notice.pupils,
    pupilsReached: notice.pupilsReached,
    recipients: notice.recipients,
    read: lookups.readCounts.get(notice.id) ?? 0,
  };
}

/** A parent's copy: which of their children it concerns and whether they read it; never the sender or the counts. */
export function mapReceivedSchoolNotice(
  notice: SchoolNotice,
  receipt: Pick<SchoolNoticeReceipt, 'childNames' | 'readAt'>,
  schoolNames: Names,
): ReceivedSchoolNoticeView {
  return {
    id: notice.id,
    schoolName: schoolNames.get(notice.schoolId) ?? '',
    title: notice.title,
    body: notice.body,
    sentAt: notice.sentAt.toISOString(),
    childNames: receipt.childNames,
    read: receipt.readAt !== null,
  };
}
