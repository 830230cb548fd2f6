import { randomUUID } from 'node:crypto';
import { addDays, chinaDay, isSchoolDay, routes, schoolDaysFrom, type RouteKey } from '@baoxue/shared';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { User } from '../../server/src/modules/accounts/user.entity';
import { PupilChange } from '../../server/src/modules/pupil-changes/pupil-change.entity';
import { SchoolCalendars } from '../../server/src/modules/school-calendar/school-calendars';
import { LeaveRequest } from '../../server/src/modules/school-line/leave.entity';
import type { ApiClient } from './api';
import { clientFor, createUser, OTHER_COUNTY } from './factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, schoolByName, type PupilSpec } from './pupils';
import type { TestServer } from './server';
import { imageForm, photoWithGps, ZHANGWEIZI } from './tips';

/**
 * Records for the access matrix's school-line routes (calendar, classes, roll call, follow-up,
 * leave, 学籍异动). The sample class is 五年级1班 of the demo school, whose 班主任 the school's
 * leader names the demo school staff 赵敏 (`school-staff`); the demo parent is bound to one of its
 * pupils. Out of scope in the same county: 五年级2班 of the same school (赵敏 does not teach it), a
 * pupil and a transfer of 寨河镇中心小学 (another school), and another family's leave request; in the
 * other county a pupil, a leave request and two pupil changes.
 */
export interface SchoolLineRecords {
  schoolId: string;
  /** A school day on or before today (the county admin makes today one when the calendar has none). */
  day: string;
  grade: number;
  className: string;
  teacherId: string;
  /** A pupil of the sample class bound to the demo parent: leave, follow-up, report. */
  pupilId: string;
  /** A pupil of the sample class marked absent by the sample roll call. */
  absentPupilId: string;
  /** A pupil whose move away the sample records. */
  movingPupilId: string;
  /** Two future school days for leave: the sample asks for the first; the other is asked already, pending, to withdraw. */
  leaveDays: [string, string, string];
  leaveClientKey: string;
  rollCallClientKey: string;
  reportClientKey: string;
  /** A pending leave request to decide, one to withdraw. */
  leaveId: string;
  withdrawLeaveId: string;
  /** A transfer from 寨河镇中心小学 into the demo school (to confirm), a suspension of a pupil of the demo school (to decide). */
  transferInId: string;
  suspensionId: string;
  sameCounty: {
    /** A pupil of 五年级2班 of the demo school, with a pending leave request of another family. */
    otherClassPupilId: string;
    otherClassLeaveId: string;
    /** A pupil of 寨河镇中心小学, and a transfer between two schools of 寨河镇. */
    otherSchoolPupilId: string;
    otherSchoolTransferId: string;
    /** A pending leave request of that pupil (asked by a parent of 寨河镇). */
    otherSchoolLeaveId: string;
  };
  other: { pupilId: string; leaveId: string; transferId: string; suspensionId: string };
}

/** A pupil change written as the service writes a pending one (for the other county, where no client of ours can). */
function pendingChange(
  id: string,
  spec: Pick<PupilChange, 'countyCode' | 'childId' | 'kind' | 'fromSchoolId' | 'toSchoolId'>,
): PupilChange {
  return {
    id,
    ...spec,
    status: 'pending',
    openKey: 'open',
    fromGrade: 5,
    fromClassName: '1班',
    destination: null,
    effectiveOn: '2026-09-01',
    reason: '矩阵测试异动',
    documentUploadId: null,
    requestedBy: newId(),
    requestedAt: new Date(),
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    closedCaseId: null,
  } as PupilChange;
}

function pendingLeave(id: string, spec: Pick<LeaveRequest, 'countyCode' | 'schoolId' | 'childId' | 'fromDay'>): LeaveRequest {
  return {
    id,
    ...spec,
    grade: 5,
    className: '1班',
    kind: 'sick',
    toDay: spec.fromDay,
    reason: '矩阵测试请假',
    photoUploadId: null,
    status: 'pending',
    requestedBy: newId(),
    clientKey: randomUUID(),
    requestedAt: new Date(),
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  };
}

