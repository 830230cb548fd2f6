import { routes, type RouteKey } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from '../../server/src/modules/enrolment/enrolment.entities';
import { SchoolNotice } from '../../server/src/modules/school-notices/school-notice.entities';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPolicyRow } from '../../server/src/modules/subsidies/subsidy.entities';
import type { ApiClient } from './api';
import { OTHER_COUNTY } from './factories';
import { createPupil, DEMO_SCHOOL, schoolByName, workbook } from './pupils';
import type { TestServer } from './server';
import { imageForm, photoWithGps, WUMING } from './tips';

/**
 * Records for the access matrix's parent, notice and subsidy routes: in the demo county (bound to
 * the demo parent) and in the other county (for the out-of-scope calls).
 */
export interface ParentRecords {
  schoolId: string;
  pupilId: string;
  studentNumber: string;
  unbindPupilId: string;
  batchId: string;
  noticeId: string;
  /** A notice of the demo parent's other new entrant, and the parent's photo of a certificate, for applying to defer. */
  deferNoticeId: string;
  deferralPhotoId: string;
  deferralId: string;
  schoolNoticeId: string;
  policyId: string;
  eligibilityId: string;
  complaintId: string;
  /** The version of the answered complaint. */
  complaintVersion: number;
  other: {
    pupilId: string;
    batchId: string;
    noticeId: string;
    deferralId: string;
    schoolNoticeId: string;
    policyId: string;
    eligibilityId: string;
    complaintId: string;
  };
  payments: Buffer;
  eligibility: Buffer;
}

