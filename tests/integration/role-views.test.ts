import { idNumberCheckCharacter, type CaseDetail, type CrosscheckRunView, type OwnTipView, type SchoolView } from '@baoxue/shared';
import { In } from 'typeorm';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { csv, HOUSEHOLD_HEADER, importRegistry } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING } from '../support/tips';

const COUNTY = '411522000000';

type SchoolPage = { items: SchoolView[]; nextCursor: string | null };
type TipsPage = { items: OwnTipView[]; stats: { sent: number; confirmed: number; returned: number } };

function idNumber(birth: string, serial: string): string {
  const first17 = `411522${birth}${serial}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** What each role is shown: pickers limited to their own work, counters of children, notices worded by source. */
describe('what each role is shown', () => {
  let server: TestServer;
  let admin: ApiClient;
  let cadre: ApiClient;
  let villageCadre: ApiClient;
  let staff: ApiClient;
  let supervisor: ApiClient;
  let leader: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [admin, cadre, villageCadre, staff, supervisor, leader] = await Promise.all(
      ['county-admin', 'township-cadre', 'village-cadre', 'school-staff', 'supervisor', 'township-leader'].map((a) => signInAs(server, a)),
    );
  });
  afterAll(async () => server?.close());

  async function allSchools(client: ApiClient, query: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: SchoolPage } = await client.get<SchoolPage>(
        `/schools?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((s) => s.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids.sort();
  }

  it('offers a township’s officials only their township’s schools to filter and pick, everyone else their own reach', async () => {
    const schools = await server.dataSource.manager.find(School, {});
    const idsWhere = (keep: (s: School) => boolean) =>
      schools
        .filter(keep)
        .map((s) => s.id)
        .sort();
    const shili = idsWhere((s) => s.townshipCode === SHILI);
    expect(shili.length).toBeGreaterThan(0);

    expect(await allSchools(cadre, '&actionable=true')).toEqual(shili);
    // a village cadre works the township's cases of their village: the township's schools
    expect(await allSchools(villageCadre, '&actionable=true')).toEqual(shili);
    expect(await allSchools(admin, '&actionable=true')).toEqual(idsWhere((s) => s.countyCode === COUNTY));
    const staffSchool = (await staff.get<{ unit: { schoolId: string } }>('/me')).body;
    expect(await allSchools(staff, '&actionable=true')).toEqual(idsWhere((s) => s.id === staffSchool.unit.schoolId));
    // a supervisor handles no cases
    expect(await allSchools(supervisor, '&actionable=true')).toEqual([]);
    // without the flag the county's schools stay public: a tip or a transfer may name any of them
    expect(await allSchools(cadre, '')).toEqual(idsWhere((s) => s.countyCode === COUNTY));
    // combined with the other filters
    const named = await cadre.get<SchoolPage>(`/schools?actionable=true&q=${encodeURIComponent('中学')}`);
    expect(named.body.items.map((s) => s.id).sort()).toEqual(idsWhere((s) => s.townshipCode === SHILI && s.name.includes('中学')));
    const refused = await cadre.get('/schools?actionable=yes');
    expect(refused.status).toBe(400);
  });

  it('counts a supervisor’s children, not tips, and shows a later tip the progress of its case', async () => {
    const me = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'supervisor', countyCode: COUNTY, unitDivisionCode: WUMING, displayName: '计数监督员' }),
    );
    const now = server.clock.now();
    const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const children = [
      { name: '计数甲', idNumber: idNumber('20150302', '123') },
      { name: '计数乙', idNumber: idNumber('20140708', '135') },
      { name: '计数丙', idNumber: idNumber('20160911', '147') },
    ];
    const tip = async (i: number) => {
      const c = children[i]!;
      const response = await fileTip(me, { divisionCode: WUMING, child: { name: c.name, idNumber: c.idNumber, sex: 'male' } });
      expect(response.status).toBe(201);
      return response.body.tip;
    };
    const caseOf = async (tipId: string) => (await server.dataSource.manager.findOneByOrFail(Tip, { id: tipId })).caseId;
    const step = async (caseId: string, body: Record<string, unknown>) => {
      const current = await cadre.get<CaseDetail>(`/cases/${caseId}`);
      const response = await cadre.post<CaseDetail>(`/cases/${caseId}/transitions`, { version: current.body.version, ...body });
      expect({ step: body.transition, status: response.status }).toEqual({ step: body.transition, status: 200 });
    };

    const first = await tip(0);
    const caseA = await caseOf(first.id);
    // 更换包抓干部 is offered once a cadre is named, not before
    const actionsOf = async (caseId: string) => (await leader.get<CaseDetail>(`/cases/${caseId}`)).body.actions;
    expect(await actionsOf(caseA)).not.toContain('set_assignee');
    expect(await actionsOf(caseA)).toContain('accept');
    expect((await cadre.post(`/cases/${caseA}/accept`, {})).status).toBe(200);
    expect(await actionsOf(caseA)).toContain('set_assignee');
    // a second tip about the same child joins the accepted case: its progress is the case's
    const second = await tip(0);
    expect(second.alreadyFollowed).toBe(true);
    expect(await caseOf(second.id)).toBe(caseA);
    const again = (await me.get<OwnTipView>(`/tips/${second.id}`)).body;
    expect(again.milestones.map((m) => m.kind)).toEqual(['received', 'assigned']);

    await step(caseA, { transition: 'start_verification' });
    await step(caseA, { transition: 'confirm', causes: ['learning_difficulty'] });
    const caseB = await caseOf((await tip(1)).id);
    expect((await cadre.post(`/cases/${caseB}/accept`, {})).status).toBe(200);
    await step(caseB, { transition: 'start_verification' });
    await step(caseB, { transition: 'confirm', causes: ['poverty'] });
    await tip(2); // not yet accepted
    const schoolId = (await server.dataSource.manager.findOneByOrFail(School, { townshipCode: SHILI, stage: 'primary' })).id;
    // the return form starts from the case's school; sent without one, the answer says to pick one
    const beforeReturn = (await cadre.get<CaseDetail>(`/cases/${caseA}`)).body;
    expect(beforeReturn.schoolId).toBe((await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: caseA })).schoolId);
    const noSchool = expectError(
      await cadre.post(`/cases/${caseA}/transitions`, {
        version: beforeReturn.version,
        transition: 'record_return',
        grade: 5,
        placement: 'regular_class',
        returnedOn: today,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(noSchool.fields).toEqual({ schoolId: '请选择返校学校' });
    await step(caseA, { transition: 'record_return', schoolId, grade: 5, placement: 'regular_class', returnedOn: today });
    // a third tip about the returned child, still part of the open case
    const third = await tip(0);
    expect(third.milestones.map((m) => m.kind)).toEqual(['received', 'assigned', 'returned']);

    const page = (await me.get<TipsPage>('/tips/mine?limit=100')).body;
    // the recount: tips by row, children by the distinct child of each tip's case in the status
    const tips = await server.dataSource.manager.findBy(Tip, { supervisorId: (await me.get<{ id: string }>('/me')).body.id });
    const cases = await server.dataSource.manager.findBy(DropoutCase, { id: In(tips.map((t) => t.caseId)) });
    const childrenIn = (statuses: string[]) => new Set(cases.filter((c) => statuses.includes(c.status)).map((c) => c.childId)).size;
    expect(page.stats).toEqual({
      sent: tips.length,
      confirmed: childrenIn(['confirmed', 'persuading', 'escalated', 'returned', 'closed']),
      returned: childrenIn(['returned', 'closed']),
    });
    expect(page.stats).toEqual({ sent: 5, confirmed: 2, returned: 1 });
    // each tip on the list follows its case, the earliest and the latest alike
    const progress = new Map(page.items.map((t) => [t.id, t.milestones.map((m) => m.kind).join(',')]));
    expect(progress.get(first.id)).toBe(progress.get(third.id));
    expect(progress.get(second.id)).toBe(progress.get(third.id));
  });

  it('announces a 四查三比对 finding to the township as a cross-check result, never as a tip', async () => {
    const household = [
      { idNumber: idNumber('20150416', '211'), name: '比对甲' },
      { idNumber: idNumber('20140523', '232'), name: '比对乙' },
    ];
    const imported = await importRegistry(
      server,
      admin,
      'household',
      csv(
        HOUSEHOLD_HEADER,
        household.map((c) => [c.idNumber, c.name, WUMING, '', '']),
      ),
      'household.csv',
    );
    expect(imported).toMatchObject({ status: 'completed', errors: [] });
    const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
    expect(started.status).toBe(201);
    await server.app.get(CrosscheckService).settled(started.body.id);

    const opened = await server.dataSource.manager.findBy(DropoutCase, { source: 'cross_check', townshipCode: SHILI });
    expect(opened.length).toBeGreaterThanOrEqual(household.length);
    const cadreId = (await cadre.get<{ id: string }>('/me')).body.id;
    const inboxOf = () => server.dataSource.manager.findBy(InboxMessage, { userId: cadreId });
    let inbox = await inboxOf();
    const about = (record: DropoutCase) => inbox.filter((m) => m.link?.endsWith(`id=${record.id}`));
    // one notice per case the run opened, each named for what it is
    for (const record of opened) {
      expect(about(record).map((m) => m.title)).toEqual(['四查三比对发现疑似失学辍学儿童']);
      expect(about(record)[0]!.body).not.toContain('线索');
    }
    // and a tip's case is still announced as a tip
    const tipped = await fileTip(supervisor, { divisionCode: WUMING, child: { name: '比对对照' } });
    const tipCase = await server.dataSource.manager.findOneByOrFail(DropoutCase, {
      id: (await server.dataSource.manager.findOneByOrFail(Tip, { id: tipped.body.tip.id })).caseId,
    });
    inbox = await inboxOf();
    expect(about(tipCase).map((m) => m.title)).toContain('新的疑似辍学线索');
    expect(inbox.filter((m) => m.title === '四查三比对发现疑似失学辍学儿童')).toHaveLength(opened.length);
  });
});