async function ok<T>(what: string, response: Promise<{ status: number; body: T }>): Promise<T> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`matrix ${what}: ${answered.status} ${JSON.stringify(answered.body)}`);
  return answered.body;
}

export async function seedSchoolLineRecords(
  server: TestServer,
  clients: { parent: ApiClient; staff: ApiClient; leader: ApiClient; county: ApiClient },
  otherSchoolId: string,
): Promise<SchoolLineRecords> {
  const { dataSource } = server;
  const manager = dataSource.manager;
  const schoolId = (await schoolByName(dataSource, DEMO_SCHOOL)).id;
  const zhaiheSchoolId = (await schoolByName(dataSource, '光山县寨河镇中心小学')).id;
  const teacher = await manager.findOneByOrFail(User, { demoAccount: 'school-staff' });
  const grade = 5;
  const className = '1班';

  // today is a school day (the county admin makes it one, as for a 调休 day, when the calendar has none)
  const today = chinaDay(server.clock.now());
  let calendar = await server.app.get(SchoolCalendars).of(manager, DEMO_COUNTY);
  if (!isSchoolDay(today, calendar)) {
    await ok('calendar day', clients.county.request('PUT', `/calendar/days/${today}`, { kind: 'school', note: '矩阵测试上课日' }));
    calendar = await server.app.get(SchoolCalendars).of(manager, DEMO_COUNTY);
  }
  const leaveDays = schoolDaysFrom(addDays(today, 1), 3, calendar) as [string, string, string];

  const pupil = (name: string, spec: Partial<PupilSpec>) => createPupil(dataSource, { name, schoolId, grade, className, ...spec });
  const bound = await pupil('点名甲', { bindingCode: 'MATRIX66' });
  const absent = await pupil('点名乙', {});
  const moving = await pupil('点名迁出', {});
  const suspended = await pupil('点名休学', {});
  const otherClass = await pupil('邻班学生', { className: '2班', bindingCode: 'MATRIX77' });
  const zhaihe = await createPupil(dataSource, { name: '寨河转学生', schoolId: zhaiheSchoolId, grade, className, villageCode: ZHANGWEIZI });
  const zhaiheStays = await createPupil(dataSource, {
    name: '寨河在校生',
    schoolId: zhaiheSchoolId,
    grade,
    className,
    villageCode: ZHANGWEIZI,
  });
  await ok('binding', clients.parent.post('/children/bind', { bindingCode: 'MATRIX66', childName: '点名甲', relation: 'mother' }));

  // the leader names 赵敏 班主任 of the sample class
  await ok('class teachers', clients.leader.request('PUT', '/classes/teachers', { grade, className, userIds: [teacher.id] }));

  // leave: one to decide, one to withdraw (the sample asks for the third day)
  const leave = (fromDay: string) => ({
    clientKey: randomUUID(),
    childId: bound.id,
    kind: 'sick',
    fromDay,
    toDay: fromDay,
    reason: '孩子发烧需要休息',
    photoUploadId: null,
  });
  const toDecide = await ok<{ id: string }>('leave', clients.parent.post('/leave-requests', leave(leaveDays[1])));
  const toWithdraw = await ok<{ id: string }>('leave', clients.parent.post('/leave-requests', leave(leaveDays[2])));
  // another family's parent asks for leave for a pupil of 五年级2班
  const neighbour = await clientFor(server, await createUser(dataSource, { role: 'parent', displayName: '邻班家长' }));
  await ok('binding', neighbour.post('/children/bind', { bindingCode: 'MATRIX77', childName: '邻班学生', relation: 'father' }));
  const otherClassLeave = await ok<{ id: string }>(
    'leave',
    neighbour.post('/leave-requests', { ...leave(leaveDays[0]), childId: otherClass.id }),
  );

  // 学籍异动: 寨河镇中心小学 transfers a pupil to the demo school; the demo school asks the county for a suspension
  const zhaiheStaff = await clientFor(
    server,
    await createUser(dataSource, { role: 'official', position: 'school_staff', unitSchoolId: zhaiheSchoolId, countyCode: DEMO_COUNTY }),
  );
  const change = { effectiveOn: today, destination: null, reason: '随父母转学', documentUploadId: null };
  const transferIn = await ok<{ id: string }>(
    'transfer',
    zhaiheStaff.post('/pupil-changes', { ...change, childId: zhaihe.id, kind: 'transfer_out', toSchoolId: schoolId }),
  );
  const otherSchoolTransfer = await ok<{ id: string }>(
    'transfer',
    zhaiheStaff.post('/pupil-changes', {
      ...change,
      childId: zhaiheStays.id,
      kind: 'transfer_out',
      toSchoolId: (await schoolByName(dataSource, '光山县寨河镇初级中学')).id,
    }),
  );
  const document = await ok<{ id: string }>(
    'document',
    clients.staff.post('/uploads?purpose=pupil_change_document', imageForm(await photoWithGps(64, 64))),
  );
  const suspension = await ok<{ id: string }>(
    'suspension',
    clients.staff.post('/pupil-changes', {
      ...change,
      childId: suspended.id,
      kind: 'suspension',
      toSchoolId: null,
      reason: '因病休学一年',
      documentUploadId: document.id,
    }),
  );

  const otherSchoolLeaveId = newId();
  await manager.insert(
    LeaveRequest,
    pendingLeave(otherSchoolLeaveId, { countyCode: DEMO_COUNTY, schoolId: zhaiheSchoolId, childId: zhaiheStays.id, fromDay: leaveDays[0] }),
  );

  // the other county's records, written directly
  const otherPupil = await createPupil(dataSource, {
    name: '别县点名',
    schoolId: otherSchoolId,
    grade,
    className,
    villageCode: OTHER_COUNTY.village,
    countyCode: OTHER_COUNTY.code,
  });
  const otherMoving = await createPupil(dataSource, {
    name: '别县转学',
    schoolId: otherSchoolId,
    grade,
    className,
    villageCode: OTHER_COUNTY.village,
    countyCode: OTHER_COUNTY.code,
  });
  const other = { pupilId: otherPupil.id, leaveId: newId(), transferId: newId(), suspensionId: newId() };
  await manager.insert(
    LeaveRequest,
    pendingLeave(other.leaveId, { countyCode: OTHER_COUNTY.code, schoolId: otherSchoolId, childId: otherPupil.id, fromDay: leaveDays[0] }),
  );
  await manager.insert(PupilChange, [
    pendingChange(other.transferId, {
      countyCode: OTHER_COUNTY.code,
      childId: otherMoving.id,
      kind: 'transfer_out',
      fromSchoolId: otherSchoolId,
      toSchoolId: otherSchoolId,
    }),
    pendingChange(other.suspensionId, {
      countyCode: OTHER_COUNTY.code,
      childId: otherPupil.id,
      kind: 'suspension',
      fromSchoolId: otherSchoolId,
      toSchoolId: null,
    }),
  ]);

  return {
    schoolId,
    day: today,
    grade,
    className,
    teacherId: teacher.id,
    pupilId: bound.id,
    absentPupilId: absent.id,
    movingPupilId: moving.id,
    leaveDays,
    leaveClientKey: randomUUID(),
    rollCallClientKey: randomUUID(),
    reportClientKey: randomUUID(),
    leaveId: toDecide.id,
    withdrawLeaveId: toWithdraw.id,
    transferInId: transferIn.id,
    suspensionId: suspension.id,
    sameCounty: {
      otherClassPupilId: otherClass.id,
      otherClassLeaveId: otherClassLeave.id,
      otherSchoolPupilId: zhaiheStays.id,
      otherSchoolTransferId: otherSchoolTransfer.id,
      otherSchoolLeaveId,
    },
    other,
  };
}