export async function seedParentRecords(
  server: TestServer,
  clients: { parent: ApiClient; county: ApiClient; staff: ApiClient },
  otherSchoolId: string,
): Promise<ParentRecords> {
  const { dataSource } = server;
  const schoolId = (await schoolByName(dataSource, DEMO_SCHOOL)).id;
  const pupil = await createPupil(dataSource, { name: '矩阵学生', schoolId, grade: 3, bindingCode: 'MATRIX22' });
  const leaving = await createPupil(dataSource, { name: '矩阵解绑', schoolId, grade: 3, bindingCode: 'MATRIX33' });
  // two new entrants of the demo parent: one notice to acknowledge, one to apply for a deferral on
  const entrant = { grade: null, studentNumber: null, villageCode: WUMING };
  const newcomer = await createPupil(dataSource, { name: '矩阵新生', birthDate: '2021-02-02', bindingCode: 'MATRIX44', ...entrant });
  const deferring = await createPupil(dataSource, { name: '矩阵缓学', birthDate: '2021-03-03', bindingCode: 'MATRIX55', ...entrant });
  await clients.parent.post('/children/bind', { bindingCode: 'MATRIX22', childName: '矩阵学生', relation: 'mother' });
  await clients.parent.post('/children/bind', { bindingCode: 'MATRIX33', childName: '矩阵解绑', relation: 'mother' });
  for (const [bindingCode, childName] of [
    ['MATRIX44', '矩阵新生'],
    ['MATRIX55', '矩阵缓学'],
  ]) {
    const bound = await clients.parent.post('/children/bind', { bindingCode, childName, relation: 'mother' });
    if (bound.status >= 300) throw new Error(`matrix binding: ${bound.status} ${JSON.stringify(bound.body)}`);
  }
  const document = await clients.parent.post<{ id: string }>('/uploads?purpose=deferral_document', imageForm(await photoWithGps(64, 64)));
  const issued = await clients.county.post<{ batch: { id: string } }>('/enrolment/batches', {
    ...enrolmentBody(schoolId),
  });
  const notice = await dataSource.manager.findOneByOrFail(EnrolmentNotice, { batchId: issued.body.batch.id, childId: newcomer.id });
  const deferNotice = await dataSource.manager.findOneByOrFail(EnrolmentNotice, { batchId: issued.body.batch.id, childId: deferring.id });
  const deferralId = newId();
  await dataSource.manager.insert(DeferralApplication, deferral(deferralId, notice));
  const sent = await clients.staff.post<{ id: string }>('/school-notices', {
    audience: { kind: 'school' },
    title: '矩阵通知',
    body: '矩阵测试通知',
  });
  const policy = await clients.county.post<{ id: string }>('/subsidies/policies', {
    kind: 'top_up',
    label: '矩阵县级补助',
    amountYuan: 100,
    effectiveFrom: '2024-09-01',
  });
  const eligibility = await clients.county.request<{ id: string }>('PUT', '/subsidies/eligibility', {
    childId: pupil.id,
    schoolYear: 2024,
    category: 'registered_poor',
    boarding: false,
  });
  const complaint = await clients.parent.post<{ id: string }>('/subsidies/complaints', {
    childId: pupil.id,
    semester: '2024-autumn',
    text: '矩阵测试：补助还没有收到',
  });
  // answered by the county, so the parent can close it
  const answered = await clients.county.post<{ version: number }>(`/subsidies/complaints/${complaint.body.id}/transitions`, {
    transition: 'answer',
    version: 1,
    text: '补助已于本月发放到银行卡',
  });
  if (answered.status !== 200) throw new Error(`matrix complaint answer: ${answered.status} ${JSON.stringify(answered.body)}`);

  // the other county's records, written directly
  const now = new Date();
  const otherPupil = await createPupil(dataSource, {
    name: '别县学生',
    schoolId: otherSchoolId,
    villageCode: OTHER_COUNTY.village,
    countyCode: OTHER_COUNTY.code,
    bindingCode: 'OTHERC22',
  });
  const otherBatch: EnrolmentBatch = {
    id: newId(),
    countyCode: OTHER_COUNTY.code,
    kind: 'new_entrants',
    schoolYear: 2027,
    schoolId: otherSchoolId,
    reportOn: '2027-08-30',
    reportTime: '上午',
    reportPlace: '学校',
    bring: '户口簿',
    contact: '王老师',
    acknowledgeBy: '2027-07-15',
    issuerName: '罗山县教育局',
    issuedBy: newId(),
    issuedAt: now,
  };
  await dataSource.manager.insert(EnrolmentBatch, otherBatch);
  const otherNotice: EnrolmentNotice = {
    id: newId(),
    batchId: otherBatch.id,
    childId: otherPupil.id,
    schoolYear: 2027,
    schoolId: otherSchoolId,
    countyCode: OTHER_COUNTY.code,
    villageCode: OTHER_COUNTY.village,
    text: '入学通知书',
    issuedAt: now,
    readAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    remindedAt: null,
    reminders: 0,
  };
  await dataSource.manager.insert(EnrolmentNotice, otherNotice);
  const otherDeferralId = newId();
  await dataSource.manager.insert(DeferralApplication, deferral(otherDeferralId, otherNotice));
  const otherSchoolNoticeId = newId();
  await dataSource.manager.insert(SchoolNotice, {
    id: otherSchoolNoticeId,
    schoolId: otherSchoolId,
    countyCode: OTHER_COUNTY.code,
    audience: 'school',
    grade: null,
    className: null,
    title: '别县通知',
    body: '别县通知内容',
    sentBy: newId(),
    sentAt: now,
    pupils: 1,
    pupilsReached: 0,
    recipients: 0,
  });
  const otherPolicyId = newId();
  await dataSource.manager.insert(SubsidyPolicyRow, {
    id: otherPolicyId,
    kind: 'top_up',
    countyCode: OTHER_COUNTY.code,
    label: '别县补助',
    stage: null,
    boarding: null,
    categories: null,
    amountFen: 10_000,
    effectiveFrom: '2024-09-01',
    effectiveTo: null,
    createdBy: null,
    createdAt: now,
  });
  const otherEligibilityId = newId();
  await dataSource.manager.insert(SubsidyEligibilityRow, {
    id: otherEligibilityId,
    childId: otherPupil.id,
    countyCode: OTHER_COUNTY.code,
    schoolId: otherSchoolId,
    schoolYear: 2024,
    category: 'orphan',
    stage: 'primary',
    boarding: false,
    source: 'manual',
    confirmedBy: newId(),
    confirmedAt: now,
  });
  const otherComplaintId = newId();
  await dataSource.manager.insert(SubsidyComplaint, {
    id: otherComplaintId,
    childId: otherPupil.id,
    countyCode: OTHER_COUNTY.code,
    raisedBy: newId(),
    paymentId: null,
    semester: '2024-autumn',
    text: '别县投诉',
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
    schoolId,
    pupilId: pupil.id,
    studentNumber: pupil.studentNumber!,
    unbindPupilId: leaving.id,
    batchId: issued.body.batch.id,
    noticeId: notice.id,
    deferNoticeId: deferNotice.id,
    deferralPhotoId: document.body.id,
    deferralId,
    schoolNoticeId: sent.body.id,
    policyId: policy.body.id,
    eligibilityId: eligibility.body.id,
    complaintId: complaint.body.id,
    complaintVersion: answered.body.version,
    other: {
      pupilId: otherPupil.id,
      batchId: otherBatch.id,
      noticeId: otherNotice.id,
      deferralId: otherDeferralId,
      schoolNoticeId: otherSchoolNoticeId,
      policyId: otherPolicyId,
      eligibilityId: otherEligibilityId,
      complaintId: otherComplaintId,
    },
    payments: await workbook(
      ['学籍号', '姓名', '学期', '金额（元）', '发放状态', '发放渠道'],
      [[pupil.studentNumber!, '矩阵学生', '2024年秋季学期', '312.5', '已审批', '银行卡']],
    ),
    eligibility: await workbook(
      ['学籍号', '姓名', '学年', '困难类别', '是否寄宿'],
      [[pupil.studentNumber!, '矩阵学生', '2024', '脱贫户', '否']],
    ),
  };
}

function enrolmentBody(schoolId: string) {
  return {
    kind: 'new_entrants',
    schoolYear: 2027,
    schoolId,
    catchment: [WUMING],
    reportOn: '2027-08-30',
    reportTime: '上午8:00',
    reportPlace: '学校大厅',
    bring: '户口簿',
    contact: '赵老师',
    acknowledgeBy: '2027-07-15',
  };
}

function deferral(id: string, notice: EnrolmentNotice): DeferralApplication {
  return {
    id,
    noticeId: notice.id,
    childId: notice.childId,
    countyCode: notice.countyCode,
    villageCode: notice.villageCode,
    applicantId: newId(),
    reason: '身体原因需要延缓入学',
    photoId: newId(),
    status: 'pending',
    appliedAt: new Date(),
    decidedBy: null,
    decidedUnit: null,
    decidedAt: null,
    decisionNote: null,
  };
}

interface Call {
  path: string;
  body?: Record<string, unknown> | FormData;
}

function form(content: Buffer): FormData {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(content)]), 'sheet.xlsx');
  return data;
}

