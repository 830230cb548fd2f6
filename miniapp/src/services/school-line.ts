import type { Me, RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call, fileUrl, upload, type UploadInput } from './request';

/** The school line as the school sees it (BRIEF §4a): classes, roll calls, absences, leave, 学籍异动. */
export type ClassList = ResponseOf<'classesList'>;
export type SchoolClass = ClassList['classes'][number];
export type RollCallSheet = ResponseOf<'rollCallsSheet'>;
export type RollCallPupil = RollCallSheet['pupils'][number];
export type RollCallWeek = ResponseOf<'rollCallsWeek'>;
export type AbsenceAlert = ResponseOf<'absenceAlertsList'>['items'][number];
export type PupilFollowUp = ResponseOf<'pupilsFollowUp'>;
export type FamilyContact = ResponseOf<'pupilsFamilyContact'>;
export type SchoolLeave = ResponseOf<'leaveList'>['items'][number];
export type PupilChange = ResponseOf<'pupilChangesList'>['items'][number];

/** Staff of a school (an official whose unit is a school) work the school line. */
export function isSchoolStaff(user: Me | null | undefined): boolean {
  return user?.role === 'official' && user.unit?.kind === 'school';
}

/** The school's leader (校长) names the 班主任 and sees every class. */
export function isSchoolLeader(user: Me | null | undefined): boolean {
  return isSchoolStaff(user) && user?.position === 'leader';
}

/** A link the server signed for a photo, loadable by <Image>; null when there is none. */
function withPhotoUrl<T extends { photoUrl?: string | null }>(item: T): T {
  return item.photoUrl ? { ...item, photoUrl: fileUrl(item.photoUrl) } : item;
}

/** The same for a 学籍异动's document photo (only the recording school and the county get one). */
function withDocumentUrl<T extends { documentUrl: string | null }>(item: T): T {
  return item.documentUrl ? { ...item, documentUrl: fileUrl(item.documentUrl) } : item;
}

export const schoolLineApi = {
  calendar: (query: RequestQuery<'calendarGet'> = {}) => call('calendarGet', { query }),
  classes: () => call('classesList'),
  staff: () => call('classesStaff'),
  setTeachers: (body: RequestBody<'classesSetTeachers'>) => call('classesSetTeachers', { body }),

  sheet: (query: RequestQuery<'rollCallsSheet'>) => call('rollCallsSheet', { query }),
  // Roll calls are sent only by the outbox (services/roll-call-outbox.ts): it keeps them until the server has them.
  week: (query: RequestQuery<'rollCallsWeek'>) => call('rollCallsWeek', { query }),

  alerts: (query: RequestQuery<'absenceAlertsList'>) => call('absenceAlertsList', { query }),
  followUp: (childId: string) => call('pupilsFollowUp', { params: { id: childId } }),
  recordContact: (childId: string, body: RequestBody<'pupilsFamilyContact'>) =>
    call('pupilsFamilyContact', { params: { id: childId }, body }),
  report: (childId: string, body: RequestBody<'pupilsReport'>) => call('pupilsReport', { params: { id: childId }, body }),

  leave: async (query: RequestQuery<'leaveList'>) => {
    const page = await call('leaveList', { query });
    return { ...page, items: page.items.map(withPhotoUrl) };
  },
  decideLeave: async (id: string, body: RequestBody<'leaveDecide'>) => withPhotoUrl(await call('leaveDecide', { params: { id }, body })),

  changes: async (query: RequestQuery<'pupilChangesList'>) => {
    const page = await call('pupilChangesList', { query });
    return { ...page, items: page.items.map(withDocumentUrl) };
  },
  recordChange: async (body: RequestBody<'pupilChangesCreate'>) => withDocumentUrl(await call('pupilChangesCreate', { body })),
  confirmTransfer: async (id: string, body: RequestBody<'pupilChangesConfirm'>) =>
    withDocumentUrl(await call('pupilChangesConfirm', { params: { id }, body })),
  decideSuspension: async (id: string, body: RequestBody<'pupilChangesDecide'>) =>
    withDocumentUrl(await call('pupilChangesDecide', { params: { id }, body })),
  /** A photo of the 休学 document (hospital certificate, application). */
  uploadDocument: async (file: UploadInput) => {
    const uploaded = await upload('uploadsCreate', file, { purpose: 'pupil_change_document' });
    return { ...uploaded, url: fileUrl(uploaded.url) };
  },
};