interface Call {
  path: string;
  body?: Record<string, unknown>;
}

const at = (key: RouteKey, id: string) => routes[key].path.replace(/:\w+/, id);

/** A request each of these routes accepts from a role allowed to call it (null: not one of them). */
export function schoolLineSampleCall(key: RouteKey, r: SchoolLineRecords): Call | null {
  const classQuery = `grade=${r.grade}&className=${encodeURIComponent(r.className)}`;
  switch (key) {
    case 'calendarGet':
      return { path: routes[key].path };
    case 'calendarSetTerms':
      return {
        path: routes[key].path,
        body: { schoolYear: 2031, terms: [{ term: 'autumn', startsOn: '2031-09-01', endsOn: '2032-01-20' }] },
      };
    case 'calendarSetDay':
      return { path: at(key, '2031-10-15'), body: { kind: 'off', note: '矩阵测试放假' } };
    case 'calendarResetDay':
      return { path: at(key, '2031-10-15') };
    case 'classesSetTeachers':
      return { path: routes[key].path, body: { grade: r.grade, className: r.className, userIds: [r.teacherId] } };
    case 'rollCallsSheet':
      return { path: `${routes[key].path}?${classQuery}&day=${r.day}` };
    case 'rollCallsWeek':
      return { path: `${routes[key].path}?${classQuery}&weekOf=${r.day}` };
    case 'rollCallsSubmit':
      return {
        path: routes[key].path,
        body: {
          clientKey: r.rollCallClientKey,
          grade: r.grade,
          className: r.className,
          day: r.day,
          marks: [{ childId: r.absentPupilId, reason: 'unexcused' }],
        },
      };
    case 'absenceAlertsList':
      return { path: `${routes[key].path}?limit=20` };
    case 'pupilsFollowUp':
      return { path: at(key, r.absentPupilId) };
    case 'pupilsFamilyContact':
      return {
        path: at(key, r.absentPupilId),
        body: {
          contactedOn: r.day,
          channel: 'phone',
          contactPerson: '母亲',
          outcome: 'returning',
          note: '孩子感冒，明天返校',
          nextStep: null,
        },
      };
    case 'pupilsReport':
      return { path: at(key, r.absentPupilId), body: { clientKey: r.reportClientKey, reason: '连续多日未到校，家长联系不上' } };
    case 'leaveCreate':
      return {
        path: routes[key].path,
        body: {
          clientKey: r.leaveClientKey,
          childId: r.pupilId,
          kind: 'personal',
          fromDay: r.leaveDays[0],
          toDay: r.leaveDays[0],
          reason: '家中有事需要请假',
          photoUploadId: null,
        },
      };
    case 'leaveMine':
    case 'leaveList':
      return { path: `${routes[key].path}?limit=20` };
    case 'leaveWithdraw':
      return { path: at(key, r.withdrawLeaveId) };
    case 'leaveDecide':
      return { path: at(key, r.leaveId), body: { approve: true, note: '同意，注意休息' } };
    case 'pupilChangesCreate':
      return {
        path: routes[key].path,
        body: {
          childId: r.movingPupilId,
          kind: 'moved_away',
          effectiveOn: r.day,
          toSchoolId: null,
          destination: '浙江省杭州市',
          reason: '随父母外出务工迁居',
          documentUploadId: null,
        },
      };
    case 'pupilChangesList':
      return { path: `${routes[key].path}?limit=20` };
    case 'pupilChangesConfirm':
      return { path: at(key, r.transferInId), body: { approve: true, note: '已接收' } };
    case 'pupilChangesDecide':
      return { path: at(key, r.suspensionId), body: { approve: true, note: '同意休学' } };
    default:
      return null;
  }
}