const at = (key: RouteKey, id: string) => routes[key].path.replace(':id', id);

/** A request each of these routes accepts from a role allowed to call it (null: not one of them). */
export function parentSampleCall(key: RouteKey, r: ParentRecords): Call | null {
  switch (key) {
    case 'childrenBind':
      return { path: routes[key].path, body: { bindingCode: 'MATRIX22', childName: '矩阵学生', relation: 'mother' } };
    case 'childrenUnbind':
      return { path: at(key, r.unbindPupilId) };
    case 'childrenGuardians':
    case 'childrenSubsidies':
    case 'childrenAccessHistory':
      return { path: at(key, r.pupilId) };
    case 'enrolmentIssue':
      return { path: routes[key].path, body: { ...enrolmentBody(r.schoolId), dryRun: true } };
    case 'enrolmentBatchPdf':
      return { path: at(key, r.batchId) };
    case 'enrolmentRemind':
      return { path: at(key, r.batchId), body: {} };
    case 'enrolmentGet':
    case 'enrolmentPdf':
    case 'enrolmentAcknowledge':
      return { path: at(key, r.noticeId) };
    case 'deferralsApply':
      return { path: at(key, r.deferNoticeId), body: { reason: '孩子身体原因', photoId: r.deferralPhotoId } };
    case 'deferralsDecide':
      return { path: at(key, r.deferralId), body: { decision: 'approve' } };
    case 'schoolNoticesSend':
      return { path: routes[key].path, body: { audience: { kind: 'grade', grade: 3 }, title: '三年级通知', body: '矩阵测试' } };
    case 'schoolNoticesGet':
    case 'schoolNoticesRead':
      return { path: at(key, r.schoolNoticeId) };
    case 'subsidyPoliciesCreate':
      return { path: routes[key].path, body: { kind: 'nutrition', label: '县级营养餐', amountYuan: 5, effectiveFrom: '2026-09-01' } };
    case 'subsidyPoliciesEnd':
      return { path: at(key, r.policyId), body: { effectiveTo: '2027-08-31' } };
    case 'eligibilitySet':
      return { path: routes[key].path, body: { childId: r.pupilId, schoolYear: 2025, category: 'orphan', boarding: false } };
    case 'eligibilityRevoke':
      return { path: at(key, r.eligibilityId) };
    case 'eligibilityImport':
      return { path: routes[key].path, body: form(r.eligibility) };
    case 'paymentsImport':
      return { path: routes[key].path, body: form(r.payments) };
    case 'complaintsCreate':
      return { path: routes[key].path, body: { childId: r.pupilId, semester: '2024-autumn', text: '矩阵测试：还是没收到' } };
    case 'complaintsGet':
      return { path: at(key, r.complaintId) };
    case 'complaintsTransition':
      return { path: at(key, r.complaintId), body: { transition: 'close', version: r.complaintVersion } };
    default:
      return null;
  }
}

