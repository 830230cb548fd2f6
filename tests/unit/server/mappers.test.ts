import {
  boundChildView,
  caseDetail,
  caseListItem,
  childMergeView,
  childRecordView,
  maskedOrNull,
  officialTipView,
  ownTipView,
  transferView,
} from '@baoxue/shared';
import type { z } from 'zod';
import {
  mapCaseDetail,
  mapCaseListItem,
  mapNotice,
  mapTransfer,
  summariseEvent,
  type CaseChildFields,
} from '../../../server/src/modules/cases/case.mappers';
import type { CaseEvent, CaseNotice, CaseTransfer, DropoutCase } from '../../../server/src/modules/cases/case.entity';
import { mapBoundChild, mapChildMerge, mapChildRecord, type ChildRecordFields } from '../../../server/src/modules/children/child.mappers';
import type { ChildMerge } from '../../../server/src/modules/children/child-registry.entities';
import { mapTipForOfficial, mapTipForSupervisor } from '../../../server/src/modules/tips/tip.mappers';
import type { Tip } from '../../../server/src/modules/tips/tip.entity';

const ID = '411522201503011238';
const MASKED = '411522********1238';
const VILLAGE = '411522101201';
const TOWNSHIP = '411522101000';
const CREATED = new Date('2026-03-02T01:30:00.000Z');
const NOW = new Date('2026-03-10T00:00:00.000Z');

/** A view carries exactly the contract's fields: nothing more leaks out of the entity. */
function expectShape(schema: z.ZodObject, view: object): void {
  expect(Object.keys(view).sort()).toEqual(Object.keys(schema.shape).sort());
  expect(() => schema.parse(view)).not.toThrow();
}

describe('maskedOrNull', () => {
  it('masks an ID number and keeps area code and last four', () => {
    expect(maskedOrNull(ID)).toBe(MASKED);
    expect(maskedOrNull('11010519491231002X')).toBe('110105********002X');
  });

  it('is null when no ID number is known', () => {
    expect(maskedOrNull(null)).toBeNull();
    expect(maskedOrNull(undefined)).toBeNull();
    expect(maskedOrNull('')).toBeNull();
  });
});