type Account = 'parent' | 'supervisor' | 'village-cadre' | 'township-cadre' | 'school-staff' | 'school-leader' | 'county-admin';

/** The same routes aimed at the other county's records: not found. */
export function schoolLineOutOfScopeCall(key: RouteKey, r: SchoolLineRecords): { call: Call; status: number; as?: Account } | null {
  const sample = schoolLineSampleCall(key, r);
  switch (key) {
    case 'pupilsFollowUp':
    case 'pupilsFamilyContact':
    case 'pupilsReport':
      return { call: { path: at(key, r.other.pupilId), body: freshKey(key, sample?.body) }, status: 404, as: 'school-leader' };
    case 'leaveWithdraw':
      return { call: { path: at(key, r.other.leaveId) }, status: 404, as: 'parent' };
    case 'leaveDecide':
      return { call: { path: at(key, r.other.leaveId), body: sample?.body }, status: 404, as: 'school-leader' };
    case 'pupilChangesConfirm':
      return { call: { path: at(key, r.other.transferId), body: sample?.body }, status: 404, as: 'school-staff' };
    case 'pupilChangesDecide':
      return { call: { path: at(key, r.other.suspensionId), body: sample?.body }, status: 404 };
    default:
      return null;
  }
}

/** A report aimed elsewhere is a new submission: its own idempotency key (a used one names the pupil it reported). */
function freshKey<B>(key: RouteKey, body: B): B {
  return key === 'pupilsReport' && body && typeof body === 'object' && !(body instanceof FormData)
    ? ({ ...body, clientKey: randomUUID() } as B)
    : body;
}

