import type {
  AbsenceAlertView,
  BoundChildView,
  CalendarView,
  ChildSubsidiesResponse,
  ClassView,
  EnrolmentBatchView,
  EnrolmentNoticeView,
  LeaveView,
} from '@baoxue/shared';
import { DemoSeeder } from '../../server/src/database/seed/demo-seed';
import { DEMO_BINDING_CODE, DEMO_PARENT_CHILD, DEMO_PUPILS_SCHOOL } from '../../server/src/database/seed/demo-parents';
import { DEMO_ABSENT_PUPIL, DEMO_LEAVE_PUPIL } from '../../server/src/database/seed/demo-school-line';
import { RollCall } from '../../server/src/modules/school-line/school-line.entities';
import { Child } from '../../server/src/modules/children/child.entity';
import { Guardianship } from '../../server/src/modules/children/guardianship.entity';
import { EnrolmentNotice } from '../../server/src/modules/enrolment/enrolment.entities';
import { SubsidyPayment } from '../../server/src/modules/subsidies/subsidy.entities';
import { signInAs } from '../support/api';
import { schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The demo of `npm start` (demo mode): besides the county and the accounts, the parents'
 * walk-through of the README — pupils of 十里镇中心小学 with guardians, 张秀英's son not yet bound
 * with a known binding code, graduation notices, his eligibility and a paid payment.
 */
describe('the demo seed', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ mode: 'demo' });
  }, 60_000);
  afterAll(async () => server?.close());

  it('loads pupils of 十里镇中心小学 with roster guardians, none of them bound yet', async () => {
    const school = await schoolByName(server.dataSource, DEMO_PUPILS_SCHOOL);
    const pupils = await server.dataSource.manager.findBy(Child, { schoolId: school.id });
    expect(
      pupils
        .filter((p) => p.grade !== 4)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['刘浩然', '周雨桐', '王梓轩', '陈佳怡'].sort());
    expect(pupils.every((p) => p.studentNumber && p.bindingCode && p.grade)).toBe(true);
    const son = pupils.find((p) => p.name === DEMO_PARENT_CHILD)!;
    expect(await server.dataSource.manager.countBy(Guardianship, { childId: son.id })).toBe(0);
    const parent = await signInAs(server, 'parent');
    expect((await parent.get<{ items: BoundChildView[] }>('/children/mine')).body.items).toEqual([]);
  });

  it('shows the county its graduation notices, and the parent binds with the README code and sees the notice and the paid subsidy', async () => {
    const admin = await signInAs(server, 'county-admin');
    const batches = (await admin.get<{ items: EnrolmentBatchView[] }>('/enrolment/batches')).body.items;
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ kind: 'graduates', schoolName: '光山县十里镇初级中学', counts: { total: 3, pending: 3 } });

    const parent = await signInAs(server, 'parent');
    const bound = await parent.post<BoundChildView>('/children/bind', {
      bindingCode: DEMO_BINDING_CODE,
      childName: DEMO_PARENT_CHILD,
      relation: 'mother',
    });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ name: DEMO_PARENT_CHILD, schoolName: DEMO_PUPILS_SCHOOL, grade: 6 });

    const notices = (await parent.get<{ items: EnrolmentNoticeView[] }>('/enrolment/notices/mine')).body.items;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ childName: DEMO_PARENT_CHILD, kind: 'graduates', state: 'issued' });
    expect(notices[0]!.text).toContain('第五十八条');

    const subsidies = await parent.get<ChildSubsidiesResponse>(`/children/${bound.body.id}/subsidies`);
    expect(subsidies.status).toBe(200);
    expect(subsidies.body.eligibility).toEqual([expect.objectContaining({ category: 'registered_poor', stage: 'primary' })]);
    expect(subsidies.body.payments).toEqual([expect.objectContaining({ status: 'paid', amountFen: 31_250 })]);
    const semester = subsidies.body.entitlements.find((e) => e.semester === subsidies.body.payments[0]!.semester)!;
    expect(semester).toMatchObject({ totalFen: 31_250, paidFen: 31_250 });
  });

  it('gives the school line something to show: 班主任 and leader, recent roll calls, an absence to follow up, leave to decide', async () => {
    const [leader, teacher, admin] = await Promise.all(['school-leader', 'school-staff', 'county-admin'].map((a) => signInAs(server, a)));
    const classes = await leader.get<{ classes: ClassView[]; openAlerts: number; pendingLeave: number }>('/classes');
    expect(classes.status).toBe(200);
    const byLabel = new Map(classes.body.classes.map((c) => [c.label, c]));
    expect(byLabel.get('四年级1班')).toMatchObject({ pupils: 12, teachers: [expect.objectContaining({ name: '赵敏' })] });
    expect(byLabel.get('六年级1班')?.teachers.map((t) => t.name)).toEqual(['赵敏']);
    expect(byLabel.get('六年级2班')?.teachers).toEqual([]);
    expect(classes.body).toMatchObject({ openAlerts: 1, pendingLeave: 1 });

    const mine = await teacher.get<{ classes: ClassView[] }>('/classes');
    expect(
      mine.body.classes
        .filter((c) => c.mine)
        .map((c) => c.label)
        .sort(),
    ).toEqual(['六年级1班', '四年级1班']);
    // three school days of roll calls for every class of the school
    const rollCalls = await server.dataSource.manager.find(RollCall);
    expect(new Set(rollCalls.map((r) => r.day)).size).toBe(3);
    expect(new Set(rollCalls.map((r) => `${r.grade}${r.className}`))).toEqual(new Set(['32班', '61班', '62班', '41班']));

    const alerts = await teacher.get<{ items: AbsenceAlertView[] }>('/absence-alerts');
    expect(alerts.body.items).toEqual([
      expect.objectContaining({ childName: DEMO_ABSENT_PUPIL, status: 'open', streak: 3, classLabel: '四年级1班' }),
    ]);
    const leave = await teacher.get<{ items: LeaveView[] }>('/leave-requests?status=pending');
    expect(leave.body.items).toEqual([expect.objectContaining({ childName: DEMO_LEAVE_PUPIL, status: 'pending', kind: 'sick' })]);

    // the county's calendar: this school year's default terms and the national schedule
    const calendar = await admin.get<CalendarView>('/calendar');
    expect(calendar.status).toBe(200);
    expect(calendar.body.terms).toHaveLength(2);
  });

  it('is loaded once: seeding again changes nothing', async () => {
    const manager = server.dataSource.manager;
    const before = [await manager.count(Child), await manager.count(EnrolmentNotice), await manager.count(SubsidyPayment)];
    await expect(server.app.get(DemoSeeder).seedIfEmpty()).resolves.toBe(false);
    expect([await manager.count(Child), await manager.count(EnrolmentNotice), await manager.count(SubsidyPayment)]).toEqual(before);
  });
});
