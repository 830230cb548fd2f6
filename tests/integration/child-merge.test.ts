import type { CaseDetail, ChildMergesResponse, ChildMergeView, ChildReviewView } from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { CaseEvent, CaseNotice, CaseVisit, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { CasesService } from '../../server/src/modules/cases/cases.service';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { ChildGuardian } from '../../server/src/modules/children/child-guardian.entity';
import { CHILD_REFERENCES, ChildMergeService } from '../../server/src/modules/children/child-merge.service';
import { ChildRegistry } from '../../server/src/modules/children/child-registry.service';
import { ChildMatchReview, ChildMerge } from '../../server/src/modules/children/child-registry.entities';
import { Child } from '../../server/src/modules/children/child.entity';
import { Guardianship } from '../../server/src/modules/children/guardianship.entity';
import { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from '../../server/src/modules/enrolment/enrolment.entities';
import { BindingAttempt } from '../../server/src/modules/guardians/binding-attempt.entity';
import { CrosscheckReview } from '../../server/src/modules/registry/registry.entities';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPayment } from '../../server/src/modules/subsidies/subsidy.entities';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE } from '../support/tips';

/**
 * Merging two records of one child and splitting a wrong merge (BRIEF §3a, issue 12 item 4): every
 * record of the child follows, the merge is audited and on the cases' timelines, a split puts back
 * exactly what moved, old ids still lead to the child, and a refused or failed merge changes nothing.
 */