/** Routes whose path names a day of the caller's own county's calendar: there is no other county's record to aim at. */
export const OWN_COUNTY_CALENDAR_ROUTES: ReadonlySet<RouteKey> = new Set(['calendarSetDay', 'calendarResetDay']);

/**
 * The records of the same county each account must not reach through a school-line route: a pupil
 * or a leave request of a class the 班主任 does not teach, a pupil and a transfer of another school,
 * another family's leave request.
 */
export function schoolLineSameCountyCalls(
  key: RouteKey,
  account: string,
  r: SchoolLineRecords,
  sample: Record<string, unknown> | FormData | undefined,
): Array<{ path: string; body?: Record<string, unknown> | FormData }> {
  const s = r.sameCounty;
  const school = account === 'school-staff' || account === 'school-leader';
  switch (key) {
    case 'pupilsFollowUp':
    case 'pupilsFamilyContact':
    case 'pupilsReport': {
      const body = freshKey(key, sample);
      const otherSchool = { path: at(key, s.otherSchoolPupilId), body };
      // a pupil of another class of her own school is not one she reads (her classes only): not found
      if (account === 'school-staff') return [{ path: at(key, s.otherClassPupilId), body }, otherSchool];
      return school ? [otherSchool] : [];
    }
    case 'rollCallsSheet':
    case 'rollCallsWeek':
      // 五年级2班 of her own school, which she does not teach
      return account === 'school-staff' ? [{ path: `${routes[key].path}?grade=${r.grade}&className=${encodeURIComponent('2班')}` }] : [];
    case 'rollCallsSubmit':
      // not found before its marks (a pupil of 五年级1班) are looked at
      return account === 'school-staff' && sample && !(sample instanceof FormData)
        ? [{ path: routes[key].path, body: { ...sample, className: '2班', clientKey: randomUUID() } }]
        : [];
    case 'leaveWithdraw':
      return account === 'parent' ? [{ path: at(key, s.otherClassLeaveId) }] : [];
    case 'leaveDecide':
      // the leader decides for every class of the school; nobody of this school for another school's
      if (account === 'school-staff') return [s.otherClassLeaveId, s.otherSchoolLeaveId].map((id) => ({ path: at(key, id), body: sample }));
      return school ? [{ path: at(key, s.otherSchoolLeaveId), body: sample }] : [];
    case 'pupilChangesConfirm':
      return school ? [{ path: at(key, s.otherSchoolTransferId), body: sample }] : [];
    case 'leaveCreate':
      // another family's child
      return account === 'parent'
        ? [{ path: routes[key].path, body: { ...sample, childId: s.otherClassPupilId, clientKey: randomUUID() } }]
        : [];
    default:
      return [];
  }
}

/** The rows the out-of-scope calls aim at: they must read the same after every call. */
export const SCHOOL_LINE_ROWS: ReadonlyArray<[EntityTarget<ObjectLiteral>, (r: SchoolLineRecords) => Record<string, string>]> = [
  [LeaveRequest, (r) => ({ id: r.sameCounty.otherClassLeaveId })],
  [LeaveRequest, (r) => ({ id: r.sameCounty.otherSchoolLeaveId })],
  [PupilChange, (r) => ({ id: r.sameCounty.otherSchoolTransferId })],
];
