import type { BoundChildView, ChildSubsidiesResponse, EnrolmentBatchView, EnrolmentNoticeView } from '@baoxue/shared';
import { DemoSeeder } from '../../server/src/database/seed/demo-seed';
import { DEMO_BINDING_CODE, DEMO_PARENT_CHILD, DEMO_PUPILS_SCHOOL } from '../../server/src/database/seed/demo-parents';
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
    expect(pupils.map((p) => p.name).sort()).toEqual(['刘浩然', '周雨桐', '王梓轩', '陈佳怡'].sort());
    expect(pupils.every((p) => p.studentNumber && p.bindingCode && p.grade)).toBe(true);
    expect(await server.dataSource.manager.count(Guardianship)).toBe(0);
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

  it('is loaded once: seeding again changes nothing', async () => {
    const manager = server.dataSource.manager;
    const before = [await manager.count(Child), await manager.count(EnrolmentNotice), await manager.count(SubsidyPayment)];
    await expect(server.app.get(DemoSeeder).seedIfEmpty()).resolves.toBe(false);
    expect([await manager.count(Child), await manager.count(EnrolmentNotice), await manager.count(SubsidyPayment)]).toEqual(before);
  });
});
