import { schoolDaysUpTo, schoolYearOf, type CaseDetail, type NoticeView, type StatsResponse } from '@baoxue/shared';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { AbsenceMonitorService } from '../../server/src/modules/registry/absence-monitor.service';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../support/api';
import { countyCalendar } from '../support/calendar';
import { ABSENCE_HEADER, importRegistry, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit } from '../support/tips';

const COUNTY = '411522000000';
/** The demo parent's son: a sixth-grader on the roster of 光山县十里镇中心小学 (server/src/database/seed/demo-parents.ts). */
const PUPIL = '王梓轩';

type Row = StatsResponse['rows'][number];

/**
 * One child, one record (BRIEF §3a), followed through every module it touches: a tip about a
 * rostered pupil lands on that pupil, so his school hears of the case, his bound mother receives
 * the written notice in the app, later absences join the same case, and the statistics count him
 * once at every level.
 */
describe('a tip about a pupil on the roster, from tip to statistics', () => {
  let server: TestServer;
  let supervisor: ApiClient;
  let cadre: ApiClient;
  let leader: ApiClient;
  let schoolStaff: ApiClient;
  let admin: ApiClient;
  let parent: ApiClient;

  beforeAll(async () => {
    // demo mode loads the parents' walk-through: 王梓轩 on the roster, his mother's account not yet bound
    server = await startTestServer({ mode: 'demo', env: { OUTBOX_POLL_MS: '0' } });
    await raiseTipLimit(server.dataSource);
    [supervisor, cadre, leader, schoolStaff, admin, parent] = await Promise.all(
      ['supervisor', 'township-cadre', 'township-leader', 'school-staff', 'county-admin', 'parent'].map((a) => signInAs(server, a)),
    );
  }, 30_000);
  afterAll(async () => server?.close());

  const today = () => new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const schoolYear = () => schoolYearOf(today());

  async function step(client: ApiClient, caseId: string, body: Record<string, unknown>): Promise<CaseDetail> {
    const current = await client.get<CaseDetail>(`/cases/${caseId}`);
    const response = await client.post<CaseDetail>(`/cases/${caseId}/transitions`, { version: current.body.version, ...body });
    if (response.status !== 200) throw new Error(`${String(body.transition)}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async function stats(client: ApiClient, by: 'village' | 'township' | 'school'): Promise<StatsResponse> {
    const response = await client.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear()}&by=${by}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Primary-school dropouts at each level the child belongs to, as the API answers. */
  async function primaryDropouts(child: Child) {
    const [villages, townships, schools] = await Promise.all([
      stats(admin, 'village'),
      stats(admin, 'township'),
      stats(schoolStaff, 'school'),
    ]);
    const row = (rows: Row[], code: string) => rows.find((r) => r.code === code)?.primary.dropouts ?? 0;
    return {
      village: row(villages.rows, child.villageCode!),
      township: row(townships.rows, `${child.villageCode!.slice(0, 9)}000`),
      county: townships.total.primary.dropouts,
      school: schools.total.primary.dropouts,
    };
  }

  /** The same figures recounted from the raw rows: children with a case confirmed in the school year. */
  async function recount(child: Child) {
    const year = schoolYear();
    const rows = await server.dataSource.manager
      .createQueryBuilder(DropoutCase, 'c')
      .innerJoin(Child, 'ch', 'ch.id = c.child_id')
      .distinct(true)
      .select('ch.id', 'id')
      .addSelect('ch.village_code', 'village')
      .addSelect('ch.school_id', 'school')
      .addSelect('ch.county_code', 'county')
      .addSelect('ch.grade', 'grade')
      .where('c.merged_into_id IS NULL AND c.confirmed_at IS NOT NULL AND c.status <> :notDropout', { notDropout: 'not_dropout' })
      .andWhere('c.confirmed_at >= :from', { from: new Date(`${year}-09-01T00:00:00+08:00`) })
      .getRawMany<{ id: string; village: string | null; school: string | null; county: string | null; grade: number | null }>();
    const primary = rows.filter((r) => Number(r.grade) >= 1 && Number(r.grade) <= 6);
    return {
      village: primary.filter((r) => r.village === child.villageCode).length,
      township: primary.filter((r) => r.village?.startsWith(child.villageCode!.slice(0, 9))).length,
      county: primary.filter((r) => r.county === COUNTY).length,
      school: primary.filter((r) => r.school === child.schoolId).length,
    };
  }

  it('lands on the rostered pupil, reaches his school and his bound mother, keeps one case, and counts him once', async () => {
    const pupil = await server.dataSource.manager.findOneByOrFail(Child, { name: PUPIL });
    expect(pupil.studentNumber).not.toBeNull();
    const childrenBefore = await server.dataSource.manager.count(Child);

    // his mother binds him with the code on the paper notice
    const bound = await parent.post('/children/bind', { bindingCode: pupil.bindingCode, childName: PUPIL, relation: 'mother' });
    expect(bound.status).toBe(200);

    // a supervisor reports him with his exact ID number
    const tip = await fileTip(supervisor, {
      divisionCode: pupil.villageCode,
      child: { name: PUPIL, sex: 'male', age: 12, idNumber: pupil.idNumber },
    });
    expect(tip.status).toBe(201);
    const stored = await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id });
    const record = await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: stored.caseId });
    expect(record.childId).toBe(pupil.id);
    expect(await server.dataSource.manager.count(Child)).toBe(childrenBefore);
    expect(await server.dataSource.manager.countBy(Child, { idNumber: pupil.idNumber! })).toBe(1);

    // the school line is on the case and was told
    expect(record.schoolId).toBe(pupil.schoolId);
    const messages = await schoolStaff.get<{ items: Array<{ title: string; link: string | null }> }>('/messages');
    expect(messages.body.items.some((m) => m.title === '新的疑似辍学线索' && m.link?.includes(record.id))).toBe(true);

    // officials see his roster place, with the ID number masked
    const caseId = record.id;
    let detail = (await cadre.get<CaseDetail>(`/cases/${caseId}`)).body;
    expect(detail.child).toMatchObject({ name: PUPIL, roster: { schoolName: '光山县十里镇中心小学', grade: 6 } });
    expect(detail.child.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(detail.schoolName).toBe('光山县十里镇中心小学');

    const before = await primaryDropouts(pupil);
    expect(before).toEqual(await recount(pupil));

    // the township confirms, visits, and issues the written notice: it goes to his mother in the app
    expect((await cadre.post<CaseDetail>(`/cases/${caseId}/accept`, {})).status).toBe(200);
    await step(cadre, caseId, { transition: 'start_verification' });
    await step(cadre, caseId, { transition: 'confirm', causes: ['learning_difficulty'] });
    const visited = await cadre.post<CaseDetail>(`/cases/${caseId}/visits`, {
      version: (await cadre.get<CaseDetail>(`/cases/${caseId}`)).body.version,
      visitedOn: today(),
      visitors: '陈丽（包抓干部）',
      met: '母亲',
      statedReason: '孩子说学习跟不上',
      commitments: '下周送回学校',
      outcome: 'refused',
    });
    expect(visited.status).toBe(200);
    const deadlineOn = new Date(server.clock.now().getTime() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
    detail = await step(leader, caseId, { transition: 'escalate', step: 'written_notice', deadlineOn });
    expect(detail.notices).toHaveLength(1);
    expect(detail.notices[0]).toMatchObject({ delivery: 'app', acknowledgedAt: null });
    const notices = await parent.get<{ items: NoticeView[] }>('/notices/mine');
    expect(notices.body.items.map((n) => n.childName)).toEqual([PUPIL]);
    const acknowledged = await parent.post<NoticeView>(`/notices/${notices.body.items[0]!.id}/acknowledge`);
    expect(acknowledged.body.acknowledgedAt).not.toBeNull();

    // his absences arrive from the school: they join the open case, no second case opens
    const days = schoolDaysUpTo(today(), 10, await countyCalendar(server, COUNTY));
    const absences = await importRegistry(
      server,
      admin,
      'absence',
      await xlsx(
        ABSENCE_HEADER,
        days.map((day) => [pupil.studentNumber!, day, '否']),
      ),
    );
    expect(absences).toMatchObject({ status: 'completed', errors: [] });
    const monitored = await server.app.get(AbsenceMonitorService).run(COUNTY, today());
    expect(monitored.opened).toBe(0);
    expect(await server.dataSource.manager.countBy(DropoutCase, { childId: pupil.id })).toBe(1);

    // he is counted once at his school, village, township and county, as a recount says
    const after = await primaryDropouts(pupil);
    expect(after).toEqual({
      village: before.village + 1,
      township: before.township + 1,
      county: before.county + 1,
      school: before.school + 1,
    });
    expect(after).toEqual(await recount(pupil));
  });

  it('counts a dropout found only by a tip in the county row', async () => {
    const before = (await stats(admin, 'township')).total;
    const tip = await fileTip(supervisor, { child: { name: '只有线索', sex: 'female', age: 10, grade: 4 } });
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId;
    const child = await server.dataSource.manager.findOneByOrFail(Child, {
      id: (await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: caseId })).childId,
    });
    expect(child.countyCode).toBe(COUNTY);
    expect((await cadre.post<CaseDetail>(`/cases/${caseId}/accept`, {})).status).toBe(200);
    await step(cadre, caseId, { transition: 'start_verification' });
    await step(cadre, caseId, { transition: 'confirm', causes: ['poverty'] });
    const after = await stats(admin, 'township');
    expect(after.total.primary.dropouts).toBe(before.primary.dropouts + 1);
    // the county's figure is the sum of its townships'
    expect(after.rows.reduce((sum, r) => sum + r.primary.dropouts, 0)).toBe(after.total.primary.dropouts);
  });
});