describe('child records: merge and split', () => {
  let server: TestServer;
  let admin: ApiClient;
  let leader: ApiClient;
  let cadre: ApiClient;
  let parent: ApiClient;
  let supervisor: ApiClient;
  let schoolId: string;
  let serial = 0;

  beforeAll(async () => {
    server = await startTestServer();
    await seedOtherCounty(server.dataSource);
    await raiseTipLimit(server.dataSource);
    [admin, leader, cadre, parent, supervisor] = await Promise.all(
      ['county-admin', 'township-leader', 'township-cadre', 'parent', 'supervisor'].map((a) => signInAs(server, a)),
    );
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
  });
  afterAll(async () => server?.close());

  const manager = () => server.dataSource.manager;

  /** A roster pupil and a record of the same child made from a tip (no roster identifiers, a priority group). */
  async function pair(name = `合并${++serial}号`, village = WUMING, county = DEMO_COUNTY) {
    const pupil = await createPupil(server.dataSource, {
      name,
      schoolId: county === DEMO_COUNTY ? schoolId : null,
      villageCode: village,
      countyCode: county,
    });
    const reported = await createPupil(server.dataSource, {
      name,
      villageCode: village,
      countyCode: county,
      idNumber: null,
      studentNumber: null,
      bindingCode: null,
      grade: null,
      guardian: null,
    });
    await manager().update(Child, { id: reported.id }, { priorityGroups: ['left_behind'] });
    return { pupil, reported };
  }

  /** An open case of a child, opened at `openedAt`. */
  async function openCase(childId: string, openedAt: Date, status: DropoutCase['status'] = 'reported'): Promise<DropoutCase> {
    const record = await server.dataSource.transaction((m) =>
      server.app.get(CasesService).open(m, {
        childId,
        priorityGroups: [],
        source: 'tip',
        decision: { countyCode: DEMO_COUNTY, townshipCode: SHILI, villageCode: WUMING, routingCode: WUMING, rule: 'village', reason: null },
        schoolId: null,
        actorId: null,
        tipCount: 0,
      }),
    );
    const finished = status === 'closed' || status === 'not_dropout';
    await manager().update(
      DropoutCase,
      { id: record.id },
      { openedAt, status, ...(finished ? { openChildId: null, closedAt: openedAt } : {}) },
    );
    return manager().findOneByOrFail(DropoutCase, { id: record.id });
  }

  /**
   * A row in every table that holds a child's id, on the merged record, and rows the survivor
   * already has an equal of (a parent bound to both, a day of attendance, a school year of aid).
   */
  async function seedDependents(survivorId: string, mergedId: string) {
    const now = new Date();
    const m = manager();
    const demoParent = await demoUser(server.dataSource, 'parent');
    const otherParent = await createUser(server.dataSource, { role: 'parent', displayName: '李桂兰' });
    await m.insert(Guardianship, [
      { childId: mergedId, userId: demoParent.id, relation: '母亲', createdAt: now },
      { childId: mergedId, userId: otherParent.id, relation: '祖母', createdAt: now },
      { childId: survivorId, userId: otherParent.id, relation: '祖母', createdAt: now },
    ]);
    await m.insert(ChildGuardian, { id: newId(), childId: mergedId, name: '李大海', relation: '父亲', phone: null, createdAt: now });
    const day = (childId: string, d: string) => ({
      id: newId(),
      childId,
      schoolId,
      day: d,
      present: false,
      excused: false,
      source: 'school' as const,
      recordedBy: null,
      recordedAt: now,
    });
    await m.insert(AttendanceDay, [day(mergedId, '2026-11-02'), day(mergedId, '2026-11-03'), day(survivorId, '2026-11-03')]);
    const eligibility = (childId: string, schoolYear: number) => ({
      id: newId(),
      childId,
      countyCode: DEMO_COUNTY,
      schoolId,
      schoolYear,
      category: 'registered_poor' as const,
      stage: 'primary' as const,
      boarding: false,
      source: 'manual' as const,
      confirmedBy: newId(),
      confirmedAt: now,
    });
    await m.insert(SubsidyEligibilityRow, [eligibility(mergedId, 2024), eligibility(mergedId, 2025), eligibility(survivorId, 2025)]);
    await m.insert(SubsidyPayment, {
      id: newId(),
      childId: mergedId,
      countyCode: DEMO_COUNTY,
      schoolId,
      semester: '2024-autumn',
      amountFen: 62_500,
      status: 'paid',
      channel: 'bank_card',
      cardTail: '1234',
      failureReason: null,
      paidOn: '2024-11-20',
      reference: 'PZ-1',
      updatedBy: newId(),
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(SubsidyComplaint, {
      id: newId(),
      childId: mergedId,
      countyCode: DEMO_COUNTY,
      raisedBy: demoParent.id,
      paymentId: null,
      semester: '2024-autumn',
      text: '补助还没有收到',
      status: 'open',
      version: 1,
      createdAt: now,
      dueAt: now,
      handlerId: null,
      answer: null,
      answeredAt: null,
      closedAt: null,
    });
    const batchId = newId();
    await m.insert(EnrolmentBatch, {
      id: batchId,
      countyCode: DEMO_COUNTY,
      kind: 'new_entrants',
      schoolYear: 2027,
      schoolId,
      reportOn: '2027-08-30',
      reportTime: '上午',
      reportPlace: '学校',
      bring: '户口簿',
      contact: '王老师',
      acknowledgeBy: '2027-07-15',
      issuerName: '光山县教育体育局',
      issuedBy: newId(),
      issuedAt: now,
    });
    const noticeId = newId();
    await m.insert(EnrolmentNotice, {
      id: noticeId,
      batchId,
      childId: mergedId,
      schoolYear: 2027,
      schoolId,
      countyCode: DEMO_COUNTY,
      villageCode: WUMING,
      text: '入学通知书',
      issuedAt: now,
      readAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      remindedAt: null,
      reminders: 0,
    });
    await m.insert(DeferralApplication, {
      id: newId(),
      noticeId,
      childId: mergedId,
      countyCode: DEMO_COUNTY,
      villageCode: WUMING,
      applicantId: demoParent.id,
      reason: '身体原因',
      photoId: newId(),
      status: 'pending',
      appliedAt: now,
      decidedBy: null,
      decidedUnit: null,
      decidedAt: null,
      decisionNote: null,
    });
    await m.insert(BindingAttempt, { id: newId(), userId: demoParent.id, at: now, succeeded: true, childId: mergedId });
    await m.insert(CrosscheckReview, {
      id: newId(),
      countyCode: DEMO_COUNTY,
      runId: newId(),
      householdMemberId: newId(),
      childId: mergedId,
      reason: '姓名相近',
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
    });
    const third = await createPupil(server.dataSource, { name: `第三人${serial}`, villageCode: WUMING });
    const review = (childId: string, candidateId: string) => ({
      id: newId(),
      countyCode: DEMO_COUNTY,
      childId,
      candidateId,
      reason: 'near_birth_year' as const,
      source: 'tip',
      status: 'pending' as const,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      createdAt: now,
    });
    const thirdReview = review(mergedId, third.id);
    const pairReview = review(mergedId, survivorId);
    await m.insert(ChildMatchReview, [thirdReview, pairReview]);
    // cases: the survivor's open case is the older one; the merged record has an open and a closed case
    const closed = await openCase(mergedId, new Date(now.getTime() - 3 * 86_400_000), 'closed');
    const older = await openCase(survivorId, new Date(now.getTime() - 86_400_000));
    const later = await openCase(mergedId, now);
    const visitId = newId();
    await m.insert(CaseVisit, {
      id: visitId,
      caseId: later.id,
      visitedOn: '2026-11-20',
      visitors: '陈丽',
      met: '母亲',
      statedReason: '不想上学',
      commitments: null,
      outcome: 'refused',
      recordedBy: newId(),
      recordedAt: now,
    });
    await m.insert(CaseNotice, {
      id: newId(),
      caseId: later.id,
      childId: mergedId,
      issuedBy: newId(),
      issuedAt: now,
      deadlineOn: '2026-12-01',
      text: '限期返校通知书',
      delivery: 'paper',
      deliveredAt: null,
      receivedBy: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    return { demoParent, otherParent, older, later, closed, visitId, thirdReview, pairReview, third };
  }

  /** Every row that names either child, as stored (volatile bookkeeping left out), to compare before and after. */
  async function snapshot(ids: string[], m: EntityManager = manager()) {
    const tables: Record<string, unknown[]> = {};
    const tablesOf = [...new Set(Object.keys(CHILD_REFERENCES).map((ref) => ref.split('.')[0]!))];
    for (const table of tablesOf) {
      const columns = Object.keys(CHILD_REFERENCES)
        .filter((ref) => ref.startsWith(`${table}.`))
        .map((ref) => ref.split('.')[1]!);
      if (table === 'children' || table === 'child_merges' || table === 'audit_log') continue;
      const where = columns.map((c) => `${c} IN (?, ?)`).join(' OR ');
      const rows: Array<Record<string, unknown>> = await m.query(
        `SELECT * FROM ${table} WHERE ${where}`,
        columns.flatMap(() => ids),
      );
      tables[table] = rows.map(({ version: _v, updated_at: _u, ...rest }) => JSON.stringify(rest)).sort();
    }
    const children: Array<Record<string, unknown>> = await m.query('SELECT * FROM children WHERE id IN (?, ?) ORDER BY id', ids);
    tables.children = children.map(({ updated_at: _u, ...rest }) => JSON.stringify(rest));
    const caseIds = ((await m.query(`SELECT id FROM cases WHERE child_id IN (?, ?)`, ids)) as Array<{ id: string }>).map((c) => c.id);
    for (const table of ['tips', 'case_visits', 'case_notices']) {
      const rows: Array<{ id: string; case_id: string }> = caseIds.length
        ? await m.query(`SELECT id, case_id FROM ${table} WHERE case_id IN (${caseIds.map(() => '?').join(', ')})`, caseIds)
        : [];
      tables[`${table}.case_id`] = rows.map((r) => `${r.id}:${r.case_id}`).sort();
    }
    return tables;
  }

  it('knows every column that holds a child’s id: a new one fails here until a merge moves it', () => {
    const found = server.dataSource.entityMetadatas.flatMap((meta) =>
      meta.columns.filter((c) => /(^|_)(child|pupil)_id$/.test(c.databaseName)).map((c) => `${meta.tableName}.${c.databaseName}`),
    );
    expect(found.filter((ref) => !(ref in CHILD_REFERENCES)).sort()).toEqual([]);
    // and nothing stale: each handled column exists
    const all = new Set(
      server.dataSource.entityMetadatas.flatMap((meta) => meta.columns.map((c) => `${meta.tableName}.${c.databaseName}`)),
    );
    expect(Object.keys(CHILD_REFERENCES).filter((ref) => !all.has(ref))).toEqual([]);
  });

  it('moves every record of the merged record to the survivor; the audit log and the cases’ timelines show it', async () => {
    const { pupil, reported } = await pair();
    const seeded = await seedDependents(pupil.id, reported.id);
    const response = await admin.post<ChildMergeView>('/children/merges', {
      survivorId: pupil.id,
      mergedId: reported.id,
      reason: '同一个孩子，线索中名字写法不同',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ survivor: { id: pupil.id }, merged: { id: reported.id }, casesMerged: 1, canSplit: true });
    expect(response.body.moved.map((m) => m.label)).toEqual(expect.arrayContaining(['案件', '出勤记录', '资助资格', '已绑定的家长']));

    const m = manager();
    const childOf = async (entity: Parameters<EntityManager['findBy']>[0], where: object) =>
      ((await m.findBy(entity, where)) as Array<{ childId: string }>).map((r) => r.childId);
    // every table: moved, except what the survivor already had
    expect((await m.findBy(Guardianship, { userId: seeded.demoParent.id })).map((g) => g.childId)).toEqual([pupil.id]);
    expect((await m.findBy(Guardianship, { userId: seeded.otherParent.id })).map((g) => g.childId).sort()).toEqual(
      [pupil.id, reported.id].sort(),
    );
    expect(await childOf(ChildGuardian, { name: '李大海' })).toEqual([pupil.id]);
    expect(await childOf(AttendanceDay, { day: '2026-11-02', childId: In([pupil.id, reported.id]) })).toEqual([pupil.id]);
    expect((await childOf(AttendanceDay, { day: '2026-11-03', childId: In([pupil.id, reported.id]) })).sort()).toEqual(
      [pupil.id, reported.id].sort(),
    );
    expect(await childOf(SubsidyEligibilityRow, { schoolYear: 2024, childId: In([pupil.id, reported.id]) })).toEqual([pupil.id]);
    expect((await childOf(SubsidyEligibilityRow, { schoolYear: 2025, childId: In([pupil.id, reported.id]) })).sort()).toEqual(
      [pupil.id, reported.id].sort(),
    );
    for (const entity of [
      SubsidyPayment,
      SubsidyComplaint,
      EnrolmentNotice,
      DeferralApplication,
      BindingAttempt,
      CrosscheckReview,
      CaseNotice,
    ])
      expect({
        table: m.getRepository(entity).metadata.tableName,
        children: await childOf(entity, { childId: In([pupil.id, reported.id]) }),
      }).toEqual({
        table: m.getRepository(entity).metadata.tableName,
        children: [pupil.id],
      });
    // review pairs follow the child; the pair of these two records is confirmed by the merge
    expect(await m.findOneByOrFail(ChildMatchReview, { id: seeded.thirdReview.id })).toMatchObject({
      childId: pupil.id,
      candidateId: seeded.third.id,
    });
    expect(await m.findOneByOrFail(ChildMatchReview, { id: seeded.pairReview.id })).toMatchObject({ status: 'confirmed' });

    // cases: one open case (the older), the later merged into it with its visit and notice; the closed one follows
    const cases = await m.findBy(DropoutCase, { id: In([seeded.older.id, seeded.later.id, seeded.closed.id]) });
    const byId = new Map(cases.map((c) => [c.id, c]));
    expect(cases.every((c) => c.childId === pupil.id)).toBe(true);
    expect(byId.get(seeded.older.id)).toMatchObject({ mergedIntoId: null, openChildId: pupil.id, priority: 1 });
    expect(byId.get(seeded.later.id)).toMatchObject({ mergedIntoId: seeded.older.id, openChildId: null });
    expect(byId.get(seeded.closed.id)).toMatchObject({ status: 'closed', openChildId: null });
    expect((await m.findOneByOrFail(CaseVisit, { id: seeded.visitId })).caseId).toBe(seeded.older.id);

    // identity: the survivor got what it lacked, the merged record let go of its identifiers and points at it
    expect(await m.findOneByOrFail(Child, { id: reported.id })).toMatchObject({
      mergedIntoId: pupil.id,
      idNumber: null,
      studentNumber: null,
    });
    expect((await m.findOneByOrFail(Child, { id: pupil.id })).priorityGroups).toEqual(['left_behind']);

    const audit = await m.findBy(AuditEntry, { action: 'child.merge', targetId: pupil.id });
    expect(audit).toEqual([
      expect.objectContaining({
        actorRole: 'county_admin',
        reason: '同一个孩子，线索中名字写法不同',
        details: expect.objectContaining({ mergedId: reported.id }),
      }),
    ]);
    const detail = await admin.get<CaseDetail>(`/cases/${seeded.older.id}`);
    expect(detail.body.events.map((e) => e.summary)).toEqual(
      expect.arrayContaining(['同一儿童的两条记录已合并：同一个孩子，线索中名字写法不同', expect.stringContaining('并入了另一案件')]),
    );
    expect(detail.body.visits).toHaveLength(1);
    expect(await m.countBy(CaseEvent, { caseId: seeded.later.id, kind: 'merged_into' })).toBe(1);
  });

  it('splits a merge back exactly; what was recorded after the merge stays with the survivor', async () => {
    const { pupil, reported } = await pair();
    const seeded = await seedDependents(pupil.id, reported.id);
    const ids = [pupil.id, reported.id];
    const before = await snapshot(ids);
    const merged = await admin.post<ChildMergeView>('/children/merges', {
      survivorId: pupil.id,
      mergedId: reported.id,
      reason: '看起来是同一个孩子',
    });
    expect(merged.status).toBe(201);
    expect(await snapshot(ids)).not.toEqual(before);
    // a roll call after the merge: the survivor's
    const later = newId();
    await manager().insert(AttendanceDay, {
      id: later,
      childId: pupil.id,
      schoolId,
      day: '2026-12-01',
      present: true,
      excused: false,
      source: 'school',
      recordedBy: null,
      recordedAt: new Date(),
    });

    const split = await admin.post<ChildMergeView>(`/children/merges/${merged.body.id}/split`, { reason: '核实后是两个孩子' });
    expect(split.status).toBe(200);
    expect(split.body).toMatchObject({ canSplit: false, split: { reason: '核实后是两个孩子' } });
    await manager().delete(AttendanceDay, { id: later });
    const after = await snapshot(ids);
    // the pair the merge confirmed is now rejected: a split says they are two children
    const pairRow = (rows: unknown[]) => rows.filter((r) => String(r).includes(seeded.pairReview.id));
    expect(pairRow(after.child_match_reviews!)[0]).toContain('"status":"rejected"');
    after.child_match_reviews = after.child_match_reviews!.filter((r) => !pairRow([r]).length);
    before.child_match_reviews = before.child_match_reviews!.filter((r) => !pairRow([r]).length);
    expect(after).toEqual(before);

    expect(await manager().findOneByOrFail(DropoutCase, { id: seeded.later.id })).toMatchObject({
      mergedIntoId: null,
      openChildId: reported.id,
    });
    expect(await manager().countBy(AuditEntry, { action: 'child.split', targetId: pupil.id })).toBe(1);
    expect(await manager().countBy(CaseEvent, { caseId: seeded.later.id, kind: 'child_split' })).toBe(1);
    expectError(await admin.post(`/children/merges/${merged.body.id}/split`, { reason: '再拆一次' }), 409, 'CHILD_MERGE_ALREADY_SPLIT');
    const history = await admin.get<ChildMergesResponse>(`/children/${reported.id}/merges`);
    expect(history.body.items).toEqual([
      expect.objectContaining({ id: merged.body.id, split: expect.objectContaining({ reason: '核实后是两个孩子' }) }),
    ]);
  });

  it('leads an old child id to the survivor on every page that reads a child by id', async () => {
    const { pupil, reported } = await pair();
    const demoParent = await demoUser(server.dataSource, 'parent');
    await manager().insert(Guardianship, { childId: reported.id, userId: demoParent.id, relation: '母亲', createdAt: new Date() });
    expect((await admin.post('/children/merges', { survivorId: pupil.id, mergedId: reported.id, reason: '同一个孩子' })).status).toBe(201);

    expect((await server.app.get(ChildRegistry).current(manager(), reported.id))?.id).toBe(pupil.id);
    const guardians = await admin.get<{ child: { id: string } }>(`/children/${reported.id}/guardians`);
    expect(guardians.status).toBe(200);
    expect(guardians.body.child.id).toBe(pupil.id);
    const subsidies = await parent.get<{ child: { id: string } }>(`/children/${reported.id}/subsidies`);
    expect(subsidies.status).toBe(200);
    expect(subsidies.body.child.id).toBe(pupil.id);
    const history = await admin.get<ChildMergesResponse>(`/children/${reported.id}/merges`);
    expect(history.body.child).toMatchObject({ id: pupil.id, mergedIntoId: null, onRoster: true });
    expect(history.body.child.idNumberMasked).toMatch(/^\d{6}\*{8}\w{4}$/);
    expect(history.body.items).toHaveLength(1);
    expect((await parent.post(`/children/${reported.id}/unbind`)).status).toBe(200);
    expect(await manager().countBy(Guardianship, { userId: demoParent.id, childId: In([pupil.id, reported.id]) })).toBe(0);
  });

  it('merges two open cases into one when their children are merged, keeping every tip and visit', async () => {
    const first = await fileTip(supervisor, { child: { name: '赵文博', sex: 'male', age: 10 } });
    const second = await fileTip(supervisor, { child: { name: '赵文搏', sex: 'male', age: 10 } });
    const [older, later] = await Promise.all(
      [first, second].map(async (r) =>
        manager().findOneByOrFail(DropoutCase, { id: (await manager().findOneByOrFail(Tip, { id: r.body.tip.id })).caseId }),
      ),
    );
    expect(older!.childId).not.toBe(later!.childId);
    await manager().insert(CaseVisit, {
      id: newId(),
      caseId: later!.id,
      visitedOn: '2026-11-21',
      visitors: '陈丽',
      met: '祖母',
      statedReason: '在家带弟弟',
      commitments: null,
      outcome: 'considering',
      recordedBy: newId(),
      recordedAt: new Date(),
    });
    const merged = await leader.post<ChildMergeView>('/children/merges', {
      survivorId: older!.childId,
      mergedId: later!.childId,
      reason: '同一个孩子',
    });
    expect(merged.status).toBe(201);
    expect(merged.body.casesMerged).toBe(1);
    const detail = await admin.get<CaseDetail>(`/cases/${older!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.tips).toHaveLength(2);
    expect(detail.body.visits).toHaveLength(1);
    expect(await manager().findOneByOrFail(DropoutCase, { id: later!.id })).toMatchObject({
      mergedIntoId: older!.id,
      openChildId: null,
      tipCount: 0,
    });
    expectError(await admin.get(`/cases/${later!.id}`), 404, 'NOT_FOUND');
  });

  it('merges the child records when an official merges the cases of two records', async () => {
    const first = await fileTip(supervisor, { child: { name: '孙雨桐', sex: 'female', age: 9 } });
    const second = await fileTip(supervisor, { child: { name: '孙雨彤', sex: 'female', age: 9 } });
    const caseOf = async (tipId: string) => (await manager().findOneByOrFail(Tip, { id: tipId })).caseId;
    const [into, from] = [await caseOf(first.body.tip.id), await caseOf(second.body.tip.id)];
    const [intoCase, fromCase] = await Promise.all([into, from].map((id) => manager().findOneByOrFail(DropoutCase, { id })));
    const response = await cadre.post<CaseDetail>(`/cases/${from}/merge`, { intoCaseId: into, reason: '同一个孩子，名字写错了' });
    expect(response.status).toBe(200);
    expect(response.body.tipCount).toBe(2);
    expect(await manager().findOneByOrFail(Child, { id: fromCase!.childId })).toMatchObject({ mergedIntoId: intoCase!.childId });
    expect(await manager().findOneByOrFail(DropoutCase, { id: from })).toMatchObject({ mergedIntoId: into, childId: intoCase!.childId });
    expect(await manager().countBy(ChildMerge, { survivorId: intoCase!.childId, mergedId: fromCase!.childId })).toBe(1);
  });

  it('refuses a merge into itself, across counties, of two ID numbers or 学籍号s, of a merged record, and by the wrong people', async () => {
    const { pupil, reported } = await pair();
    const count = () => manager().count(ChildMerge);
    const merges = await count();
    const body = (survivorId: string, mergedId: string) => ({ survivorId, mergedId, reason: '同一个孩子' });

    expect(expectError(await admin.post('/children/merges', body(pupil.id, pupil.id)), 400, 'VALIDATION_FAILED').fields).toHaveProperty(
      'mergedId',
    );
    const far = await pair(undefined, OTHER_COUNTY.village, OTHER_COUNTY.code);
    expectError(await admin.post('/children/merges', body(pupil.id, far.reported.id)), 404, 'NOT_FOUND');
    const otherPupil = await createPupil(server.dataSource, { name: pupil.name, villageCode: WUMING });
    expect(expectError(await admin.post('/children/merges', body(pupil.id, otherPupil.id)), 409, 'CHILD_MERGE_REFUSED').message).toContain(
      '身份证号',
    );
    const onlyStudent = await createPupil(server.dataSource, {
      name: pupil.name,
      villageCode: WUMING,
      idNumber: null,
      studentNumber: 'L411522201503151234',
    });
    expect(expectError(await admin.post('/children/merges', body(pupil.id, onlyStudent.id)), 409, 'CHILD_MERGE_REFUSED').message).toContain(
      '学籍号',
    );
    // a township cadre may not; a leader of another township does not see them
    expectError(await cadre.post('/children/merges', body(pupil.id, reported.id)), 403, 'FORBIDDEN');
    const zhaiheLeader = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'official', position: 'leader', unitDivisionCode: ZHAIHE, countyCode: DEMO_COUNTY }),
    );
    expectError(await zhaiheLeader.post('/children/merges', body(pupil.id, reported.id)), 404, 'NOT_FOUND');
    expect(await count()).toBe(merges);

    expect((await admin.post('/children/merges', body(pupil.id, reported.id))).status).toBe(201);
    const third = await createPupil(server.dataSource, {
      name: pupil.name,
      villageCode: WUMING,
      idNumber: null,
      studentNumber: null,
      bindingCode: null,
    });
    expect(
      expectError(await admin.post('/children/merges', body(third.id, reported.id)), 409, 'CHILD_ALREADY_MERGED').fields,
    ).toHaveProperty('mergedId');
    expect(
      expectError(await admin.post('/children/merges', body(reported.id, third.id)), 409, 'CHILD_ALREADY_MERGED').fields,
    ).toHaveProperty('survivorId');
    expect(await count()).toBe(merges + 1);
  });

  it('leaves both records as they were when a merge fails part-way (one transaction)', async () => {
    const { pupil, reported } = await pair();
    await seedDependents(pupil.id, reported.id);
    const ids = [pupil.id, reported.id];
    const before = await snapshot(ids);
    const merges = server.app.get(ChildMergeService);
    // everything has moved by the time the identities are merged: fail there
    const failing = jest
      .spyOn(merges as unknown as { mergeIdentities: () => Promise<void> }, 'mergeIdentities')
      .mockRejectedValueOnce(new Error('the disk is full'));
    try {
      await expect(
        server.dataSource.transaction((m) => merges.merge(m, pupil.id, reported.id, { reason: '同一个孩子', actorId: null })),
      ).rejects.toThrow('the disk is full');
    } finally {
      failing.mockRestore();
    }
    expect(await snapshot(ids)).toEqual(before);
    expect(await manager().countBy(ChildMerge, { mergedId: reported.id })).toBe(0);
  });

  it('lists the county’s pairs for review, and records each confirmation (a merge) and rejection', async () => {
    const a = await pair();
    const b = await pair();
    const review = async (childId: string, candidateId: string) => {
      const id = newId();
      await manager().insert(ChildMatchReview, {
        id,
        countyCode: DEMO_COUNTY,
        childId,
        candidateId,
        reason: 'neighbouring_village',
        source: 'tip',
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        createdAt: new Date(),
      });
      return id;
    };
    const confirmId = await review(a.reported.id, a.pupil.id);
    const rejectId = await review(b.reported.id, b.pupil.id);
    const open = await openCase(b.reported.id, new Date());

    const listed = async (client: ApiClient, status = 'pending') => {
      const items: ChildReviewView[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: ChildReviewView[]; nextCursor: string | null } } = await client.get(
          `/children/reviews?status=${status}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    };
    const pending = await listed(admin);
    const shown = pending.find((r) => r.id === confirmId)!;
    expect(shown).toMatchObject({
      status: 'pending',
      reason: 'neighbouring_village',
      child: { id: a.reported.id, onRoster: false, idNumberMasked: null },
      candidate: { id: a.pupil.id, onRoster: true, schoolName: DEMO_SCHOOL, place: expect.stringContaining('吴明') },
    });
    expect(shown.candidate.idNumberMasked).toMatch(/^\d{6}\*{8}\w{4}$/);
    expect(JSON.stringify(pending)).not.toContain(a.pupil.idNumber!);
    expect(pending.find((r) => r.id === rejectId)!.child.openCase).toEqual({ id: open.id, status: 'reported' });
    expect((await listed(leader)).map((r) => r.id)).toEqual(expect.arrayContaining([confirmId, rejectId]));
    const zhaiheLeader = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'official', position: 'leader', unitDivisionCode: ZHAIHE, countyCode: DEMO_COUNTY }),
    );
    expect((await listed(zhaiheLeader)).map((r) => r.id)).not.toContain(confirmId);
    expectError(await cadre.get('/children/reviews'), 403, 'FORBIDDEN');

    const rejected = await leader.post<ChildReviewView>(`/children/reviews/${rejectId}/decision`, {
      decision: 'reject',
      reason: '出生日期不同，是两个孩子',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decisionNote: '出生日期不同，是两个孩子',
      decidedByName: '王志强',
      mergeId: null,
    });
    expect(await manager().countBy(AuditEntry, { action: 'child.review.reject', targetId: rejectId })).toBe(1);
    expect(await manager().countBy(CaseEvent, { caseId: open.id, kind: 'child_review_rejected' })).toBe(1);

    const confirmed = await admin.post<ChildReviewView>(`/children/reviews/${confirmId}/decision`, {
      decision: 'confirm',
      reason: '核对学籍，是同一个孩子',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      candidate: { id: a.pupil.id, mergedIntoId: null },
      child: { mergedIntoId: a.pupil.id },
    });
    expect(confirmed.body.mergeId).toEqual(expect.any(String));
    expect(await manager().countBy(AuditEntry, { action: 'child.review.confirm', targetId: confirmId })).toBe(1);
    expect((await listed(admin, 'confirmed')).map((r) => r.id)).toContain(confirmId);
    expectError(
      await admin.post(`/children/reviews/${confirmId}/decision`, { decision: 'reject', reason: '再决定一次' }),
      409,
      'CHILD_REVIEW_DECIDED',
    );
    expectError(
      await admin.post(`/children/reviews/${rejectId}/decision`, { decision: 'confirm', reason: '核对', survivorId: a.pupil.id }),
      409,
      'CHILD_REVIEW_DECIDED',
    );
  });
});
