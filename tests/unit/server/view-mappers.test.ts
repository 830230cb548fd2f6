import {
  childSubsidiesResponse,
  complaintView,
  deferralView,
  eligibilityView,
  enrolmentBatchView,
  enrolmentNoticeView,
  followUpResponse,
  messageView,
  paymentView,
  policyView,
  receivedSchoolNoticeView,
  schoolNoticeView,
  subscriptionsResponse,
} from '@baoxue/shared';
import type { z } from 'zod';
import type { Child } from '../../../server/src/modules/children/child.entity';
import type { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from '../../../server/src/modules/enrolment/enrolment.entities';
import {
  mapDeferral,
  mapEnrolmentBatch,
  mapEnrolmentNotice,
  mapFollowUpGroup,
  mapFollowUpItem,
} from '../../../server/src/modules/enrolment/enrolment.mappers';
import type { InboxMessage } from '../../../server/src/modules/notifications/notification.entities';
import { mapMessage, mapSubscriptions } from '../../../server/src/modules/notifications/notification.mappers';
import type { SchoolNotice } from '../../../server/src/modules/school-notices/school-notice.entities';
import { audienceLabel, mapReceivedSchoolNotice, mapSchoolNotice } from '../../../server/src/modules/school-notices/school-notice.mappers';
import type {
  SubsidyComplaint,
  SubsidyComplaintEvent,
  SubsidyEligibilityRow,
  SubsidyPayment,
  SubsidyPolicyRow,
} from '../../../server/src/modules/subsidies/subsidy.entities';
import {
  complaintSubject,
  mapChildSubsidies,
  mapComplaint,
  mapEligibility,
  mapPayment,
  mapPolicy,
  SUBSIDY_OFFICE,
} from '../../../server/src/modules/subsidies/subsidy.mappers';

// Views of subsidies, enrolment, school notices and messages: the exact contract fields, dates as
// ISO strings, unknowns as null, and what a parent sees kept apart from what an official sees.

const ID = '411522201503011238';
const VILLAGE = '411522101201';
const CREATED = new Date('2026-03-02T01:30:00.000Z');
const NOW = new Date('2026-03-10T00:00:00.000Z');
const schoolNames = new Map([['school-1', '十里镇中心小学']]);
const villageNames = new Map([[VILLAGE, '光山县十里镇吴明村民委员会']]);

/** A view carries exactly the contract's fields: nothing more leaks out of the entity. */
function expectShape(schema: z.ZodObject, view: object): void {
  expect(Object.keys(view).sort()).toEqual(Object.keys(schema.shape).sort());
  expect(() => schema.parse(view)).not.toThrow();
}

/** A whole child record, as a careless caller might pass it: the views must still not carry its ID number. */
const child = {
  id: 'child-1',
  name: '吴小明',
  grade: 5,
  schoolId: 'school-1',
  idNumber: ID,
  bindingCode: 'BIND-SECRET',
} as unknown as Child;

function payment(overrides: Partial<SubsidyPayment> = {}): SubsidyPayment {
  return {
    id: 'pay-1',
    childId: 'child-1',
    countyCode: '411522000000',
    schoolId: 'school-1',
    semester: '2025-spring',
    amountFen: 62_500,
    status: 'failed',
    channel: 'social_security_card',
    cardTail: '1234',
    failureReason: '卡号有误',
    paidOn: null,
    reference: 'B-2025-01',
    updatedBy: 'official-1',
    createdAt: CREATED,
    updatedAt: NOW,
    ...overrides,
  };
}

describe('subsidy mappers', () => {
  it('maps a payment with its semester named and the update time as ISO', () => {
    const view = mapPayment(payment(), '吴小明');
    expectShape(paymentView, view);
    expect(view).toMatchObject({ semesterLabel: '2025年春季学期', updatedAt: NOW.toISOString(), paidOn: null, cardTail: '1234' });
    expect(JSON.stringify(view)).not.toContain('official-1');
  });

  it('labels a rate per school year, or per school day for meals', () => {
    const row: SubsidyPolicyRow = {
      id: 'p-1',
      kind: 'nutrition',
      countyCode: null,
      label: '营养膳食补助',
      stage: null,
      boarding: null,
      categories: null,
      amountFen: 500,
      effectiveFrom: '2021-09-01',
      effectiveTo: null,
      createdBy: null,
      createdAt: CREATED,
    };
    expectShape(policyView, mapPolicy(row));
    expect(mapPolicy(row).amountLabel).toBe('5元/在校日');
    expect(mapPolicy({ ...row, kind: 'living_allowance', amountFen: 125_000 }).amountLabel).toBe('1250元/学年');
  });

  const eligibility: SubsidyEligibilityRow = {
    id: 'el-1',
    childId: 'child-1',
    countyCode: '411522000000',
    schoolId: null,
    schoolYear: 2025,
    category: 'subsistence',
    stage: 'primary',
    boarding: true,
    source: 'import',
    confirmedBy: 'official-1',
    confirmedAt: CREATED,
  };

  it('names the child and the school of an eligibility row, never the ID number', () => {
    const view = mapEligibility(eligibility, child, schoolNames);
    expectShape(eligibilityView, view);
    expect(view).toMatchObject({ childName: '吴小明', schoolName: '十里镇中心小学', grade: 5, confirmedAt: CREATED.toISOString() });
    expect(JSON.stringify(view)).not.toContain(ID);
  });

  it('keeps the school the row was confirmed at, and reads a forgotten child as empty', () => {
    expect(mapEligibility({ ...eligibility, schoolId: 'school-2' }, child, schoolNames).schoolName).toBeNull();
    const view = mapEligibility(eligibility, undefined, schoolNames);
    expect(view).toMatchObject({ childName: '', schoolName: null, grade: null });
  });

  const complaint: SubsidyComplaint = {
    id: 'cp-1',
    childId: 'child-1',
    countyCode: '411522000000',
    raisedBy: 'parent-1',
    paymentId: 'pay-1',
    semester: '2025-spring',
    text: '生活补助没有到账',
    status: 'answered',
    version: 3,
    createdAt: CREATED,
    dueAt: new Date('2026-03-09T00:00:00.000Z'),
    handlerId: 'official-1',
    answer: '已重新发放',
    answeredAt: new Date('2026-03-05T02:00:00.000Z'),
    closedAt: null,
  };
  const events: SubsidyComplaintEvent[] = [
    { id: 'e1', complaintId: 'cp-1', at: CREATED, actorId: 'parent-1', side: 'parent', kind: 'submitted', text: '生活补助没有到账' },
    {
      id: 'e2',
      complaintId: 'cp-1',
      at: new Date('2026-03-05T02:00:00.000Z'),
      actorId: 'official-1',
      side: 'county',
      kind: 'answer',
      text: '已重新发放',
    },
  ];
  const related = { child, payment: payment(), events };
  const lookups = { schoolNames, userNames: new Map([['official-1', '李资助']]) };

  it('names the official who answered to the county, and only the office to the parent', () => {
    const county = mapComplaint(complaint, related, lookups, { side: 'county', now: NOW });
    expectShape(complaintView, county);
    expect(county.events.map((e) => e.by)).toEqual(['家长', '李资助']);
    expect(county.actions).toEqual(['close']);

    const parent = mapComplaint(complaint, related, lookups, { side: 'parent', now: NOW });
    expectShape(complaintView, parent);
    expect(parent.events.map((e) => e.by)).toEqual(['家长', SUBSIDY_OFFICE]);
    expect(parent.actions).toEqual(['reopen', 'close']);
    expect(JSON.stringify(parent)).not.toContain('李资助');
    expect(JSON.stringify(parent)).not.toContain(ID);
  });

  it('states the subject, dates as ISO, and overdue only while the office owes an answer', () => {
    const view = mapComplaint(complaint, related, lookups, { side: 'county', now: NOW });
    expect(view.subject).toBe('2025年春季学期 生活补助 625元（发放失败）');
    expect(view).toMatchObject({
      createdAt: CREATED.toISOString(),
      dueAt: '2026-03-09T00:00:00.000Z',
      answeredAt: '2026-03-05T02:00:00.000Z',
    });
    expect(view.overdue).toBe(false);
    const open = mapComplaint({ ...complaint, status: 'open', answer: null, answeredAt: null }, related, lookups, {
      side: 'county',
      now: NOW,
    });
    expect(open).toMatchObject({ overdue: true, answer: null, answeredAt: null, actions: ['accept', 'answer'] });
    expect(mapComplaint({ ...complaint, status: 'open' }, related, lookups, { side: 'county', now: CREATED }).overdue).toBe(false);
    expect(complaintSubject(complaint, null)).toBe('2025年春季学期 应享资助');
  });

  it("assembles a child's subsidy record with the meal plan only when a rate applies", () => {
    const rows = { eligibility: [eligibility], payments: [payment()], complaints: [complaint] };
    const entitlements = [{ semester: '2025-autumn', label: '2025年秋季学期', lines: [], totalFen: 0, paidFen: 0 }];
    const record = mapChildSubsidies(
      'guardian',
      child,
      rows,
      { entitlements, nutrition: { amountFen: 500, effectiveFrom: '2021-09-01' } },
      schoolNames,
    );
    expect(() => childSubsidiesResponse.parse(record)).not.toThrow();
    expect(record.child).toEqual({ id: 'child-1', name: '吴小明', schoolName: '十里镇中心小学', grade: 5 });
    expect(record.eligibility).toEqual([
      { schoolYear: 2025, schoolYearLabel: expect.any(String), category: 'subsistence', stage: 'primary', boarding: true },
    ]);
    expect(record.benefitsInKind).toEqual([expect.objectContaining({ label: '营养改善计划', dailyFen: 500, since: '2021-09-01' })]);
    expect(record.complaints).toEqual([
      { id: 'cp-1', status: 'answered', createdAt: CREATED.toISOString(), subject: '2025年春季学期 生活补助 625元（发放失败）' },
    ]);
    expect(JSON.stringify(record)).not.toContain(ID);
    expect(JSON.stringify(record)).not.toContain('BIND-SECRET');
    // the county's batch number is an office code: a guardian never reads it, an official does
    expect(record.payments.map((p) => p.reference)).toEqual([null]);
    expect(mapChildSubsidies('official', child, rows, { entitlements, nutrition: null }, schoolNames).payments[0]!.reference).toBe(
      payment().reference,
    );
    expect(mapChildSubsidies('guardian', { ...child, schoolId: null }, rows, { entitlements, nutrition: null }, schoolNames)).toMatchObject(
      {
        child: { schoolName: null },
        benefitsInKind: [],
      },
    );
  });
});

describe('enrolment mappers', () => {
  const batch: EnrolmentBatch = {
    id: 'batch-1',
    countyCode: '411522000000',
    kind: 'new_entrants',
    schoolYear: 2026,
    schoolId: 'school-1',
    reportOn: '2026-08-30',
    reportTime: '08:00',
    reportPlace: '学校操场',
    bring: '户口簿',
    contact: '0376-1234567',
    acknowledgeBy: '2026-08-20',
    issuerName: '光山县教育体育局',
    issuedBy: 'official-1',
    issuedAt: CREATED,
  };
  const notice: EnrolmentNotice = {
    id: 'notice-1',
    batchId: 'batch-1',
    childId: 'child-1',
    schoolYear: 2026,
    schoolId: 'school-1',
    countyCode: '411522000000',
    villageCode: VILLAGE,
    text: '吴小明家长：……',
    issuedAt: CREATED,
    readAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    remindedAt: null,
    reminders: 0,
  };
  const application: DeferralApplication = {
    id: 'def-1',
    noticeId: 'notice-1',
    childId: 'child-1',
    countyCode: '411522000000',
    villageCode: VILLAGE,
    applicantId: 'parent-1',
    reason: '身体原因',
    photoId: 'photo-1',
    status: 'pending',
    appliedAt: NOW,
    decidedBy: null,
    decidedUnit: null,
    decidedAt: null,
    decisionNote: null,
  };
  const counts = { total: 3, acknowledged: 1, deferred: 0, pending: 2, overdue: 1, deferralsToDecide: 0 };

  it('maps a batch with its school named and the issue time as ISO', () => {
    const view = mapEnrolmentBatch(batch, schoolNames, counts);
    expectShape(enrolmentBatchView, view);
    expect(view).toMatchObject({ schoolName: '十里镇中心小学', issuedAt: CREATED.toISOString(), counts });
    expect(JSON.stringify(view)).not.toContain('official-1');
    expect(mapEnrolmentBatch(batch, new Map(), counts).schoolName).toBe('');
  });

  const deferralLookups = {
    childNames: new Map([['child-1', '吴小明']]),
    schoolNames,
    villageNames,
    photoUrl: (id: string) => `/api/uploads/${id}/file?sig=x`,
  };

  it('maps a deferral with a signed photo link and nulls until it is decided', () => {
    const view = mapDeferral(application, notice, deferralLookups);
    expectShape(deferralView, view);
    expect(view).toMatchObject({
      childName: '吴小明',
      villageName: '光山县十里镇吴明村民委员会',
      schoolName: '十里镇中心小学',
      schoolYear: 2026,
      photoUrl: '/api/uploads/photo-1/file?sig=x',
      appliedAt: NOW.toISOString(),
      decidedAt: null,
      decidedBy: null,
      decisionNote: null,
    });
    expect(JSON.stringify(view)).not.toContain('parent-1');
    expect(mapDeferral({ ...application, villageCode: null }, undefined, deferralLookups)).toMatchObject({
      villageName: null,
      schoolName: '',
      schoolYear: 0,
    });
  });

  it('offers the receipt and a deferral to the bound guardian only', () => {
    const facts = { state: 'issued' as const, deferral: null, childName: '吴小明', schoolName: '十里镇中心小学' };
    const parent = mapEnrolmentNotice(notice, batch, { ...facts, guardian: true });
    expectShape(enrolmentNoticeView, parent);
    expect(parent.actions).toEqual(['acknowledge', 'apply_deferral']);
    expect(parent).toMatchObject({ issuedAt: CREATED.toISOString(), readAt: null, acknowledgedAt: null, deferral: null });
    expect(mapEnrolmentNotice(notice, batch, { ...facts, guardian: false }).actions).toEqual([]);

    const acknowledged = { ...notice, readAt: CREATED, acknowledgedAt: NOW };
    expect(mapEnrolmentNotice(acknowledged, batch, { ...facts, state: 'acknowledged', guardian: true })).toMatchObject({
      readAt: CREATED.toISOString(),
      acknowledgedAt: NOW.toISOString(),
      actions: ['apply_deferral'],
    });
    const deferral = mapDeferral(application, notice, deferralLookups);
    expect(mapEnrolmentNotice(notice, batch, { ...facts, state: 'deferral_pending', guardian: true, deferral }).actions).toEqual([
      'acknowledge',
    ]);
  });

  it('maps follow-up lines with names looked up and reminders as ISO', () => {
    const group = mapFollowUpGroup({ schoolId: 'school-1', villageCode: null, counts }, { schoolNames, villageNames });
    expect(group).toEqual({ schoolId: 'school-1', schoolName: '十里镇中心小学', villageCode: null, villageName: null, counts });
    const item = mapFollowUpItem(
      { notice: { ...notice, remindedAt: NOW }, state: 'read', overdue: true, acknowledgeBy: '2026-08-20' },
      { childNames: deferralLookups.childNames, schoolNames, villageNames, guardiansInApp: new Map() },
    );
    expect(followUpResponse.parse({ asOf: NOW.toISOString(), groups: [group], items: [item], truncated: false }).items[0]).toEqual(item);
    expect(item).toMatchObject({
      childName: '吴小明',
      villageName: '光山县十里镇吴明村民委员会',
      guardiansInApp: 0,
      lastRemindedAt: NOW.toISOString(),
    });
  });
});

describe('school notice mappers', () => {
  const notice: SchoolNotice = {
    id: 'sn-1',
    schoolId: 'school-1',
    countyCode: '411522000000',
    audience: 'class',
    grade: 3,
    className: '2班',
    title: '春季开学通知',
    body: '3月2日开学',
    sentBy: 'teacher-1',
    sentAt: CREATED,
    pupils: 40,
    pupilsReached: 35,
    recipients: 50,
  };

  it('names the audience', () => {
    expect(audienceLabel(notice)).toBe('三年级2班');
    expect(audienceLabel({ ...notice, audience: 'grade' })).toBe('三年级');
    expect(audienceLabel({ ...notice, audience: 'school', grade: null, className: null })).toBe('全校');
  });

  it('shows the school who sent it and how many read it', () => {
    const view = mapSchoolNotice(notice, {
      schoolNames,
      userNames: new Map([['teacher-1', '王老师']]),
      readCounts: new Map([['sn-1', 12]]),
    });
    expectShape(schoolNoticeView, view);
    expect(view).toMatchObject({ sentByName: '王老师', read: 12, sentAt: CREATED.toISOString(), audienceLabel: '三年级2班' });
    expect(mapSchoolNotice(notice, { schoolNames: new Map(), userNames: new Map(), readCounts: new Map() })).toMatchObject({
      schoolName: '',
      sentByName: null,
      read: 0,
    });
  });

  it('gives a parent their copy: their children and whether they read it, not the sender nor the counts', () => {
    const view = mapReceivedSchoolNotice(notice, { childNames: ['吴小明'], readAt: null }, schoolNames);
    expectShape(receivedSchoolNoticeView, view);
    expect(view).toEqual({
      id: 'sn-1',
      schoolName: '十里镇中心小学',
      title: '春季开学通知',
      body: '3月2日开学',
      sentAt: CREATED.toISOString(),
      childNames: ['吴小明'],
      read: false,
    });
    expect(mapReceivedSchoolNotice(notice, { childNames: ['吴小明'], readAt: NOW }, schoolNames).read).toBe(true);
  });
});

describe('notification mappers', () => {
  it('maps a message without its owner or dedupe key', () => {
    const message: InboxMessage = {
      id: 'm-1',
      userId: 'user-1',
      dedupeKey: 'case:1:assigned',
      title: '新线索',
      body: '有一条新线索',
      link: null,
      createdAt: CREATED,
      readAt: null,
    };
    const view = mapMessage(message);
    expectShape(messageView, view);
    expect(view).toEqual({ id: 'm-1', title: '新线索', body: '有一条新线索', link: null, createdAt: CREATED.toISOString(), read: false });
    expect(mapMessage({ ...message, readAt: NOW }).read).toBe(true);
  });

  it('lists the subscribe messages of the role with the grants left', () => {
    const templateIds = { new_case: 'T-case', tip_progress: 'T-tip', subsidy_paid: 'T-paid', leave_decided: 'T-leave' };
    const parent = mapSubscriptions('parent', [{ template: 'subsidy_paid', remaining: 2 }], templateIds);
    expect(() => subscriptionsResponse.parse(parent)).not.toThrow();
    expect(parent.items.find((i) => i.key === 'subsidy_paid')).toEqual({
      key: 'subsidy_paid',
      templateId: 'T-paid',
      title: '资助到账通知',
      remaining: 2,
    });
    const official = mapSubscriptions('official', [], templateIds);
    expect(official.items.map((i) => i.key)).not.toContain('subsidy_paid');
    expect(official.items.every((i) => i.remaining === 0)).toBe(true);
  });
});
