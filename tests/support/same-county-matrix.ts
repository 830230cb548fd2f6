import { routes, type RouteKey } from '@baoxue/shared';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { ChildGuardian } from '../../server/src/modules/children/child-guardian.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from '../../server/src/modules/enrolment/enrolment.entities';
import { SchoolNotice } from '../../server/src/modules/school-notices/school-notice.entities';
import { SubsidyComplaint } from '../../server/src/modules/subsidies/subsidy.entities';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import type { ApiClient } from './api';
import { clientFor, createUser } from './factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, schoolByName } from './pupils';
import type { TestServer } from './server';
import { fileTip, WUMING, ZHAIHE, ZHANGWEIZI } from './tips';

/**
 * Records of the demo county that are still out of the demo accounts' scope: a tip and its case in
 * 寨河镇 (another township: the 十里镇 and 吴明村 officials must not see them), a case in another
 * village of 十里镇 (the 吴明村 cadre must not see it), a pupil, an enrolment notice, a deferral and a
 * school notice of 寨河镇 and its school (the 十里镇中心小学 staff must not see them), a neighbour's child
 * with a complaint (the demo parent is not bound to it) and another supervisor's tip in 吴明村.
 */
export interface SameCountyRecords {
  zhaiheTipId: string;
  zhaiheCaseId: string;
  /** A case of 十里镇 outside 吴明村. */
  otherVillageCaseId: string;
  /** A tip another supervisor of 吴明村 sent. */
  neighbourTipId: string;
  zhaihePupilId: string;
  zhaiheBatchId: string;
  zhaiheNoticeId: string;
  zhaiheDeferralId: string;
  zhaiheSchoolNoticeId: string;
  /** A pupil of the demo parent's school and village, bound to another family, with a complaint. */
  neighbourChildId: string;
  neighbourComplaintId: string;
}

/** A village of 十里镇 other than 吴明村. */
const SHILI_OTHER_VILLAGE = '411522101001';
const ZHAIHE_SCHOOL = '光山县寨河镇中心小学';