type Account = 'parent' | 'supervisor' | 'village-cadre' | 'township-cadre' | 'school-staff' | 'county-admin';

/** The same routes aimed at the other county's records (or a child not bound to the caller): not found. */
export function parentOutOfScopeCall(key: RouteKey, r: ParentRecords): { call: Call; status: number; as?: Account } | null {
  const sample = parentSampleCall(key, r);
  switch (key) {
    case 'childrenUnbind':
    case 'childrenAccessHistory':
      return { call: { path: at(key, r.other.pupilId) }, status: 404, as: 'parent' };
    case 'childrenGuardians':
    case 'childrenSubsidies':
      return { call: { path: at(key, r.other.pupilId) }, status: 404 };
    case 'enrolmentBatchPdf':
    case 'enrolmentRemind':
      return { call: { path: at(key, r.other.batchId), body: sample?.body }, status: 404 };
    case 'enrolmentGet':
    case 'enrolmentPdf':
      return { call: { path: at(key, r.other.noticeId) }, status: 404 };
    case 'enrolmentAcknowledge':
    case 'deferralsApply':
      return { call: { path: at(key, r.other.noticeId), body: sample?.body }, status: 404, as: 'parent' };
    case 'deferralsDecide':
      return { call: { path: at(key, r.other.deferralId), body: sample?.body }, status: 404 };
    case 'schoolNoticesGet':
      return { call: { path: at(key, r.other.schoolNoticeId) }, status: 404 };
    case 'schoolNoticesRead':
      return { call: { path: at(key, r.other.schoolNoticeId) }, status: 404, as: 'parent' };
    case 'subsidyPoliciesEnd':
      return { call: { path: at(key, r.other.policyId), body: sample?.body }, status: 404 };
    case 'eligibilityRevoke':
      return { call: { path: at(key, r.other.eligibilityId) }, status: 404 };
    case 'complaintsGet':
    case 'complaintsTransition':
      return { call: { path: at(key, r.other.complaintId), body: sample?.body }, status: 404 };
    default:
      return null;
  }
}
