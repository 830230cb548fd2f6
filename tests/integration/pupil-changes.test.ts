import { randomUUID } from 'node:crypto';
import {
  addDays,
  chinaDay,
  schoolDaysUpTo,
  schoolYearOf,
  type PupilChangeView,
  type StatsResponse,
  type UploadResponse,
} from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { PupilChange } from '../../server/src/modules/pupil-changes/pupil-change.entity';
import { AbsenceMonitorService } from '../../server/src/modules/registry/absence-monitor.service';
import { SchoolCalendars } from '../../server/src/modules/school-calendar/school-calendars';
import { AbsenceAlert } from '../../server/src/modules/school-line/school-line.entities';
import { School } from '../../server/src/modules/schools/school.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_JUNIOR, DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { imageForm, photoWithGps, WUMING } from '../support/tips';

/**
 * 学籍异动 (BRIEF §4a, issue 14 item 7): a transfer out the receiving school confirms, a 休学 the
 * county approves with a document, a move away effective at once. Each closes or prevents a case with
 * its evidence and leaves the statistics' denominators right. On SQLite and MariaDB.
 */
describe('pupil changes (学籍异动)', () => {
  let server: TestServer;
  let schoolId: string;
  let juniorId: string;
  let otherCountySchoolId: string;
  let staff: ApiClient;
  let staffId: string;
  let leader: ApiClient;
  let receiving: ApiClient;
  let receivingId: string;
  let bystander: ApiClient;
  let admin: ApiClient;
  let parent: ApiClient;
  let schoolYear: number;

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());
  const record = (client: ApiClient, body: Record<string, unknown>) =>
    client.post<PupilChangeView>('/pupil-changes', { effectiveOn: today(), reason: '随父母务工转学', ...body });
  const stats = async (by: 'school' | 'township') =>
    (await admin.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}&by=${by}`)).body;
  const enrolledAt = (figures: StatsResponse, code: string) => {
    const row = figures.rows.find((r) => r.code === code);
    return row ? row.primary.enrolled + row.junior.enrolled : 0;
  };
  const total = (figures: StatsResponse) => figures.total.primary.enrolled + figures.total.junior.enrolled;
  /** A case the school's report opened for the child. */
  const openCase = async (childId: string) => {
    const reported = await leader.post<{ caseId: string }>(`/pupils/${childId}/report`, {
      clientKey: randomUUID(),
      reason: '多日未到校，疑似辍学',
    });
    expect(reported.status).toBe(200);
    return reported.body.caseId;
  };

  beforeAll(async () => {
    server = await startTestServer();
    schoolYear = schoolYearOf(today());
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    juniorId = (await schoolByName(server.dataSource, DEMO_JUNIOR)).id;
    otherCountySchoolId = (await seedOtherCounty(server.dataSource)).schoolId;
    const user = (
      displayName: string,
      unitSchoolId: string,
      position: 'school_staff' | 'leader' = 'school_staff',
      countyCode = DEMO_COUNTY,
    ) => createUser(server.dataSource, { role: 'official', position, unitSchoolId, countyCode, displayName });
    const [s, l, r, b] = await Promise.all([
      user('学籍管理员', schoolId),
      user('校长', schoolId, 'leader'),
      user('初中教务', juniorId),
      user('他县老师', otherCountySchoolId, 'school_staff', OTHER_COUNTY.code),
    ]);
    staffId = s.id;
    receivingId = r.id;
    [staff, leader, receiving, bystander] = await Promise.all([s, l, r, b].map((u) => clientFor(server, u)));
    [admin, parent] = await Promise.all([signInAs(server, 'county-admin'), signInAs(server, 'parent')]);
  });
  afterAll(async () => server?.close());

  it('moves a transferred pupil to the receiving school once it confirms; the case closes and the denominators follow', async () => {
    const child = await createPupil(server.dataSource, { name: '转学甲', schoolId, grade: 5, className: '6班', villageCode: WUMING });
    const caseId = await openCase(child.id);
    const before = await stats('school');

    // to the pupil's own school: refused naming the field, nothing written
    const own = await record(staff, { childId: child.id, kind: 'transfer_out', toSchoolId: schoolId });
    expect(expectError(own, 400, 'VALIDATION_FAILED').fields).toEqual({ toSchoolId: '转入学校不能是学生现在就读的学校' });
    expect(expectError(await record(staff, { childId: child.id, kind: 'transfer_out' }), 400, 'VALIDATION_FAILED').fields).toEqual({
      toSchoolId: '请选择转入学校',
    });
    expect(await manager().countBy(PupilChange, { childId: child.id })).toBe(0);
    // another school's staff cannot record a change of this pupil
    expectError(await record(bystander, { childId: child.id, kind: 'transfer_out', toSchoolId: juniorId }), 404, 'NOT_FOUND');

    const created = await record(staff, { childId: child.id, kind: 'transfer_out', toSchoolId: juniorId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'transfer_out', status: 'pending', fromSchoolName: DEMO_SCHOOL, toSchoolName: DEMO_JUNIOR });
    const id = created.body.id;
    expect(await manager().countBy(InboxMessage, { userId: receivingId, title: '有学生转入，请确认接收' })).toBe(1);
    // one change at a time
    expectError(await record(staff, { childId: child.id, kind: 'moved_away', destination: '浙江省杭州市' }), 409, 'PUPIL_CHANGE_PENDING');

    // the lists: outgoing for the pupil's school, incoming for the receiving one
    expect((await staff.get<{ items: PupilChangeView[] }>('/pupil-changes?direction=outgoing')).body.items.map((c) => c.id)).toContain(id);
    expect((await receiving.get<{ items: PupilChangeView[] }>('/pupil-changes?direction=incoming')).body.items.map((c) => c.id)).toEqual([
      id,
    ]);
    expect((await receiving.get<{ items: PupilChangeView[] }>('/pupil-changes?direction=outgoing')).body.items).toEqual([]);
    expect((await bystander.get<{ items: PupilChangeView[] }>('/pupil-changes?direction=incoming')).body.items).toEqual([]);

    // only the receiving school confirms
    expect(expectError(await staff.post(`/pupil-changes/${id}/confirm`, { approve: true }), 403, 'FORBIDDEN').message).toBe(
      '转学由接收学校确认',
    );
    expectError(await bystander.post(`/pupil-changes/${id}/confirm`, { approve: true }), 404, 'NOT_FOUND');
    expect((await manager().findOneByOrFail(Child, { id: child.id })).schoolId).toBe(schoolId);

    const confirmed = await receiving.post<PupilChangeView>(`/pupil-changes/${id}/confirm`, { approve: true, className: '1班' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'effective', closedCaseId: caseId });
    expectError(await receiving.post(`/pupil-changes/${id}/confirm`, { approve: false }), 409, 'PUPIL_CHANGE_DECIDED');

    // the same child record, now at the receiving school
    expect(await manager().findOneByOrFail(Child, { id: child.id })).toMatchObject({
      schoolId: juniorId,
      grade: 5,
      className: '1班',
      studentNumber: child.studentNumber,
    });
    expect(await manager().findOneByOrFail(DropoutCase, { id: caseId })).toMatchObject({
      status: 'not_dropout',
      notDropoutReason: 'transferred',
      openChildId: null,
    });
    expect(await manager().countBy(InboxMessage, { userId: staffId, title: '学籍异动（转出）：接收学校已确认' })).toBe(1);
    expect(await manager().countBy(AuditEntry, { action: 'pupil_change.confirm', childId: child.id })).toBe(1);
    const after = await stats('school');
    expect(enrolledAt(after, schoolId)).toBe(enrolledAt(before, schoolId) - 1);
    expect(enrolledAt(after, juniorId)).toBe(enrolledAt(before, juniorId) + 1);
    expect(total(after)).toBe(total(before));
  });

  it('refuses a transfer to a school outside the served counties and lets the receiving school refuse one', async () => {
    const child = await createPupil(server.dataSource, { name: '转学乙', schoolId, grade: 5, className: '6班' });
    // a school of another served county is in the system: allowed
    const created = await record(staff, { childId: child.id, kind: 'transfer_out', toSchoolId: otherCountySchoolId });
    expect(created.status).toBe(201);
    // a document the school attached stays with the school and the county: the receiving school reads no link
    const withDocument = await record(staff, {
      childId: (await createPupil(server.dataSource, { name: '转学丙', schoolId, grade: 5, className: '6班' })).id,
      kind: 'transfer_out',
      toSchoolId: juniorId,
      documentUploadId: (await staff.post<UploadResponse>('/uploads?purpose=pupil_change_document', imageForm(await photoWithGps(32, 32))))
        .body.id,
    });
    expect(withDocument.body.documentUrl).toMatch(/signature=/);
    const incoming = (await receiving.get<{ items: PupilChangeView[] }>('/pupil-changes?direction=incoming')).body.items;
    expect(incoming.find((c) => c.id === withDocument.body.id)).toMatchObject({ hasDocument: true, documentUrl: null });
    const county = (await admin.get<{ items: PupilChangeView[] }>('/pupil-changes')).body.items;
    expect(county.find((c) => c.id === withDocument.body.id)!.documentUrl).toMatch(/signature=/);

    const refused = await bystander.post<PupilChangeView>(`/pupil-changes/${created.body.id}/confirm`, {
      approve: false,
      note: '未到校报到',
    });
    expect(refused.body).toMatchObject({ status: 'refused', decisionNote: '未到校报到' });
    expect((await manager().findOneByOrFail(Child, { id: child.id })).schoolId).toBe(schoolId);
    // a refused change is done with: the pupil may have another
    const unknown = await record(staff, { childId: child.id, kind: 'transfer_out', toSchoolId: newId() });
    expect(expectError(unknown, 400, 'VALIDATION_FAILED').fields).toEqual({ toSchoolId: '找不到该学校' });
    // a school of a county the system does not serve: the pupil moved away instead
    const unservedId = newId();
    await manager().insert(School, {
      id: unservedId,
      name: '新县城关第一小学',
      stage: 'primary',
      code: null,
      countyCode: '411523000000',
      townshipCode: '411523100000',
      villageCode: null,
      address: null,
    });
    const unserved = await record(staff, { childId: child.id, kind: 'transfer_out', toSchoolId: unservedId });
    expect(expectError(unserved, 400, 'VALIDATION_FAILED').fields).toEqual({ toSchoolId: expect.stringContaining('迁出本县') });
    expect(await manager().countBy(PupilChange, { childId: child.id })).toBe(1);
  });

  it('suspends a pupil only with a document and the county’s approval; the absences no longer count', async () => {
    const calendar = await server.app.get(SchoolCalendars).of(manager(), DEMO_COUNTY);
    const child = await createPupil(server.dataSource, { name: '休学甲', schoolId, grade: 4, className: '6班' });
    const control = await createPupil(server.dataSource, { name: '休学对照', schoolId, grade: 4, className: '6班' });

    const missing = await record(staff, { childId: child.id, kind: 'suspension', reason: '因病住院治疗' });
    expect(expectError(missing, 400, 'VALIDATION_FAILED').fields).toEqual({ documentUploadId: '休学须上传证明材料照片' });
    expectError(await parent.post('/uploads?purpose=pupil_change_document', imageForm(await photoWithGps(64, 64))), 403, 'FORBIDDEN');
    const upload = await staff.post<UploadResponse>('/uploads?purpose=pupil_change_document', imageForm(await photoWithGps(64, 64)));
    expect(upload.status).toBe(201);

    const created = await record(staff, {
      childId: child.id,
      kind: 'suspension',
      reason: '因病住院治疗',
      documentUploadId: upload.body.id,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', hasDocument: true });
    // the school that recorded it sees the document, through a short-lived signed link
    expect(created.body.documentUrl).toMatch(/^\/api\/uploads\/.+signature=/);
    const adminId = (await demoUser(server.dataSource, 'county-admin')).id;
    expect(await manager().countBy(InboxMessage, { userId: adminId, title: '有休学申请待审批' })).toBe(1);

    // the school cannot approve its own; the county's list holds it
    expectError(await leader.post(`/pupil-changes/${created.body.id}/decision`, { approve: true }), 403, 'FORBIDDEN');
    expectError(await leader.post(`/pupil-changes/${created.body.id}/confirm`, { approve: true }), 409, 'PUPIL_CHANGE_WRONG_KIND');
    expectError(await receiving.post(`/pupil-changes/${created.body.id}/confirm`, { approve: true }), 404, 'NOT_FOUND');
    const approvals = await admin.get<{ items: PupilChangeView[] }>('/pupil-changes?direction=approval&status=pending');
    expect(approvals.body.items.map((c) => c.id)).toEqual([created.body.id]);
    // the county sees the document it approves on
    const documentUrl = approvals.body.items[0]!.documentUrl;
    expect(documentUrl).toMatch(/^\/api\/uploads\/.+signature=/);
    const fetched = await fetch(`${server.baseUrl}${documentUrl}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    const decided = await admin.post<PupilChangeView>(`/pupil-changes/${created.body.id}/decision`, {
      approve: true,
      note: '同意休学一年',
    });
    expect(decided.body).toMatchObject({ status: 'effective', decisionNote: '同意休学一年', closedCaseId: null });
    // still on the school's rolls (休学 keeps the 学籍), out of the class's roll call
    expect(await manager().findOneByOrFail(Child, { id: child.id })).toMatchObject({ schoolId, grade: 4, className: null });

    // ten school days absent without leave: the control pupil's case opens, the suspended pupil's does not
    const days = schoolDaysUpTo(today(), 10, calendar);
    await manager().insert(
      AttendanceDay,
      [child, control].flatMap((pupil) =>
        days.map((day) => ({
          id: newId(),
          childId: pupil.id,
          schoolId,
          day,
          present: false,
          excused: false,
          source: 'import' as const,
          reason: null,
          rollCallId: null,
          recordedBy: null,
          recordedAt: new Date(),
        })),
      ),
    );
    await server.app.get(AbsenceMonitorService).run(DEMO_COUNTY, today());
    expect(await manager().countBy(DropoutCase, { childId: control.id })).toBe(1);
    expect(await manager().countBy(DropoutCase, { childId: child.id })).toBe(0);
  });

  it('takes a pupil who moved away out of the county’s enrolment at once, closing the open case with the evidence', async () => {
    const child = await createPupil(server.dataSource, { name: '迁出甲', schoolId, grade: 3, className: '6班', villageCode: WUMING });
    const caseId = await openCase(child.id);
    const now = server.clock.now();
    await manager().insert(AbsenceAlert, {
      id: newId(),
      countyCode: DEMO_COUNTY,
      schoolId,
      childId: child.id,
      grade: 3,
      className: '6班',
      streakStart: addDays(today(), -3),
      lastAbsentDay: today(),
      streak: 3,
      status: 'contacted',
      caseId: null,
      createdAt: now,
      updatedAt: now,
    });
    const before = await stats('township');

    const tomorrow = await record(staff, {
      childId: child.id,
      kind: 'moved_away',
      destination: '浙江省杭州市',
      effectiveOn: addDays(today(), 1),
    });
    expect(expectError(tomorrow, 400, 'VALIDATION_FAILED').fields).toEqual({ effectiveOn: '迁出日期不能晚于今天' });
    expect(expectError(await record(staff, { childId: child.id, kind: 'moved_away' }), 400, 'VALIDATION_FAILED').fields).toEqual({
      destination: '请填写迁往地',
    });

    const moved = await record(staff, { childId: child.id, kind: 'moved_away', destination: '浙江省杭州市', reason: '全家随父母外出务工' });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ status: 'effective', destination: '浙江省杭州市', closedCaseId: caseId });
    expect(await manager().findOneByOrFail(DropoutCase, { id: caseId })).toMatchObject({
      status: 'not_dropout',
      notDropoutReason: 'moved_away',
    });
    const detail = await admin.get<{ events: Array<{ summary: string }> }>(`/cases/${caseId}`);
    expect(detail.body.events.map((e) => e.summary)).toContain('核实非辍学：已迁出本地');
    expect((await manager().findOneByOrFail(AbsenceAlert, { childId: child.id })).status).toBe('back');
    expect(await manager().findOneByOrFail(Child, { id: child.id })).toMatchObject({ schoolId: null, grade: null, className: null });

    const after = await stats('township');
    expect(total(after)).toBe(total(before) - 1);
    // the county still finds the record and its history: the change is in its list
    expect((await admin.get<{ items: PupilChangeView[] }>('/pupil-changes')).body.items.map((c) => c.id)).toContain(moved.body.id);
    // and the school cannot record it twice: the pupil is no longer theirs
    expectError(await record(staff, { childId: child.id, kind: 'moved_away', destination: '浙江省杭州市' }), 404, 'NOT_FOUND');
  });
});