export async function seedSameCountyRecords(server: TestServer, county: ApiClient): Promise<SameCountyRecords> {
  const { dataSource } = server;
  const supervisorOf = async (village: string) =>
    clientFor(server, await createUser(dataSource, { role: 'supervisor', unitDivisionCode: village, countyCode: DEMO_COUNTY }));
  const zhaiheSupervisor = await supervisorOf(ZHANGWEIZI);
  const neighbour = await supervisorOf(WUMING);
  const tipOf = async (client: ApiClient, village: string, name: string) => {
    const response = await fileTip(client, { divisionCode: village, child: { name } });
    if (response.status !== 201) throw new Error(`matrix tip failed: ${response.status} ${JSON.stringify(response.body)}`);
    return dataSource.manager.findOneByOrFail(Tip, { id: response.body.tip.id });
  };
  const zhaiheTip = await tipOf(zhaiheSupervisor, ZHANGWEIZI, '寨河孩子');
  const otherVillageTip = await tipOf(neighbour, SHILI_OTHER_VILLAGE, '十里街孩子');
  const neighbourTip = await tipOf(neighbour, WUMING, '邻家孩子');

  const zhaiheSchoolId = (await schoolByName(dataSource, ZHAIHE_SCHOOL)).id;
  const zhaihePupil = await createPupil(dataSource, { name: '寨河学生', schoolId: zhaiheSchoolId, villageCode: ZHANGWEIZI });
  await createPupil(dataSource, { name: '寨河新生', birthDate: '2021-03-03', grade: null, studentNumber: null, villageCode: ZHANGWEIZI });
  const issued = await county.post<{ batch: { id: string } }>('/enrolment/batches', {
    kind: 'new_entrants',
    schoolYear: 2027,
    schoolId: zhaiheSchoolId,
    catchment: [ZHANGWEIZI],
    reportOn: '2027-08-30',
    reportTime: '上午8:00',
    reportPlace: '学校大厅',
    bring: '户口簿',
    contact: '孙老师',
    acknowledgeBy: '2027-07-15',
  });
  if (issued.status !== 201) throw new Error(`matrix enrolment failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  const notice = await dataSource.manager.findOneByOrFail(EnrolmentNotice, { batchId: issued.body.batch.id });
  const now = new Date();
  const zhaiheDeferralId = newId();
  await dataSource.manager.insert(DeferralApplication, {
    id: zhaiheDeferralId,
    noticeId: notice.id,
    childId: notice.childId,
    countyCode: notice.countyCode,
    villageCode: notice.villageCode,
    applicantId: newId(),
    reason: '身体原因需要延缓入学',
    photoId: newId(),
    status: 'pending',
    appliedAt: now,
    decidedBy: null,
    decidedUnit: null,
    decidedAt: null,
    decisionNote: null,
  });
  const zhaiheSchoolNoticeId = newId();
  await dataSource.manager.insert(SchoolNotice, {
    id: zhaiheSchoolNoticeId,
    schoolId: zhaiheSchoolId,
    countyCode: DEMO_COUNTY,
    audience: 'school',
    grade: null,
    className: null,
    title: '寨河镇中心小学通知',
    body: '寨河镇中心小学通知内容',
    sentBy: newId(),
    sentAt: now,
    pupils: 1,
    pupilsReached: 0,
    recipients: 0,
  });

  const neighbourChild = await createPupil(dataSource, {
    name: '邻家学生',
    schoolId: (await schoolByName(dataSource, DEMO_SCHOOL)).id,
    villageCode: WUMING,
  });
  const neighbourComplaintId = newId();
  await dataSource.manager.insert(SubsidyComplaint, {
    id: neighbourComplaintId,
    childId: neighbourChild.id,
    countyCode: DEMO_COUNTY,
    raisedBy: newId(),
    paymentId: null,
    semester: '2024-autumn',
    text: '邻家投诉：补助没有收到',
    status: 'open',
    version: 1,
    createdAt: now,
    dueAt: now,
    handlerId: null,
    answer: null,
    answeredAt: null,
    closedAt: null,
  });
  return {
    zhaiheTipId: zhaiheTip.id,
    zhaiheCaseId: zhaiheTip.caseId!,
    otherVillageCaseId: otherVillageTip.caseId!,
    neighbourTipId: neighbourTip.id,
    zhaihePupilId: zhaihePupil.id,
    zhaiheBatchId: issued.body.batch.id,
    zhaiheNoticeId: notice.id,
    zhaiheDeferralId,
    zhaiheSchoolNoticeId,
    neighbourChildId: neighbourChild.id,
    neighbourComplaintId,
  };
}

interface Call {
  path: string;
  body?: Record<string, unknown> | FormData;
  /** The answers that keep the record out of reach, when not just 404 (or 403 for a role the service refuses). */
  statuses?: readonly number[];
}

type Account = 'parent' | 'supervisor' | 'village-cadre' | 'township-cadre' | 'school-staff' | 'school-leader';
/** Everyone below the county admin, who sees the whole county. */
export const SAME_COUNTY_ACCOUNTS: readonly Account[] = [
  'parent',
  'supervisor',
  'village-cadre',
  'township-cadre',
  'school-staff',
  'school-leader',
];
const OFFICIALS: readonly Account[] = ['village-cadre', 'township-cadre', 'school-staff', 'school-leader'];

const at = (key: RouteKey, id: string) => routes[key].path.replace(/:\w+/, id);

/**
 * The records of the same county each account must not reach through a route: another township's
 * case (and, for the village cadre, another village's), another school's pupil and notices, another
 * family's child, another supervisor's tip. `sample` is the route's in-scope body, reused as is.
 */
export function sameCountyOutOfScopeCalls(
  key: RouteKey,
  account: Account,
  r: SameCountyRecords,
  sample: Call['body'],
  /** A case of 吴明村 (in scope for its cadres and 十里镇's), to merge an out-of-scope case into and back. */
  ownCaseId: string,
): Call[] {
  const official = OFFICIALS.includes(account);
  const atSchool = account === 'school-staff' || account === 'school-leader';
  const cases = account === 'village-cadre' ? [r.zhaiheCaseId, r.otherVillageCaseId] : [r.zhaiheCaseId];
  switch (key) {
    case 'casesGet':
    case 'casesAssignees':
    case 'casesAccept':
    case 'casesReturnToTriage':
    case 'casesTransition':
    case 'casesLogVisit':
    case 'casesSetCauses':
    case 'casesSetAssignee':
    case 'casesConfirmEnrolment':
    case 'casesAttendance':
    case 'casesRecordAttendance':
    case 'casesTransfer':
    case 'transfersAccept':
    case 'transfersReject':
    case 'noticesPaperDelivery':
    case 'rechecksComplete':
      return official ? cases.map((id) => ({ path: at(key, id), body: sample })) : [];
    case 'noticesAcknowledge':
      // a formal notice of a case that is not the caller's child
      return cases.map((id) => ({ path: at(key, id) }));
    case 'casesMerge':
      if (!official) return [];
      // both ways: an out-of-scope case into one's own, one's own into an out-of-scope case (a body
      // reference is answered 400 naming the field, as for any case the caller cannot reach)
      return cases.flatMap((id) => [
        { path: at(key, id), body: { ...sample, intoCaseId: ownCaseId }, statuses: atSchool ? [400, 404] : [404] },
        { path: at(key, ownCaseId), body: { ...sample, intoCaseId: id }, statuses: atSchool ? [400, 404] : [400] },
      ]);
    case 'tipsReveal':
    case 'tipsSplit':
      return official ? [{ path: at(key, r.zhaiheTipId), body: sample }] : [];
    case 'tipsGet':
      return account === 'supervisor' ? [r.zhaiheTipId, r.neighbourTipId].map((id) => ({ path: at(key, id) })) : [];
    case 'childrenGuardians':
      return official ? [{ path: at(key, r.zhaihePupilId) }] : [];
    case 'childrenSubsidies':
      return official ? [{ path: at(key, r.zhaihePupilId) }] : account === 'parent' ? [{ path: at(key, r.neighbourChildId) }] : [];
    case 'childrenUnbind':
    case 'childrenAccessHistory':
      return account === 'parent' ? [{ path: at(key, r.neighbourChildId) }] : [];
    case 'childrenMerges':
      return official ? [{ path: at(key, r.zhaihePupilId) }] : [];
    case 'enrolmentBatchPdf':
    case 'enrolmentRemind':
      return official ? [{ path: at(key, r.zhaiheBatchId), body: sample }] : [];
    case 'enrolmentGet':
    case 'enrolmentPdf':
    case 'enrolmentAcknowledge':
    case 'deferralsApply':
      return [{ path: at(key, r.zhaiheNoticeId), body: sample }];
    case 'deferralsDecide':
      return official ? [{ path: at(key, r.zhaiheDeferralId), body: sample }] : [];
    case 'schoolNoticesGet':
    case 'schoolNoticesRead':
      return [{ path: at(key, r.zhaiheSchoolNoticeId) }];
    case 'complaintsCreate':
      return account === 'parent'
        ? [{ path: routes[key].path, body: { childId: r.neighbourChildId, semester: '2024-autumn', text: '邻家孩子的补助' } }]
        : [];
    case 'statsDropout':
    case 'statsExport':
      // another township's figures (the refusal is a 403, as for another county's)
      return official ? [{ path: `${routes[key].path}?schoolYear=2026&under=${ZHAIHE}` }] : [];
    case 'complaintsGet':
    case 'complaintsTransition':
      return account === 'parent' ? [{ path: at(key, r.neighbourComplaintId), body: sample }] : [];
    default:
      return [];
  }
}

/** The rows the out-of-scope calls aim at: they must read the same after every call. */
export const SAME_COUNTY_ROWS: ReadonlyArray<[EntityTarget<ObjectLiteral>, (r: SameCountyRecords) => Record<string, string>]> = [
  [DropoutCase, (r) => ({ id: r.zhaiheCaseId })],
  [DropoutCase, (r) => ({ id: r.otherVillageCaseId })],
  [Tip, (r) => ({ id: r.zhaiheTipId })],
  [Tip, (r) => ({ id: r.neighbourTipId })],
  [Child, (r) => ({ id: r.zhaihePupilId })],
  [Child, (r) => ({ id: r.neighbourChildId })],
  [ChildGuardian, (r) => ({ childId: r.neighbourChildId })],
  [EnrolmentBatch, (r) => ({ id: r.zhaiheBatchId })],
  [EnrolmentNotice, (r) => ({ id: r.zhaiheNoticeId })],
  [DeferralApplication, (r) => ({ id: r.zhaiheDeferralId })],
  [SchoolNotice, (r) => ({ id: r.zhaiheSchoolNoticeId })],
  [SubsidyComplaint, (r) => ({ id: r.neighbourComplaintId })],
];
