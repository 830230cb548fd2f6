import { randomUUID } from 'node:crypto';
import { addDays, chinaDay, isSchoolDay, startOfChinaDay, type LeaveView, type SchoolCalendar } from '@baoxue/shared';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { InboxMessage, OutboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { SchoolCalendars } from '../../server/src/modules/school-calendar/school-calendars';
import { LeaveRecords } from '../../server/src/modules/school-line/leave-records';
import { LeaveRequest } from '../../server/src/modules/school-line/leave.entity';
import { ClassTeacher } from '../../server/src/modules/school-line/school-line.entities';
import { newId } from '../../server/src/common/ids';
import { expectError, signInWithWechat, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { imageForm, photoWithGps } from '../support/tips';

/** Parents' leave requests 请假 (BRIEF §4a, issue 14 item 4), on SQLite and MariaDB. */
describe('leave requests', () => {
  let server: TestServer;
  let schoolId: string;
  let calendar: SchoolCalendar;
  let parent: ApiClient;
  let parentId: string;
  let otherParent: ApiClient;
  let teacher: ApiClient;
  let teacherId: string;
  let otherTeacher: ApiClient;
  let leader: ApiClient;
  let childId: string;
  let siblingId: string;
  let otherChildId: string;
  let unrosteredId: string;

  const today = () => chinaDay(server.clock.now());
  /** The first school day on or after `day`. */
  const schoolDayFrom = (day: string) => {
    let d = day;
    while (!isSchoolDay(d, calendar)) d = addDays(d, 1);
    return d;
  };
  /** The first day on or after `day` that is not a school day (a weekend, a holiday). */
  const dayOffFrom = (day: string) => {
    let d = day;
    while (isSchoolDay(d, calendar)) d = addDays(d, 1);
    return d;
  };
  const ask = (client: ApiClient, body: Record<string, unknown>) =>
    client.post<LeaveView>('/leave-requests', {
      clientKey: randomUUID(),
      childId,
      kind: 'sick',
      reason: '发烧，医生建议在家休息',
      ...body,
    });

  beforeAll(async () => {
    server = await startTestServer();
    calendar = await server.app.get(SchoolCalendars).of(server.dataSource.manager, DEMO_COUNTY);
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    const pupil = (name: string, className: string, bindingCode: string) =>
      createPupil(server.dataSource, { name, schoolId, grade: 4, className, bindingCode });
    childId = (await pupil('请假甲', '9班', 'LEAVE0A1')).id;
    siblingId = (await pupil('请假乙', '9班', 'LEAVE0B2')).id;
    otherChildId = (await pupil('请假丙', '8班', 'LEAVE0C3')).id;
    unrosteredId = (await createPupil(server.dataSource, { name: '请假丁', schoolId: null, grade: null, bindingCode: 'LEAVE0D4' })).id;

    const mother = await signInWithWechat(server, 'openid-leave-mother');
    parent = mother.client;
    parentId = mother.session.user.id;
    for (const [code, name] of [
      ['LEAVE0A1', '请假甲'],
      ['LEAVE0B2', '请假乙'],
      ['LEAVE0D4', '请假丁'],
    ])
      expect((await parent.post('/children/bind', { bindingCode: code, childName: name, relation: 'mother' })).status).toBe(200);
    otherParent = (await signInWithWechat(server, 'openid-leave-other')).client;
    expect((await otherParent.post('/children/bind', { bindingCode: 'LEAVE0C3', childName: '请假丙', relation: 'father' })).status).toBe(
      200,
    );

    const staff = (displayName: string, position: 'school_staff' | 'leader') =>
      createUser(server.dataSource, { role: 'official', position, unitSchoolId: schoolId, countyCode: DEMO_COUNTY, displayName });
    const teacherUser = await staff('班主任甲', 'school_staff');
    const otherTeacherUser = await staff('班主任乙', 'school_staff');
    const leaderUser = await staff('校长丙', 'leader');
    teacherId = teacherUser.id;
    for (const [user, className] of [
      [teacherUser, '9班'],
      [otherTeacherUser, '8班'],
    ] as const)
      await server.dataSource.manager.insert(ClassTeacher, {
        schoolId,
        grade: 4,
        className,
        userId: user.id,
        assignedBy: leaderUser.id,
        assignedAt: new Date(),
      });
    [teacher, otherTeacher, leader] = await Promise.all([teacherUser, otherTeacherUser, leaderUser].map((u) => clientFor(server, u)));
  });
  afterAll(async () => server?.close());

  it('stores a request for a bound child, tells the 班主任, and a retry returns it', async () => {
    const day = schoolDayFrom(addDays(today(), 1));
    const photo = await parent.post<{ id: string }>('/uploads?purpose=leave_note', imageForm(await photoWithGps(320, 240)));
    expect(photo.status).toBe(201);
    const body = {
      clientKey: randomUUID(),
      childId,
      kind: 'sick',
      fromDay: day,
      toDay: day,
      reason: '发烧，医生建议在家休息',
      photoUploadId: photo.body.id,
    };
    // an upload for another purpose (the parent's deferral document) is not a leave note: refused, nothing written
    const deferral = await parent.post<{ id: string }>('/uploads?purpose=deferral_document', imageForm(await photoWithGps(32, 32)));
    const wrong = await parent.post('/leave-requests', { ...body, clientKey: randomUUID(), photoUploadId: deferral.body.id });
    expect(expectError(wrong, 400, 'VALIDATION_FAILED').fields).toHaveProperty('photoUploadId');
    expect(await server.dataSource.manager.countBy(LeaveRequest, { childId })).toBe(0);
    const created = await parent.post<LeaveView>('/leave-requests', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      childId,
      childName: '请假甲',
      classLabel: '四年级9班',
      kind: 'sick',
      fromDay: day,
      toDay: day,
      schoolDays: 1,
      status: 'pending',
      hasPhoto: true,
      decisionNote: null,
    });
    expect(created.body.photoUrl).toMatch(/^\/api\/uploads\/.+signature=/);

    const retried = await parent.post<LeaveView>('/leave-requests', body);
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(created.body.id);
    expect(await server.dataSource.manager.countBy(LeaveRequest, { childId })).toBe(1);

    const told = await server.dataSource.manager.findBy(InboxMessage, { userId: teacherId });
    expect(told.map((m) => m.title)).toContain('有家长请假待审批');
    expect(told.find((m) => m.title === '有家长请假待审批')!.body).toContain('请假甲（四年级9班）请病假');

    // the other class's 班主任 neither sees nor decides it; the leader sees the whole school
    expect((await teacher.get<{ items: LeaveView[] }>('/leave-requests?status=pending')).body.items.map((l) => l.id)).toEqual([
      created.body.id,
    ]);
    expect((await otherTeacher.get<{ items: LeaveView[] }>('/leave-requests')).body.items).toEqual([]);
    expect((await leader.get<{ items: LeaveView[] }>('/leave-requests')).body.items.map((l) => l.id)).toContain(created.body.id);
    expectError(await otherTeacher.post(`/leave-requests/${created.body.id}/decision`, { approve: true, note: null }), 404, 'NOT_FOUND');
    expectError(await otherParent.post(`/leave-requests/${created.body.id}/decision`, { approve: true, note: null }), 403, 'FORBIDDEN');
    expect((await otherParent.get<{ items: LeaveView[] }>('/leave-requests/mine')).body.items).toEqual([]);
  });

  it('approves once, tells the parent in the app and by subscribe message, and excuses the days', async () => {
    const [pending] = (await parent.get<{ items: LeaveView[] }>('/leave-requests/mine')).body.items;
    const [first, second] = await Promise.all([
      teacher.post<LeaveView>(`/leave-requests/${pending!.id}/decision`, { approve: true, note: '好好休息' }),
      leader.post<LeaveView>(`/leave-requests/${pending!.id}/decision`, { approve: false, note: '请补交证明' }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = first.status === 200 ? first : second;
    expectError(first.status === 200 ? second : first, 409, 'LEAVE_DECIDED');

    const mine = (await parent.get<{ items: LeaveView[] }>('/leave-requests/mine')).body.items[0]!;
    expect(mine).toMatchObject({ id: pending!.id, status: winner.body.status, decisionNote: winner.body.decisionNote });
    expect(mine.decidedByName).toMatch(/班主任甲|校长丙/);
    const inbox = await server.dataSource.manager.findBy(InboxMessage, { userId: parentId });
    expect(inbox.map((m) => m.title)).toContain(winner.body.status === 'approved' ? '请假已批准' : '请假未获批准');
    const outbox = await server.dataSource.manager.findBy(OutboxMessage, { userId: parentId, template: 'leave_decided' });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toMatchObject({ data: expect.objectContaining({ thing1: '请假甲' }) });
    // the subscribe message leaves the product: neither the kind of leave (病假) nor the teacher's note goes with it
    const sent = JSON.stringify(outbox[0]!.payload);
    for (const withheld of ['病假', '好好休息', '请补交证明']) expect(sent).not.toContain(withheld);

    if (winner.body.status === 'approved') {
      const days = await server.app
        .get(LeaveRecords)
        .approvedDays(server.dataSource.manager, [childId, siblingId], '2000-01-01', '2100-01-01');
      expect([...days.keys()]).toEqual([childId]);
      expect([...days.get(childId)!]).toEqual([pending!.fromDay]);
    }
  });

  it('refuses a request for a child the parent is not bound to, or one not on a school roster', async () => {
    const day = schoolDayFrom(addDays(today(), 1));
    expectError(await ask(otherParent, { fromDay: day, toDay: day }), 404, 'NOT_FOUND');
    expectError(await ask(parent, { childId: otherChildId, fromDay: day, toDay: day }), 404, 'NOT_FOUND');
    const unrostered = expectError(await ask(parent, { childId: unrosteredId, fromDay: day, toDay: day }), 400, 'VALIDATION_FAILED');
    expect(unrostered.fields.childId).toContain('学籍名册');
    expect(await server.dataSource.manager.countBy(LeaveRequest, { childId: unrosteredId })).toBe(0);
  });

  it('refuses past days, too long a leave, days without school, naming the field', async () => {
    const yesterday = addDays(today(), -1);
    expect(
      expectError(await ask(parent, { childId: siblingId, fromDay: yesterday, toDay: today() }), 400, 'VALIDATION_FAILED').fields,
    ).toHaveProperty('fromDay');
    const start = schoolDayFrom(addDays(today(), 40));
    expect(
      expectError(await ask(parent, { childId: siblingId, fromDay: start, toDay: addDays(start, 31) }), 400, 'VALIDATION_FAILED').fields,
    ).toHaveProperty('toDay');
    const off = dayOffFrom(addDays(today(), 1));
    expect(
      expectError(await ask(parent, { childId: siblingId, fromDay: off, toDay: off }), 400, 'VALIDATION_FAILED').fields.fromDay,
    ).toContain('不上课');
    expect(
      expectError(await ask(parent, { childId: siblingId, fromDay: start, toDay: addDays(start, -1) }), 400, 'VALIDATION_FAILED').fields,
    ).toHaveProperty('toDay');
    expect(await server.dataSource.manager.countBy(LeaveRequest, { childId: siblingId })).toBe(0);
  });

  it('refuses an overlapping request with LEAVE_OVERLAP, and of two sent at once stores one', async () => {
    const from = schoolDayFrom(addDays(today(), 10));
    const to = addDays(from, 3);
    expect((await ask(parent, { childId: siblingId, fromDay: from, toDay: to })).status).toBe(201);
    const overlap = expectError(await ask(parent, { childId: siblingId, fromDay: to, toDay: addDays(to, 2) }), 409, 'LEAVE_OVERLAP');
    expect(overlap.fields.fromDay).toContain('重叠');

    const later = schoolDayFrom(addDays(today(), 20));
    const raced = await Promise.all([0, 1, 2].map((i) => ask(parent, { childId: siblingId, fromDay: later, toDay: addDays(later, i) })));
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const lost of raced.filter((r) => r.status === 409)) expectError(lost, 409, 'LEAVE_OVERLAP');
    expect(
      await server.dataSource.manager
        .createQueryBuilder(LeaveRequest, 'l')
        .where('l.child_id = :siblingId AND l.from_day = :later', { siblingId, later })
        .getCount(),
    ).toBe(1);
  });

  it('lets the parent withdraw a pending or a future approved request, not a started one', async () => {
    const from = schoolDayFrom(addDays(today(), 90));
    const pending = await ask(parent, { childId: siblingId, fromDay: from, toDay: from });
    const withdrawn = await parent.post<LeaveView>(`/leave-requests/${pending.body.id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expectError(await parent.post(`/leave-requests/${pending.body.id}/withdraw`), 409, 'LEAVE_NOT_WITHDRAWABLE');
    expectError(await otherParent.post(`/leave-requests/${pending.body.id}/withdraw`), 404, 'NOT_FOUND');
    // withdrawn days are free again
    const again = await ask(parent, { childId: siblingId, fromDay: from, toDay: from });
    expect(again.status).toBe(201);
    expectError(await teacher.post(`/leave-requests/${pending.body.id}/decision`, { approve: true, note: null }), 409, 'LEAVE_DECIDED');

    // an approved leave that has begun stays
    const started = newId();
    await server.dataSource.manager.insert(LeaveRequest, {
      id: started,
      countyCode: DEMO_COUNTY,
      schoolId,
      childId: siblingId,
      grade: 4,
      className: '9班',
      kind: 'personal',
      fromDay: addDays(today(), -2),
      toDay: today(),
      reason: '回老家',
      photoUploadId: null,
      status: 'approved',
      requestedBy: parentId,
      clientKey: randomUUID(),
      requestedAt: new Date(),
      decidedBy: teacherId,
      decidedAt: new Date(),
      decisionNote: null,
    });
    expectError(await parent.post(`/leave-requests/${started}/withdraw`), 409, 'LEAVE_NOT_WITHDRAWABLE');
  });

  it('shows a refusal with its note to the parent, and pages the parent’s list newest first', async () => {
    const from = schoolDayFrom(addDays(today(), 110));
    const asked = await ask(parent, { childId: siblingId, kind: 'personal', fromDay: from, toDay: from, reason: '家中有事' });
    const refused = await teacher.post<LeaveView>(`/leave-requests/${asked.body.id}/decision`, {
      approve: false,
      note: '考试周，请按时到校',
    });
    expect(refused.body).toMatchObject({ status: 'refused', decisionNote: '考试周，请按时到校', decidedByName: '班主任甲' });
    const first = await parent.get<{ items: LeaveView[]; nextCursor: string | null }>('/leave-requests/mine?limit=1');
    expect(first.body.items[0]).toMatchObject({ id: asked.body.id, status: 'refused', decisionNote: '考试周，请按时到校' });
    expect(first.body.nextCursor).not.toBeNull();
    const second = await parent.get<{ items: LeaveView[] }>(`/leave-requests/mine?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0]!.id < asked.body.id).toBe(true);
    const inbox = await server.dataSource.manager.findBy(InboxMessage, { userId: parentId });
    // an earlier test refused another request of this parent: look for this refusal among theirs
    const refusals = inbox.filter((m) => m.title === '请假未获批准').map((m) => m.body);
    expect(refusals.some((body) => body.includes('考试周，请按时到校'))).toBe(true);
  });

  it('an approval after the day was marked absent makes the recorded absence excused', async () => {
    const day = addDays(today(), 3);
    // a roll call (or an import) already marked the child absent without leave on a day the leave covers
    await server.dataSource.manager.insert(AttendanceDay, {
      id: newId(),
      childId: otherChildId,
      schoolId,
      day,
      present: false,
      excused: false,
      source: 'school',
      recordedBy: null,
      recordedAt: new Date(),
    } as AttendanceDay);
    const from = today() <= day ? today() : day;
    const to = addDays(day, 1);
    const asked = await ask(otherParent, { childId: otherChildId, fromDay: from, toDay: schoolDayFrom(to) });
    expect(asked.status).toBe(201);
    expect((await leader.post<LeaveView>(`/leave-requests/${asked.body.id}/decision`, { approve: true, note: null })).body.status).toBe(
      'approved',
    );
    const row = await server.dataSource.manager.findOneByOrFail(AttendanceDay, { childId: otherChildId, day });
    expect(row.excused).toBe(true);
  });

  it('the roll call of a day an approved leave covers shows the leave and counts the absence excused', async () => {
    // the leave approved above runs from today to after `day`: its first school day is the roll call's
    const day = schoolDayFrom(addDays(today(), 1));
    server.clock.advance(startOfChinaDay(day).getTime() + 9 * 3_600_000 - server.clock.now().getTime());
    expect(today()).toBe(day);
    const sheet = await otherTeacher.get<{ pupils: Array<{ childId: string; leave: { kind: string } | null }> }>(
      `/roll-calls/sheet?grade=4&className=${encodeURIComponent('8班')}&day=${day}`,
    );
    expect(sheet.status).toBe(200);
    expect(sheet.body.pupils.find((p) => p.childId === otherChildId)!.leave).toMatchObject({ kind: 'sick' });
    const taken = await otherTeacher.post('/roll-calls', {
      clientKey: randomUUID(),
      grade: 4,
      className: '8班',
      day,
      marks: [{ childId: otherChildId, reason: 'unexcused' }],
    });
    expect(taken.status).toBe(201);
    const row = await server.dataSource.manager.findOneByOrFail(AttendanceDay, { childId: otherChildId, day });
    expect(row).toMatchObject({ present: false, excused: true });
  });
});