describe('tip mappers', () => {
  const tip: Tip = {
    id: 'tip-1',
    supervisorId: 'supervisor-1',
    idempotencyKey: 'key-1',
    requestHash: 'hash',
    caseId: 'case-1',
    alreadyFollowed: true,
    childName: '吴小明',
    childSex: 'male',
    childAge: 12,
    childGrade: 6,
    lastSchoolId: 'school-1',
    lastSchoolName: null,
    childIdNumber: ID,
    divisionCode: VILLAGE,
    locationNote: '村东头',
    observation: '连续两周没去上学，在镇上网吧',
    contact: '13800000000',
    photoId: 'photo-1',
    createdAt: CREATED,
  };
  const lookups = {
    schoolNames: new Map([['school-1', '十里镇中心小学']]),
    places: new Map([[VILLAGE, '光山县十里镇吴明村民委员会']]),
    photoUrl: (id: string) => `/api/uploads/${id}/file`,
  };

  it('shows officials what was reported, masked, and never the tipster or their contact', () => {
    const view = mapTipForOfficial(tip, lookups);
    expectShape(officialTipView, view);
    expect(view).toEqual({
      id: 'tip-1',
      createdAt: '2026-03-02T01:30:00.000Z',
      child: { name: '吴小明', sex: 'male', age: 12, grade: 6, schoolName: '十里镇中心小学', idNumberMasked: MASKED },
      place: '光山县十里镇吴明村民委员会',
      locationNote: '村东头',
      observation: '连续两周没去上学，在镇上网吧',
      photoUrl: '/api/uploads/photo-1/file',
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain('13800000000');
    expect(text).not.toContain('supervisor-1');
    expect(text).not.toContain(ID);
  });

  it('names a typed school when none was picked, and leaves unknown facts null', () => {
    const view = mapTipForOfficial(
      { ...tip, lastSchoolId: null, lastSchoolName: '外县某小学', childIdNumber: null, divisionCode: null, photoId: null },
      lookups,
    );
    expect(view.child.schoolName).toBe('外县某小学');
    expect(view.child.idNumberMasked).toBeNull();
    expect(view.place).toBeNull();
    expect(view.photoUrl).toBeNull();
  });

  it('gives the supervisor their own tip and coarse milestones only', () => {
    const milestones = [
      { kind: 'received' as const, at: CREATED.toISOString(), note: null },
      { kind: 'visited' as const, at: NOW.toISOString(), note: null },
    ];
    const view = mapTipForSupervisor(tip, lookups, milestones);
    expectShape(ownTipView, view);
    expect(view.contact).toBe('13800000000');
    expect(view.alreadyFollowed).toBe(true);
    expect(view.child.idNumberMasked).toBe(MASKED);
    expect(view.milestones).toEqual(milestones);
    // nothing of the case or the family: no status, assignee, visits, causes or guardians
    for (const key of ['status', 'assigneeName', 'visits', 'causes', 'caseId', 'supervisorId']) expect(view).not.toHaveProperty(key);
  });

  it('shows a tip without milestones as just received', () => {
    expect(mapTipForSupervisor(tip, lookups, undefined).milestones).toEqual([
      { kind: 'received', at: '2026-03-02T01:30:00.000Z', note: null },
    ]);
  });
});

function dropoutCase(overrides: Partial<DropoutCase> = {}): DropoutCase {
  return {
    id: 'case-1',
    caseNumber: '光山-2026-000001',
    childId: 'child-1',
    openChildId: 'child-1',
    priority: 0,
    status: 'persuading',
    source: 'tip',
    countyCode: '411522000000',
    townshipCode: TOWNSHIP,
    villageCode: VILLAGE,
    routingCode: VILLAGE,
    schoolId: null,
    assigneeId: 'user-1',
    openedAt: CREATED,
    dueAt: new Date('2026-03-09T00:00:00.000Z'),
    dueKind: 'first_visit',
    escalatedTo: null,
    causes: null,
    escalationSteps: null,
    confirmedAt: null,
    notDropoutReason: null,
    confirmingSchoolId: null,
    returnedOn: null,
    returnSchoolId: null,
    returnGrade: null,
    placement: null,
    closedAt: null,
    mergedIntoId: null,
    pseudonymisedAt: null,
    tipCount: 1,
    version: 3,
    ...overrides,
  } as DropoutCase;
}

const caseChild: CaseChildFields = {
  name: '吴小明',
  sex: 'male',
  birthYear: 2015,
  idNumber: ID,
  priorityGroups: ['orphan'],
  studentNumber: null,
  schoolId: null,
  grade: null,
  className: null,
  villageCode: VILLAGE,
};

const listLookups = {
  places: new Map([
    [VILLAGE, '光山县十里镇吴明村民委员会'],
    [TOWNSHIP, '光山县十里镇'],
  ]),
  divisionNames: new Map([[TOWNSHIP, '十里镇']]),
  schoolNames: new Map([['school-1', '十里镇中心小学']]),
  userNames: new Map([['user-1', '张干部']]),
  transferPending: new Set<string>(),
};

describe('case mappers', () => {
  it('maps a list item with the ID masked, names looked up and dates as ISO strings', () => {
    const item = mapCaseListItem(dropoutCase(), caseChild, listLookups, NOW);
    expectShape(caseListItem, item);
    expect(item.child).toEqual({
      name: '吴小明',
      sex: 'male',
      birthYear: 2015,
      idNumberMasked: MASKED,
      priorityGroups: ['orphan'],
      roster: null,
    });
    expect(item).toMatchObject({
      place: '光山县十里镇吴明村民委员会',
      townshipName: '十里镇',
      assigneeName: '张干部',
      openedAt: '2026-03-02T01:30:00.000Z',
      dueAt: '2026-03-09T00:00:00.000Z',
      overdue: true,
      transferPending: false,
    });
    expect(JSON.stringify(item)).not.toContain(ID);
  });

  it('leaves unknown facts null: no ID number, no township, no assignee, no due date', () => {
    const item = mapCaseListItem(
      dropoutCase({ townshipCode: null, assigneeId: null, dueAt: null }),
      { ...caseChild, idNumber: null, villageCode: null },
      listLookups,
      NOW,
    );
    expect(item).toMatchObject({
      place: null,
      townshipName: null,
      assigneeName: null,
      dueAt: null,
      overdue: false,
      schoolName: null,
    });
    expect(item.child.idNumberMasked).toBeNull();
  });

  it('places a case without a village at its township and shows a rostered pupil’s school', () => {
    const item = mapCaseListItem(
      dropoutCase(),
      { ...caseChild, villageCode: null, studentNumber: 'G411522201503011238', schoolId: 'school-1', grade: 6, className: '2班' },
      { ...listLookups, transferPending: new Set(['case-1']) },
      NOW,
    );
    expect(item.place).toBe('光山县十里镇');
    expect(item.child.roster).toEqual({ schoolName: '十里镇中心小学', grade: 6, className: '2班' });
    expect(item.transferPending).toBe(true);
  });

  it('maps a detail: next step only while open, events summarised with names, notices and visits', () => {
    const record = dropoutCase({ causes: ['poverty'] });
    const item = mapCaseListItem(record, caseChild, listLookups, NOW);
    const event = { id: 'e-1', caseId: 'case-1', at: CREATED, actorId: 'user-1', kind: 'accepted', data: { assigneeId: 'user-1' } };
    const notice = {
      id: 'n-1',
      caseId: 'case-1',
      issuedAt: CREATED,
      deadlineOn: '2026-03-20',
      text: '限期返校通知书',
      delivery: 'app',
      deliveredAt: null,
      receivedBy: null,
      acknowledgedAt: NOW,
    } as unknown as CaseNotice;
    const visit = {
      id: 'v-1',
      caseId: 'case-1',
      visitedOn: '2026-03-05',
      visitors: '张干部',
      met: '祖母',
      statedReason: '厌学',
      commitments: null,
      outcome: 'refused',
      recordedBy: 'user-1',
      recordedAt: CREATED,
    };
    const detail = mapCaseDetail(record, {
      item,
      childName: '吴小明',
      routings: [],
      events: [event as CaseEvent],
      visits: [visit as never],
      notices: [notice],
      transfers: [],
      tips: [],
      attendance: null,
      actions: [],
      divisionNames: listLookups.divisionNames,
      schoolNames: listLookups.schoolNames,
      userNames: listLookups.userNames,
    });
    expectShape(caseDetail, detail);
    expect(detail.nextStep).toEqual({ kind: 'first_visit', label: '首次家访', dueAt: '2026-03-09T00:00:00.000Z' });
    expect(detail.events).toEqual([{ at: CREATED.toISOString(), kind: 'accepted', summary: '受理，包抓干部：张干部', byName: '张干部' }]);
    expect(detail.visits[0]!.recordedByName).toBe('张干部');
    expect(detail.notices).toEqual([mapNotice(notice, '吴小明')]);
    expect(detail.notices[0]).toMatchObject({ childName: '吴小明', deliveredAt: null, acknowledgedAt: NOW.toISOString() });
    expect(detail.returned).toBeNull();
    expect(detail.confirmedAt).toBeNull();

    const closed = mapCaseDetail(dropoutCase({ status: 'closed' }), {
      ...{ item, childName: '吴小明', routings: [], events: [], visits: [], notices: [], transfers: [], tips: [] },
      ...{ attendance: null, actions: [], divisionNames: new Map(), schoolNames: new Map(), userNames: new Map() },
    });
    expect(closed.nextStep).toBeNull();
  });

  it('summarises an event whose names are unknown without failing', () => {
    const event = { id: 'e', caseId: 'c', at: CREATED, actorId: null, kind: 'routed', data: { townshipCode: TOWNSHIP } } as CaseEvent;
    expect(summariseEvent(event, new Map())).toBe('分派到');
    expect(summariseEvent({ ...event, data: null }, new Map())).toBe('进入县级待分派');
  });

  it('maps a transfer, overdue only while pending', () => {
    const transfer = {
      id: 't-1',
      caseId: 'case-1',
      toTownshipCode: '411522102000',
      toSchoolId: null,
      reason: '已随父母迁往邻乡',
      requestedBy: 'user-1',
      requestedAt: CREATED,
      dueAt: new Date('2026-03-05T00:00:00.000Z'),
      status: 'pending',
    } as CaseTransfer;
    const lookups = { townshipNames: new Map([[TOWNSHIP, '十里镇']]), schoolNames: new Map<string, string>() };
    const view = mapTransfer(transfer, dropoutCase(), '吴小明', lookups, NOW);
    expectShape(transferView, view);
    expect(view).toMatchObject({ fromTownshipName: '十里镇', toTownshipName: null, toSchoolName: null, overdue: true });
    expect(view.requestedAt).toBe(CREATED.toISOString());
    expect(mapTransfer({ ...transfer, status: 'accepted' } as CaseTransfer, undefined, '', lookups, NOW)).toMatchObject({
      fromTownshipName: null,
      overdue: false,
    });
  });
});

describe('child mappers', () => {
  const child: ChildRecordFields = {
    id: 'child-1',
    name: '吴小明',
    sex: 'male',
    birthDate: '2015-03-01',
    birthYear: 2015,
    idNumber: ID,
    studentNumber: 'G411522201503011238',
    schoolId: 'school-1',
    grade: 6,
    villageCode: VILLAGE,
    priorityGroups: [],
    mergedIntoId: null,
  };
  const lookups = {
    schoolNames: new Map([['school-1', '十里镇中心小学']]),
    places: new Map([[VILLAGE, '光山县十里镇吴明村民委员会']]),
  };

  it('maps a child record with identifiers masked and names looked up', () => {
    const view = mapChildRecord(child, lookups, { id: 'case-1', status: 'persuading' });
    expectShape(childRecordView, view);
    expect(view).toMatchObject({
      idNumberMasked: MASKED,
      onRoster: true,
      schoolName: '十里镇中心小学',
      place: '光山县十里镇吴明村民委员会',
      openCase: { id: 'case-1', status: 'persuading' },
    });
    expect(JSON.stringify(view)).not.toContain(ID);
  });

  it('leaves a sparse record’s unknowns null', () => {
    const view = mapChildRecord({ ...child, idNumber: null, studentNumber: null, schoolId: null, villageCode: null }, lookups, null);
    expect(view).toMatchObject({ idNumberMasked: null, onRoster: false, schoolName: null, place: null, openCase: null });
  });

  it('shows a parent their bound child masked, with the binding date as an ISO string', () => {
    const view = mapBoundChild({ ...child, className: '2班' }, { relation: '母亲', createdAt: CREATED }, lookups.schoolNames);
    expectShape(boundChildView, view);
    expect(view).toMatchObject({ idNumberMasked: MASKED, schoolName: '十里镇中心小学', relation: '母亲', boundAt: CREATED.toISOString() });
  });

  it('lists what followed a merged child, in Chinese, leaving out what did not move', () => {
    const merge = {
      id: 'm-1',
      survivorId: 'child-1',
      mergedId: 'child-2',
      reason: '同一儿童',
      at: CREATED,
      actorId: null,
      moved: {
        cases: ['case-2'],
        rows: { attendance: ['a', 'b'], guardianships: [] },
        reviews: { child: ['r'], candidate: [] },
        caseMerges: [],
      },
      splitAt: null,
      splitReason: null,
      splitBy: null,
    } as unknown as ChildMerge;
    const view = mapChildMerge(merge, { survivor: '吴小明', merged: '吴晓明' }, new Map(), true);
    expectShape(childMergeView, view);
    expect(view.moved).toEqual([
      { label: '案件', count: 1 },
      { label: '出勤记录', count: 2 },
      { label: '疑似同一儿童记录', count: 1 },
    ]);
    expect(view).toMatchObject({ actorName: null, split: null, canSplit: true, casesMerged: 0, at: CREATED.toISOString() });
  });
});
