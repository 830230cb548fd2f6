import { randomUUID } from 'node:crypto';
import {
  addDays,
  chinaDay,
  type CaseDetail,
  type CaseListItem,
  type familyContactView,
  type pupilFollowUpView,
  type reportPupilResponse,
} from '@baoxue/shared';
import type { z } from 'zod';
import { newId } from '../../server/src/common/ids';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { CaseEvent, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { FamilyContact, SchoolReport } from '../../server/src/modules/school-line/follow-up.entities';
import { AbsenceAlert, ClassTeacher, RollCall } from '../../server/src/modules/school-line/school-line.entities';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_JUNIOR, DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { WUMING } from '../support/tips';

type FollowUp = z.infer<typeof pupilFollowUpView>;
type ContactView = z.infer<typeof familyContactView>;
type ReportResponse = z.infer<typeof reportPupilResponse>;

/**
 * A school follows a pupil absent without leave (BRIEF §4a, issue 14 item 5): it records its contacts
 * with the family and reports the pupil — a case with source `school`, routed like a tip to the
 * township of the pupil's village, on the same child record. On SQLite and MariaDB.
 */
describe('the school reports a pupil', () => {
  let server: TestServer;
  let schoolId: string;
  let juniorId: string;
  let teacher: ApiClient;
  let teacherId: string;
  let otherTeacher: ApiClient;
  let plainStaff: ApiClient;
  let leader: ApiClient;
  let otherSchool: ApiClient;
  let township: ApiClient;
  let parent: ApiClient;

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());
  const contact = (client: ApiClient, childId: string, body: Record<string, unknown> = {}) =>
    client.post<ContactView>(`/pupils/${childId}/family-contacts`, {
      contactedOn: today(),
      channel: 'phone',
      contactPerson: '母亲',
      outcome: 'unreachable',
      note: '电话无人接听，明天家访',
      ...body,
    });
  const report = (client: ApiClient, childId: string, clientKey: string = randomUUID()) =>
    client.post<ReportResponse>(`/pupils/${childId}/report`, { clientKey, reason: '连续多日未到校，家长称孩子不愿上学' });
  /** A pupil of class 五年级8班 (the teacher's), living in 吴明村 of 十里镇. */
  const pupil = (name: string, className = '8班') =>
    createPupil(server.dataSource, { name, schoolId, grade: 5, className, villageCode: WUMING });

  beforeAll(async () => {
    server = await startTestServer();
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    juniorId = (await schoolByName(server.dataSource, DEMO_JUNIOR)).id;
    const staff = (displayName: string, position: 'school_staff' | 'leader', unitSchoolId = schoolId) =>
      createUser(server.dataSource, { role: 'official', position, unitSchoolId, countyCode: DEMO_COUNTY, displayName });
    const [t, o, p, l, j] = await Promise.all([
      staff('班主任甲', 'school_staff'),
      staff('班主任乙', 'school_staff'),
      staff('任课老师', 'school_staff'),
      staff('校长', 'leader'),
      staff('初中班主任', 'school_staff', juniorId),
    ]);
    teacherId = t.id;
    const assigned = { assignedBy: l.id, assignedAt: new Date() };
    await manager().insert(ClassTeacher, [
      { schoolId, grade: 5, className: '8班', userId: t.id, ...assigned },
      { schoolId, grade: 5, className: '9班', userId: o.id, ...assigned },
      { schoolId: juniorId, grade: 5, className: '8班', userId: j.id, ...assigned },
    ]);
    [teacher, otherTeacher, plainStaff, leader, otherSchool] = await Promise.all([t, o, p, l, j].map((u) => clientFor(server, u)));
    [township, parent] = await Promise.all([signInAs(server, 'township-leader'), signInAs(server, 'parent')]);
  });
  afterAll(async () => server?.close());

  it('records the contact, then the report opens a case with source school in the township inbox, on the same child', async () => {
    const child = await pupil('上报甲');
    const now = server.clock.now();
    await manager().insert(AbsenceAlert, {
      id: newId(),
      countyCode: DEMO_COUNTY,
      schoolId,
      childId: child.id,
      grade: 5,
      className: '8班',
      streakStart: addDays(today(), -4),
      lastAbsentDay: today(),
      streak: 3,
      status: 'open',
      caseId: null,
      createdAt: now,
      updatedAt: now,
    });

    // bad input names the field, nothing written
    expectError(await contact(teacher, child.id, { contactedOn: addDays(today(), 1) }), 400, 'VALIDATION_FAILED');
    expect((await contact(teacher, child.id, { contactedOn: addDays(today(), 1) })).body).toMatchObject({
      fields: { contactedOn: '联系日期不能晚于今天' },
    });
    expect((await contact(teacher, child.id, { contactedOn: addDays(today(), -61) })).body).toMatchObject({
      fields: { contactedOn: expect.stringContaining('60天') },
    });
    expect((await contact(teacher, child.id, { channel: 'letter' })).body).toMatchObject({ fields: { channel: '请选择联系方式' } });
    expect(await manager().countBy(FamilyContact, { childId: child.id })).toBe(0);

    const contacted = await contact(teacher, child.id);
    expect(contacted.status).toBe(201);
    expect(contacted.body).toMatchObject({ channel: 'phone', contactPerson: '母亲', outcome: 'unreachable', recordedByName: '班主任甲' });
    const alert = await manager().findOneByOrFail(AbsenceAlert, { childId: child.id });
    expect(alert.status).toBe('contacted');
    expect((await manager().findOneByOrFail(FamilyContact, { id: contacted.body.id })).alertId).toBe(alert.id);

    const key = randomUUID();
    const reported = await report(teacher, child.id, key);
    expect(reported.status).toBe(200);
    expect(reported.body.existing).toBe(false);
    const stored = await manager().findOneByOrFail(DropoutCase, { id: reported.body.caseId });
    expect(stored).toMatchObject({ childId: child.id, source: 'school', schoolId, townshipCode: '411522101000', villageCode: WUMING });
    expect((await manager().findOneByOrFail(AbsenceAlert, { id: alert.id })).status).toBe('reported');
    expect((await manager().findOneByOrFail(AbsenceAlert, { id: alert.id })).caseId).toBe(stored.id);

    // in the township's inbox, told like a new tip
    const inbox = await township.get<{ items: CaseListItem[] }>('/cases?source=school');
    expect(inbox.body.items.map((c) => c.id)).toContain(stored.id);
    const leaderId = (await demoUser(server.dataSource, 'township-leader')).id;
    expect(await manager().countBy(InboxMessage, { userId: leaderId, link: `/packages/official/pages/case/index?id=${stored.id}` })).toBe(
      1,
    );
    const detail = await township.get<CaseDetail>(`/cases/${stored.id}`);
    expect(detail.body.childId).toBe(child.id);
    const summaries = detail.body.events.map((e) => e.summary);
    expect(summaries).toContain('学校上报疑似辍学，立案');
    expect(summaries).toContainEqual(expect.stringContaining(`${DEMO_SCHOOL}上报疑似辍学：连续多日未到校`));
    expect(summaries).toContainEqual(expect.stringContaining(`已联系家长1次：${today()} 电话联系母亲：联系不上`));

    // the phone sends the report again: the same case, nothing written twice
    const again = await report(teacher, child.id, key);
    expect(again.body).toEqual({ caseId: stored.id, existing: false });
    expect(await manager().countBy(SchoolReport, { childId: child.id })).toBe(1);
    expect(await manager().countBy(CaseEvent, { caseId: stored.id, kind: 'school_reported' })).toBe(1);
    expect(await manager().countBy(DropoutCase, { childId: child.id })).toBe(1);
    // the key is the phone's for this report: another pupil with it is refused
    const other = await pupil('上报乙');
    expect((await report(teacher, other.id, key)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { clientKey: expect.any(String) },
    });
    // and a pupil the teacher does not follow is not found, before the key is looked at
    const elsewhere = await pupil('上报乙邻班', '9班');
    expectError(await report(teacher, elsewhere.id, key), 404, 'NOT_FOUND');

    // the follow-up page: contacts, alert, open case; reading it is audited
    const followUp = await teacher.get<FollowUp>(`/pupils/${child.id}/follow-up`);
    expect(followUp.status).toBe(200);
    expect(followUp.body).toMatchObject({
      name: '上报甲',
      classLabel: '五年级8班',
      schoolName: DEMO_SCHOOL,
      openCase: { id: stored.id, status: 'reported' },
      contacts: [expect.objectContaining({ contactPerson: '母亲' })],
      alerts: [expect.objectContaining({ id: alert.id, status: 'reported', contacts: 1, caseId: stored.id })],
    });
    expect(await manager().countBy(AuditEntry, { action: 'pupil.follow_up.read', childId: child.id, actorId: teacherId })).toBe(1);
    expect(await manager().countBy(AuditEntry, { action: 'pupil.report', childId: child.id })).toBe(1);
    expect(await manager().countBy(AuditEntry, { action: 'pupil.family_contact', childId: child.id })).toBe(1);
  });

  it('shows the last school days the class’s roll call was taken: present, excused, absent without leave', async () => {
    const child = await pupil('点名甲', '9班');
    const days = [10, 9, 8, 3].map((n) => addDays(today(), -n));
    const now = server.clock.now();
    await manager().insert(
      RollCall,
      days.map((day, i) => ({
        id: newId(),
        countyCode: DEMO_COUNTY,
        schoolId,
        grade: 5,
        className: '9班',
        day,
        pupils: 30,
        absent: i === 1 || i === 2 ? 1 : 0,
        late: i === 3 ? 1 : 0,
        clientKey: randomUUID(),
        takenBy: teacherId,
        takenAt: now,
        updatedBy: teacherId,
        updatedAt: now,
      })),
    );
    const mark = (day: string, present: boolean, excused: boolean, reason: 'sick' | 'unexcused' | 'late') => ({
      id: newId(),
      childId: child.id,
      schoolId,
      day,
      present,
      excused,
      source: 'roll_call' as const,
      reason,
      rollCallId: null,
      recordedBy: teacherId,
      recordedAt: now,
    });
    // an absence recorded on a day without the class's roll call is not among them
    await manager().insert(AttendanceDay, [
      mark(days[1]!, false, true, 'sick'),
      mark(days[2]!, false, false, 'unexcused'),
      mark(days[3]!, true, true, 'late'),
      mark(addDays(today(), -5), false, false, 'unexcused'),
    ]);
    const followUp = await otherTeacher.get<FollowUp>(`/pupils/${child.id}/follow-up`);
    expect(followUp.body).toMatchObject({
      classLabel: '五年级9班',
      lastSchoolDays: { days: 4, present: 2, excused: 1, unexcused: 1 },
      alerts: [],
      contacts: [],
      openCase: null,
    });
  });

  it('adds a report to the child’s open case: existing', async () => {
    const child = await pupil('上报丙');
    const first = await report(leader, child.id);
    expect(first.body.existing).toBe(false);
    const second = await report(teacher, child.id);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ caseId: first.body.caseId, existing: true });
    expect(await manager().countBy(CaseEvent, { caseId: first.body.caseId, kind: 'school_reported' })).toBe(2);
    expect(await manager().countBy(DropoutCase, { childId: child.id })).toBe(1);
  });

  it('opens one case for ten reports of one pupil sent at once', async () => {
    const child = await pupil('上报丁');
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => report(i % 2 ? teacher : leader, child.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const caseIds = new Set(answers.map((a) => a.body.caseId));
    expect(caseIds.size).toBe(1);
    expect(answers.filter((a) => !a.body.existing)).toHaveLength(1);
    expect(await manager().countBy(DropoutCase, { childId: child.id })).toBe(1);
    expect(await manager().countBy(SchoolReport, { childId: child.id })).toBe(10);
    expect(await manager().countBy(CaseEvent, { caseId: [...caseIds][0]!, kind: 'school_reported' })).toBe(10);
  });

  it('keeps a pupil to the school’s leader and the class’s 班主任', async () => {
    const child = await pupil('上报戊');
    // another school's staff, a teacher of another class, staff who teach no class: not found
    for (const client of [otherSchool, otherTeacher, plainStaff])
      expectError(await client.get(`/pupils/${child.id}/follow-up`), 404, 'NOT_FOUND');
    expectError(await report(otherSchool, child.id), 404, 'NOT_FOUND');
    expectError(await contact(otherSchool, child.id), 404, 'NOT_FOUND');
    // nor to act on: a colleague who does not teach the class does not find the pupil, whatever the key
    expectError(await report(otherTeacher, child.id), 404, 'NOT_FOUND');
    expectError(await contact(plainStaff, child.id), 404, 'NOT_FOUND');
    // officials the policy never lists are refused with its reason, before any record is looked up
    expect(expectError(await township.get(`/pupils/${child.id}/follow-up`), 403, 'FORBIDDEN').message).toBe(
      '缺勤跟进仅对班主任和学校负责人开放',
    );
    expect(expectError(await report(township, child.id), 403, 'FORBIDDEN').message).toBe('缺勤学生由班主任或学校负责人跟进和上报');
    expectError(
      await parent.post(`/pupils/${child.id}/report`, { clientKey: randomUUID(), reason: '家长自己上报的原因' }),
      403,
      'FORBIDDEN',
    );
    expect(await manager().countBy(DropoutCase, { childId: child.id })).toBe(0);
    expect(await manager().countBy(FamilyContact, { childId: child.id })).toBe(0);
    expect(await manager().countBy(SchoolReport, { childId: child.id })).toBe(0);
    // the leader sees every class of the school
    expect((await leader.get(`/pupils/${child.id}/follow-up`)).status).toBe(200);
  });

  it('lets the leader follow up and report a pupil the roster places in no class; a 班主任 does not find one', async () => {
    const child = await createPupil(server.dataSource, { name: '未分班甲', schoolId, grade: 5, villageCode: WUMING });
    const now = server.clock.now();
    // the daily monitor's alert of a pupil in no class (className ''), which only the leaders see
    const alertId = newId();
    await manager().insert(AbsenceAlert, {
      id: alertId,
      countyCode: DEMO_COUNTY,
      schoolId,
      childId: child.id,
      grade: 5,
      className: '',
      streakStart: addDays(today(), -4),
      lastAbsentDay: today(),
      streak: 3,
      status: 'open',
      caseId: null,
      createdAt: now,
      updatedAt: now,
    });
    for (const client of [teacher, otherTeacher, plainStaff]) {
      expectError(await client.get(`/pupils/${child.id}/follow-up`), 404, 'NOT_FOUND');
      expectError(await contact(client, child.id), 404, 'NOT_FOUND');
      expectError(await report(client, child.id), 404, 'NOT_FOUND');
    }

    const page = await leader.get<FollowUp>(`/pupils/${child.id}/follow-up`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      name: '未分班甲',
      classLabel: '五年级（未分班）',
      lastSchoolDays: { days: 0 },
      alerts: [expect.objectContaining({ id: alertId, status: 'open', classLabel: '五年级（未分班）' })],
    });
    expect((await contact(leader, child.id)).status).toBe(201);
    expect((await manager().findOneByOrFail(AbsenceAlert, { id: alertId })).status).toBe('contacted');
    const reported = await report(leader, child.id);
    expect(reported.status).toBe(200);
    expect(await manager().findOneByOrFail(DropoutCase, { id: reported.body.caseId })).toMatchObject({
      childId: child.id,
      source: 'school',
    });
  });

  it('shows a school only its own follow-up of a pupil: another school’s contacts and alerts stay with it', async () => {
    // a pupil transferred in from the junior school, which had followed them up
    const child = await pupil('转入跟进甲');
    const now = server.clock.now();
    const earlier = { countyCode: DEMO_COUNTY, schoolId: juniorId, childId: child.id, grade: 5, className: '3班' };
    await manager().insert(AbsenceAlert, {
      id: newId(),
      ...earlier,
      streakStart: addDays(today(), -40),
      lastAbsentDay: addDays(today(), -36),
      streak: 3,
      status: 'back',
      caseId: null,
      createdAt: now,
      updatedAt: now,
    });
    await manager().insert(FamilyContact, {
      id: newId(),
      countyCode: DEMO_COUNTY,
      schoolId: juniorId,
      childId: child.id,
      alertId: null,
      contactedOn: addDays(today(), -36),
      channel: 'visit',
      contactPerson: '祖母',
      outcome: 'refuses',
      note: '原学校家访记录：家中变故',
      nextStep: null,
      recordedBy: teacherId,
      recordedAt: now,
    });
    await contact(teacher, child.id, { contactPerson: '父亲' });

    const page = await teacher.get<FollowUp>(`/pupils/${child.id}/follow-up`);
    expect(page.body.alerts).toEqual([]);
    expect(page.body.contacts.map((c) => c.contactPerson)).toEqual(['父亲']);
    const reported = await report(teacher, child.id);
    const detail = await township.get<CaseDetail>(`/cases/${reported.body.caseId}`);
    const summaries = detail.body.events.map((e) => e.summary).join('\n');
    expect(summaries).toContain('电话联系父亲');
    expect(summaries).not.toContain('祖母');
  });
});
