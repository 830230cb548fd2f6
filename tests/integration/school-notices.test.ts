import type { ReceivedSchoolNoticeView, SchoolNoticeView } from '@baoxue/shared';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { createPupil, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

describe('school notices', () => {
  let server: TestServer;
  let staff: ApiClient;
  let parent: ApiClient;
  let otherParent: ApiClient;
  let otherParentId: string;
  let notice: SchoolNoticeView;

  beforeAll(async () => {
    server = await startTestServer();
    [staff, parent] = await Promise.all(['school-staff', 'parent'].map((a) => signInAs(server, a)));
    const schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    await createPupil(server.dataSource, { name: '三二甲', schoolId, grade: 3, className: '2班', bindingCode: 'CLASS3B2' });
    await createPupil(server.dataSource, { name: '三二乙', schoolId, grade: 3, className: '2班', bindingCode: 'CLASS3B3' });
    await createPupil(server.dataSource, { name: '三一丙', schoolId, grade: 3, className: '1班', bindingCode: 'CLASS3A4' });
    await createPupil(server.dataSource, { name: '五一丁', schoolId, grade: 5, className: '1班', bindingCode: 'CLASS5A5' });
    await parent.post('/children/bind', { bindingCode: 'CLASS3B2', childName: '三二甲', relation: 'mother' });
    await parent.post('/children/bind', { bindingCode: 'CLASS5A5', childName: '五一丁', relation: 'mother' });
    const other = await signInWithWechat(server, 'openid-class-parent');
    otherParent = other.client;
    otherParentId = other.session.user.id;
    await otherParent.post('/children/bind', { bindingCode: 'CLASS3A4', childName: '三一丙', relation: 'father' });
  });
  afterAll(async () => server?.close());

  it('sends to the guardians of a class, and counts pupils reached and readers', async () => {
    const sent = await staff.post<SchoolNoticeView>('/school-notices', {
      audience: { kind: 'class', grade: 3, className: '2班' },
      title: '家长会通知',
      body: '本周五下午3点在三年级2班教室召开家长会，请准时参加。',
    });
    expect(sent.status).toBe(201);
    notice = sent.body;
    expect(notice).toMatchObject({
      audience: 'class',
      audienceLabel: '三年级2班',
      pupils: 2,
      pupilsReached: 1,
      recipients: 1,
      read: 0,
      sentByName: '赵敏',
    });
    expect(await server.dataSource.manager.countBy(InboxMessage, { userId: otherParentId })).toBe(0);
  });

  it('shows the parent the notice with an unread marker until read, and the school the read count', async () => {
    const list = await parent.get<{ items: ReceivedSchoolNoticeView[]; unread: number }>('/school-notices/mine');
    expect(list.body.unread).toBe(1);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: notice.id, read: false, childNames: ['三二甲'], schoolName: DEMO_SCHOOL }),
    ]);
    expect((await parent.post<ReceivedSchoolNoticeView>(`/school-notices/${notice.id}/read`)).body.read).toBe(true);
    expect((await parent.get<{ unread: number }>('/school-notices/mine')).body.unread).toBe(0);
    expect((await staff.get<SchoolNoticeView>(`/school-notices/${notice.id}`)).body.read).toBe(1);
    expectError(await otherParent.post(`/school-notices/${notice.id}/read`), 404, 'NOT_FOUND');
  });

  it('sends to a grade or the whole school, one copy per guardian naming each of their children', async () => {
    const grade = await staff.post<SchoolNoticeView>('/school-notices', {
      audience: { kind: 'grade', grade: 3 },
      title: '三年级春游',
      body: '下周三组织春游。',
    });
    expect(grade.body).toMatchObject({ audienceLabel: '三年级', pupils: 3, pupilsReached: 2, recipients: 2 });
    const whole = await staff.post<SchoolNoticeView>('/school-notices', {
      audience: { kind: 'school' },
      title: '放假通知',
      body: '国庆节放假七天。',
    });
    expect(whole.body).toMatchObject({ audienceLabel: '全校', pupils: 4, recipients: 2 });
    const mine = await parent.get<{ items: ReceivedSchoolNoticeView[] }>('/school-notices/mine');
    expect(mine.body.items[0]).toMatchObject({ title: '放假通知', childNames: expect.arrayContaining(['三二甲', '五一丁']) });
    const listed = await staff.get<{ items: SchoolNoticeView[] }>('/school-notices');
    expect(listed.body.items.map((n) => n.title)).toEqual(['放假通知', '三年级春游', '家长会通知']);
    expectError(
      await staff.post('/school-notices', {
        audience: { kind: 'class', grade: 4, className: '9班' },
        title: '测试',
        body: '没有学生的班级',
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('is sent by school staff only and kept to the school (and its county)', async () => {
    expectError(
      await (
        await signInAs(server, 'township-cadre')
      ).post('/school-notices', { audience: { kind: 'school' }, title: '测试', body: '测试内容' }),
      403,
      'FORBIDDEN',
    );
    const otherSchool = (await schoolByName(server.dataSource, '光山县寨河镇中心小学')).id;
    const otherStaff = await clientFor(
      server,
      await createUser(server.dataSource, {
        role: 'official',
        position: 'school_staff',
        unitSchoolId: otherSchool,
        countyCode: '411522000000',
      }),
    );
    expectError(await otherStaff.get(`/school-notices/${notice.id}`), 404, 'NOT_FOUND');
    expect((await otherStaff.get<{ items: unknown[] }>('/school-notices')).body.items).toEqual([]);
    expect((await (await signInAs(server, 'county-admin')).get(`/school-notices/${notice.id}`)).status).toBe(200);
  });
});
