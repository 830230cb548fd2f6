import { join } from 'node:path';
import {
  ancestorDivisionCode,
  chinaDay,
  expectedGrade,
  FINISHED_CASE_STATUSES,
  idNumberCheckCharacter,
  ragFor,
  DROPOUT_TARGETS,
  schoolYearOf,
  schoolYearRange,
  stageOfGrade,
  type CaseDetail,
  type ConsolidationRow,
  type IntakeView,
  type InvitationView,
  type Me,
  type PupilChangeView,
  type RegionConsolidation,
  type RegionFiguresRow,
  type RegionOverviewResponse,
  type SchoolView,
  type StatsResponse,
} from '@baoxue/shared';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { ServedCounty } from '../../server/src/modules/divisions/division.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, signInWithWechat, type ApiClient, type ApiResponse } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { printedCode, runCli, type CliResult } from '../support/cli';
import { importRegistry, ROSTER_HEADER, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit } from '../support/tips';

/**
 * Issue 18, part 1: the education departments above the county (市、省教育局). Two counties of 信阳市
 * (光山县, the demo county, and 罗山县, onboarded beside it) and one of 临夏州 (东乡族自治县) get pupils,
 * tips and cases through the API; the prefecture's overview equals a recount from the rows, the
 * province sees both counties with the prefecture's subtotal, the other prefecture sees neither, the
 * drill-down stops at a county's townships, and nothing a region admin reaches names a child. Part 3:
 * each county's 巩固率 in the overview is the county's own, and a subtotal sums the parts of the
 * counties that entered the cohort's intake.
 */
const GUANGSHAN = '411522000000';
const LUOSHAN = '411521000000';
const DONGXIANG = '622926000000';
const XINYANG = '411500000000';
const HENAN = '410000000000';
const LINXIA = '622900000000';
const WUMING = '411522101203'; // 吴明村, 十里镇, 光山县
const ZHOUDANG = '411521101000'; // 周党镇, 罗山县
const LEIFAN = '411521101201'; // 雷畈村, 周党镇
const LUOSHAN_FILE = join(__dirname, '../fixtures/divisions-411521-luoshan.csv');
const DONGXIANG_FILE = join(__dirname, '../fixtures/divisions-622926-dongxiang.csv');
const CONFIRMED_OR_LATER = ['confirmed', 'persuading', 'escalated', 'returned', 'closed'];

type Counts = {
  primary: { enrolled: number; dropouts: number };
  junior: { enrolled: number; dropouts: number };
  poor: { enrolled: number; dropouts: number };
  open: number;
  overdue: number;
  returned: number;
};
const noCounts = (): Counts => ({
  primary: { enrolled: 0, dropouts: 0 },
  junior: { enrolled: 0, dropouts: 0 },
  poor: { enrolled: 0, dropouts: 0 },
  open: 0,
  overdue: 0,
  returned: 0,
});
const countsOf = (row: RegionFiguresRow): Counts => ({
  primary: { enrolled: row.primary.enrolled, dropouts: row.primary.dropouts },
  junior: { enrolled: row.junior.enrolled, dropouts: row.junior.dropouts },
  poor: { enrolled: row.poor.enrolled, dropouts: row.poor.dropouts },
  open: row.open,
  overdue: row.overdue,
  returned: row.returned,
});
function sum(all: Counts[]): Counts {
  const total = noCounts();
  for (const c of all) {
    for (const stage of ['primary', 'junior', 'poor'] as const) {
      total[stage].enrolled += c[stage].enrolled;
      total[stage].dropouts += c[stage].dropouts;
    }
    for (const key of ['open', 'overdue', 'returned'] as const) total[key] += c[key];
  }
  return total;
}

function expectOk(result: CliResult): CliResult {
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return result;
}

let serial = 0;
/** A valid ID number of the county `area` (6 digits) for a birth date. */
function idNumber(area: string, birthDate: string): string {
  serial += 1;
  const first17 = `${area}${birthDate.replace(/-/g, '')}${String(100 + serial * 2 + 1).slice(-3)}`;
  return first17 + idNumberCheckCharacter(first17);
}

jest.setTimeout(120_000);

describe('prefecture and province users: their counties’ figures, never a child', () => {
  let server: TestServer;
  let cli: (...args: string[]) => Promise<CliResult>;
  let schoolYear: number;
  let today: string;
  const clients: Record<string, ApiClient> = {};
  /** Every child's name and ID number written in this test: none may reach a region admin. */
  const personal: string[] = [];

  const manager = () => server.dataSource.manager;

  /** Turns a WeChat user into what the code makes them. */
  async function redeem(openid: string, code: string, displayName: string): Promise<{ client: ApiClient; me: Me }> {
    const { client } = await signInWithWechat(server, openid);
    const me = await client.post<Me>('/invitations/redeem', { code, displayName });
    if (me.status !== 200) throw new Error(`redeem: ${me.status} ${JSON.stringify(me.body)}`);
    return { client, me: me.body };
  }

  async function step(client: ApiClient, caseId: string, body: Record<string, unknown>): Promise<CaseDetail> {
    const current = await client.get<CaseDetail>(`/cases/${caseId}`);
    const response = await client.post<CaseDetail>(`/cases/${caseId}/transitions`, { version: current.body.version, ...body });
    if (response.status !== 200) throw new Error(`${String(body.transition)}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** A tip through the API; the case it opened. */
  async function tip(supervisor: ApiClient, divisionCode: string, child: Record<string, unknown>): Promise<string> {
    const response = await fileTip(supervisor, { divisionCode, child: child as never });
    expect(response.status).toBe(201);
    personal.push(String(child.name));
    return (await manager().findOneByOrFail(Tip, { id: response.body.tip.id })).caseId;
  }

  /** Accepted, verified and confirmed a dropout by a cadre of the township (its 包抓干部), through the API. */
  async function confirm(cadre: ApiClient, caseId: string): Promise<void> {
    const accepted = await cadre.post<CaseDetail>(`/cases/${caseId}/accept`, {});
    if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    await step(cadre, caseId, { transition: 'start_verification' });
    await step(cadre, caseId, { transition: 'confirm', causes: ['poverty'] });
  }

  async function roster(admin: ApiClient, area: string, school: string, pupils: Array<{ name: string; grade: number; village: string }>) {
    const rows = pupils.map((p) => {
      const id = idNumber(area, `${schoolYear - 5 - p.grade}-03-15`);
      personal.push(p.name, id);
      return [`G${id}`, p.name, '男', id, school, String(p.grade), '', '否', p.village, '', '', ''];
    });
    expect(await importRegistry(server, admin, 'roster', await xlsx(ROSTER_HEADER, rows))).toMatchObject({
      status: 'completed',
      errors: [],
    });
  }

  /**
   * The figures recounted here from the raw rows, as BRIEF §5 defines them: pupils are children of
   * the county with a 学籍号 and a grade; a dropout is a child of the county with a case confirmed (or
   * further) in the school year, not merged, once; open, overdue and returned are the cases routed in
   * the county.
   */
  async function recount(county: string): Promise<Counts> {
    const [children, cases] = await Promise.all([manager().findBy(Child, { countyCode: county }), manager().find(DropoutCase)]);
    const counts = noCounts();
    const { from, to } = schoolYearRange(schoolYear);
    const [start, end] = [new Date(`${from}T00:00:00+08:00`), new Date(`${to}T23:59:59+08:00`)];
    const poor = (child: Child) => child.priorityGroups.includes('registered_poor') || child.priorityGroups.includes('monitored');
    const count = (child: Child, grade: number | null, field: 'enrolled' | 'dropouts') => {
      const stage = stageOfGrade(grade);
      if (!stage) return;
      counts[stage][field]++;
      if (poor(child)) counts.poor[field]++;
    };
    for (const child of children) if (child.studentNumber && child.grade !== null) count(child, child.grade, 'enrolled');
    for (const child of children) {
      const counted = cases.some(
        (c) =>
          c.childId === child.id &&
          !c.mergedIntoId &&
          CONFIRMED_OR_LATER.includes(c.status) &&
          !!c.confirmedAt &&
          c.confirmedAt >= start &&
          c.confirmedAt <= end,
      );
      if (counted) count(child, child.grade ?? expectedGrade(schoolYear, child.birthYear, child.birthDate), 'dropouts');
    }
    const now = server.clock.now();
    for (const c of cases.filter((c) => !c.mergedIntoId && c.routingCode.startsWith(county.slice(0, 6)))) {
      const open = !(FINISHED_CASE_STATUSES as readonly string[]).includes(c.status);
      if (open) counts.open++;
      if (open && c.dueAt && c.dueAt < now) counts.overdue++;
      if (['returned', 'closed'].includes(c.status) && c.returnedOn && c.returnedOn >= from && c.returnedOn <= to) counts.returned++;
    }
    return counts;
  }

  const overview = async (client: ApiClient): Promise<RegionOverviewResponse> => {
    const response = await client.get<RegionOverviewResponse>(`/region/overview?schoolYear=${schoolYear}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  /** Everything a region admin is answered: it must name no child and carry no ID number. */
  const seen: Array<ApiResponse> = [];
  const asRegion = async <T>(call: Promise<ApiResponse<T>>): Promise<ApiResponse<T>> => {
    const response = await call;
    seen.push(response);
    return response;
  };

  beforeAll(async () => {
    server = await startTestServer();
    cli = (...args) => runCli(server.databaseUrl, args);
    schoolYear = schoolYearOf(new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
    today = new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    expectOk(await cli('onboard-county', LUOSHAN, '--divisions', LUOSHAN_FILE));
    expectOk(await cli('onboard-county', DONGXIANG, '--divisions', DONGXIANG_FILE));
    for (const county of [GUANGSHAN, LUOSHAN, DONGXIANG]) await raiseTipLimit(server.dataSource, county);

    // 光山县: the demo accounts
    clients.guangshan = await signInAs(server, 'county-admin');
    clients.guangshanSupervisor = await signInAs(server, 'supervisor');
    clients.guangshanCadre = await signInAs(server, 'township-cadre');
    // 罗山县 and 东乡: a first county admin from the operator, who invites a supervisor and adds a school
    for (const [key, county, village, schoolName, division] of [
      ['luoshan', LUOSHAN, LEIFAN, '罗山县周党镇中心小学', ZHOUDANG],
      ['dongxiang', DONGXIANG, '622926100202', '东乡族自治县锁南镇中心小学', '622926100000'],
    ] as const) {
      const adminCode = printedCode(expectOk(await cli('invite-county-admin', county, '--name', `${key}管理员`)));
      clients[key] = (await redeem(`o_${key}_admin`, adminCode, '县管理员')).client;
      const invited = await clients[key]!.post<InvitationView & { code: string }>('/invitations', {
        role: 'supervisor',
        unit: { kind: 'division', code: village },
      });
      expect(invited.status).toBe(201);
      clients[`${key}Supervisor`] = (await redeem(`o_${key}_supervisor`, invited.body.code, '监督员')).client;
      const cadreCode = await clients[key]!.post<InvitationView & { code: string }>('/invitations', {
        role: 'official',
        position: 'cadre',
        unit: { kind: 'division', code: division },
      });
      expect(cadreCode.status).toBe(201);
      clients[`${key}Cadre`] = (await redeem(`o_${key}_cadre`, cadreCode.body.code, '包抓干部')).client;
      const school = await clients[key]!.post<SchoolView>('/schools', { name: schoolName, stage: 'both', divisionCode: division });
      expect(school.status).toBe(201);
    }

    // pupils on the rosters
    await roster(clients.guangshan!, '411522', '光山县十里镇中心小学', [
      { name: '周光一', grade: 2, village: WUMING },
      { name: '吴光二', grade: 4, village: WUMING },
      { name: '郑光三', grade: 6, village: WUMING },
    ]);
    await roster(clients.guangshan!, '411522', '光山县十里镇初级中学', [
      { name: '钱光四', grade: 8, village: WUMING },
      { name: '孙光五', grade: 7, village: WUMING },
    ]);
    await roster(clients.luoshan!, '411521', '罗山县周党镇中心小学', [
      { name: '李罗一', grade: 1, village: LEIFAN },
      { name: '王罗二', grade: 3, village: LEIFAN },
      { name: '冯罗三', grade: 9, village: LEIFAN },
    ]);
    await roster(clients.dongxiang!, '622926', '东乡族自治县锁南镇中心小学', [{ name: '马东一', grade: 5, village: '622926100202' }]);
    // a poor household in 光山
    const poorPupil = await manager().findOneByOrFail(Child, { name: '郑光三' });
    await manager().update(Child, { id: poorPupil.id }, { priorityGroups: ['registered_poor'] });

    // tips and cases, through the API: 光山 two dropouts (one on the roster, one known only by age), one
    // returned, one left open; 罗山 one junior dropout on the roster, one left open; 东乡 one dropout
    const rosterTip = (name: string) => ({ name, sex: 'male', idNumber: personalId(name), age: null });
    const personalId = (name: string) => {
      const index = personal.indexOf(name);
      return personal[index + 1]!;
    };
    await confirm(clients.guangshanCadre!, await tip(clients.guangshanSupervisor!, WUMING, rosterTip('郑光三')));
    await confirm(clients.guangshanCadre!, await tip(clients.guangshanSupervisor!, WUMING, { name: '无学籍光山', sex: 'female', age: 10 }));
    const returned = await tip(clients.guangshanSupervisor!, WUMING, rosterTip('钱光四'));
    await confirm(clients.guangshanCadre!, returned);
    const school = (await clients.guangshan!.get<{ items: SchoolView[] }>(`/schools?under=${GUANGSHAN}`)).body.items.find(
      (s) => s.name === '光山县十里镇初级中学',
    )!;
    await step(clients.guangshanCadre!, returned, {
      transition: 'record_return',
      schoolId: school.id,
      grade: 8,
      placement: 'regular_class',
      returnedOn: today,
    });
    await tip(clients.guangshanSupervisor!, WUMING, { name: '未受理光山', sex: 'male', age: 12 });
    await confirm(clients.luoshanCadre!, await tip(clients.luoshanSupervisor!, LEIFAN, rosterTip('冯罗三')));
    await tip(clients.luoshanSupervisor!, LEIFAN, { name: '未受理罗山', sex: 'female', age: 8 });
    await confirm(clients.dongxiangCadre!, await tip(clients.dongxiangSupervisor!, '622926100202', rosterTip('马东一')));
    // three days on, the tips nobody accepted are overdue (24 hours to accept)
    server.clock.advance(3 * 24 * 3_600_000);
  }, 240_000);
  afterAll(async () => server?.close());

  it('lets the operator create the first region admin with the command line, and refuses what is not a region with a county', async () => {
    expect((await cli('invite-region-admin', '411522', '--name', '孟庆海')).status).toBe(64); // a county
    expect((await cli('invite-region-admin', '4115')).status).toBe(64); // no --name
    const nowhere = await cli('invite-region-admin', '5301', '--name', '孟庆海');
    expect(nowhere.status).toBe(65);
    expect(nowhere.stderr).toContain('no county of 5301 is served');

    const printed = expectOk(await cli('invite-region-admin', '4115', '--name', '孟庆海'));
    expect(printed.stdout).toContain('信阳市 (411500000000; 2 served counties)');
    const { client, me } = await redeem('o_xinyang', printedCode(printed), '孟庆海');
    expect(me).toMatchObject({
      role: 'region_admin',
      position: null,
      unit: { kind: 'division', code: XINYANG, name: '信阳市', level: 'prefecture' },
    });
    clients.xinyang = client;
    // a region admin cannot redeem another code: the operator's role is not lost to a slip
    expectError(await client.post('/invitations/redeem', { code: printedCode(printed), displayName: '孟庆海' }), 403, 'FORBIDDEN');

    clients.henan = (
      await redeem('o_henan', printedCode(expectOk(await cli('invite-region-admin', '41', '--name', '豫省管理员'))), '豫省管理员')
    ).client;
    clients.linxia = (
      await redeem('o_linxia', printedCode(expectOk(await cli('invite-region-admin', LINXIA, '--name', '临夏管理员'))), '临夏管理员')
    ).client;
  });

  it('shows the prefecture one row per county it serves, each equal to a recount from the rows and to the county’s own statistics', async () => {
    const answer = await overview(clients.xinyang!);
    seen.push({ status: 200, body: answer, headers: new Headers() });
    expect(answer.region).toEqual({ code: XINYANG, name: '信阳市', level: 'prefecture' });
    expect(answer.counties.map((c) => [c.code, c.name, c.prefectureCode])).toEqual([
      [LUOSHAN, '罗山县', XINYANG],
      [GUANGSHAN, '光山县', XINYANG],
    ]);
    expect(answer.prefectures).toEqual([]);
    const truth: Record<string, Counts> = { [LUOSHAN]: await recount(LUOSHAN), [GUANGSHAN]: await recount(GUANGSHAN) };
    for (const county of answer.counties) expect([county.code, countsOf(county)]).toEqual([county.code, truth[county.code]]);
    expect(countsOf(answer.total)).toEqual(sum(Object.values(truth)));
    // the data is there: the recount is not of nothing
    expect(truth[GUANGSHAN]).toMatchObject({ primary: { enrolled: 3, dropouts: 2 }, junior: { enrolled: 2, dropouts: 1 }, returned: 1 });
    expect(truth[GUANGSHAN]!.poor).toEqual({ enrolled: 1, dropouts: 1 });
    expect(truth[LUOSHAN]).toMatchObject({ primary: { enrolled: 2, dropouts: 0 }, junior: { enrolled: 1, dropouts: 1 }, open: 2 });
    for (const county of [GUANGSHAN, LUOSHAN]) expect(truth[county]!.overdue).toBeGreaterThanOrEqual(1);

    // red, amber and green as the county sees them: the same cells as its own statistics
    for (const [county, admin] of [
      [GUANGSHAN, clients.guangshan!],
      [LUOSHAN, clients.luoshan!],
    ] as const) {
      const own = (await admin.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}`)).body;
      const row = answer.counties.find((c) => c.code === county)!;
      expect({ primary: row.primary, junior: row.junior, poor: row.poor }).toEqual({
        primary: own.total.primary,
        junior: own.total.junior,
        poor: own.total.poor,
      });
      expect({ open: row.open, overdue: row.overdue, returned: row.returned }).toEqual({
        open: own.cases.open,
        overdue: own.cases.overdue,
        returned: own.cases.returned,
      });
    }
    const guangshan = answer.counties.find((c) => c.code === GUANGSHAN)!;
    expect(guangshan.poor).toMatchObject({ target: DROPOUT_TARGETS.poor, rag: 'red' });
    expect(guangshan.junior.rag).toBe(ragFor(1, 2, DROPOUT_TARGETS.junior));
    expect(guangshan.junior.rate).toBeCloseTo(0.5);
    expect(answer.total.primary.rag).toBe(ragFor(2, 5, DROPOUT_TARGETS.primary));
  });

  it('gives the province its prefectures’ subtotals, and another prefecture nothing of them', async () => {
    const province = await asRegion(clients.henan!.get<RegionOverviewResponse>(`/region/overview?schoolYear=${schoolYear}`));
    expect(province.status).toBe(200);
    const answer = province.body;
    expect(answer.region).toEqual({ code: HENAN, name: '河南省', level: 'province' });
    expect(answer.counties.map((c) => c.code)).toEqual([LUOSHAN, GUANGSHAN]);
    expect(answer.prefectures.map((p) => [p.code, p.name])).toEqual([[XINYANG, '信阳市']]);
    const truth = sum([await recount(LUOSHAN), await recount(GUANGSHAN)]);
    expect(countsOf(answer.prefectures[0]!)).toEqual(truth);
    expect(countsOf(answer.total)).toEqual(truth);
    expect(answer.prefectures[0]!.poor.rag).toBe('red');

    const other = await asRegion(clients.linxia!.get<RegionOverviewResponse>(`/region/overview?schoolYear=${schoolYear}`));
    expect(other.body.counties.map((c) => c.code)).toEqual([DONGXIANG]);
    expect(countsOf(other.body.counties[0]!)).toEqual(await recount(DONGXIANG));
    expect(JSON.stringify(other.body)).not.toMatch(/4115/);
    // nor a county of theirs by drill-down
    expectError(await asRegion(clients.linxia!.get(`/stats/dropout?schoolYear=${schoolYear}&under=${GUANGSHAN}`)), 403, 'FORBIDDEN');
  });

  it('drills down to a county’s townships at most, and refuses everything that would name a child', async () => {
    const drill = await asRegion(
      clients.henan!.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}&under=${GUANGSHAN}&by=township`),
    );
    expect(drill.status).toBe(200);
    const own = (await clients.guangshan!.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}&by=township`)).body;
    expect(drill.body.rows).toEqual(own.rows);
    expect(drill.body.total).toEqual(own.total);
    expect(drill.body.rows.every((r) => ancestorDivisionCode(r.code, 'county') === GUANGSHAN || r.name === '未落实到乡镇')).toBe(true);
    // no villages, no schools, not the whole region at once
    for (const query of [`under=${GUANGSHAN}&by=village`, `under=${GUANGSHAN}&by=school`])
      expect(
        expectError(await asRegion(clients.xinyang!.get(`/stats/dropout?schoolYear=${schoolYear}&${query}`)), 403, 'FORBIDDEN').fields,
      ).toHaveProperty('by');
    for (const query of ['', `&under=${XINYANG}`, `&under=411522101000`])
      expect(
        expectError(await asRegion(clients.xinyang!.get(`/stats/dropout?schoolYear=${schoolYear}${query}`)), 403, 'FORBIDDEN').fields,
      ).toHaveProperty('under');

    const caseId = (await manager().findOneByOrFail(DropoutCase, { routingCode: WUMING, status: 'returned' })).id;
    const child = (await manager().findOneByOrFail(DropoutCase, { id: caseId })).childId;
    for (const path of [
      '/cases',
      `/cases/${caseId}`,
      '/cases/triage',
      '/cases/ledger',
      '/dispatch',
      `/children/${child}/guardians`,
      `/children/${child}/subsidies`,
      '/children/reviews',
      '/enrolment/follow-up',
      '/subsidies/eligibility',
      '/subsidies/complaints',
      '/accounts',
      '/audit',
      '/registry/imports',
      '/absence-alerts',
      '/pupil-changes',
      `/stats/export?schoolYear=${schoolYear}&under=${GUANGSHAN}&by=school`,
    ]) {
      const response = await asRegion(clients.henan!.get(path));
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect((response.body as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // a county's own people do not see the region's page
    expectError(await clients.guangshan!.get(`/region/overview?schoolYear=${schoolYear}`), 403, 'FORBIDDEN');
  });

  it('lets a region admin invite colleagues of its own region only, naming the field that is out of it', async () => {
    const xinyang = clients.xinyang!;
    const created = await asRegion(
      xinyang.post<InvitationView & { code: string }>('/invitations', {
        role: 'region_admin',
        unit: { kind: 'division', code: XINYANG },
        note: '副局长',
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'region_admin', unit: { code: XINYANG } });
    const colleague = await redeem('o_xinyang_colleague', created.body.code, '信阳同事');
    expect(colleague.me).toMatchObject({ role: 'region_admin', unit: { code: XINYANG } });
    expect((await overview(colleague.client)).counties.map((c) => c.code)).toEqual([LUOSHAN, GUANGSHAN]);

    // another prefecture, a province above it, a county under it: out of the region
    for (const code of [LINXIA, HENAN])
      expect(
        expectError(
          await asRegion(xinyang.post('/invitations', { role: 'region_admin', unit: { kind: 'division', code } })),
          403,
          'FORBIDDEN',
        ).fields,
      ).toHaveProperty(['unit.code']);
    expect(
      expectError(
        await asRegion(xinyang.post('/invitations', { role: 'region_admin', unit: { kind: 'division', code: GUANGSHAN } })),
        400,
        'VALIDATION_FAILED',
      ).fields,
    ).toHaveProperty(['unit.code']);
    // other roles are the counties' to invite
    expect(
      expectError(
        await asRegion(xinyang.post('/invitations', { role: 'county_admin', unit: { kind: 'division', code: GUANGSHAN } })),
        403,
        'FORBIDDEN',
      ).fields,
    ).toHaveProperty('role');
    expect(
      expectError(
        await asRegion(xinyang.post('/invitations', { role: 'supervisor', unit: { kind: 'division', code: WUMING } })),
        403,
        'FORBIDDEN',
      ).fields,
    ).toHaveProperty('role');
    // and a county admin cannot make anyone a region admin
    expect(
      expectError(
        await clients.guangshan!.post('/invitations', { role: 'region_admin', unit: { kind: 'division', code: XINYANG } }),
        403,
        'FORBIDDEN',
      ).fields,
    ).toHaveProperty('role');

    // the region's codes are its own: the county does not list them, the region lists no county's
    const regionList = await asRegion(xinyang.get<{ items: InvitationView[] }>('/invitations'));
    expect(regionList.body.items.map((i) => i.id)).toContain(created.body.id);
    expect(regionList.body.items.every((i) => i.role === 'region_admin' && i.unit.kind === 'division' && i.unit.code === XINYANG)).toBe(
      true,
    );
    const countyList = await clients.guangshan!.get<{ items: InvitationView[] }>('/invitations');
    expect(countyList.body.items.map((i) => i.id)).not.toContain(created.body.id);
    expect((await clients.henan!.get<{ items: InvitationView[] }>('/invitations')).body.items.map((i) => i.id)).not.toContain(
      created.body.id,
    );
    // nor revoke them
    const another = await xinyang.post<InvitationView & { code: string }>('/invitations', {
      role: 'region_admin',
      unit: { kind: 'division', code: XINYANG },
    });
    expectError(await clients.guangshan!.post(`/invitations/${another.body.id}/revoke`), 404, 'NOT_FOUND');
    expectError(await clients.henan!.post(`/invitations/${another.body.id}/revoke`), 404, 'NOT_FOUND');
    expect((await xinyang.post<InvitationView>(`/invitations/${another.body.id}/revoke`)).body.status).toBe('revoked');
  });

  it('carries each county’s 巩固率, and sums the parts of the counties that entered the cohort’s intake', async () => {
    const entryYear = schoolYear - 8;
    const effectiveOn = chinaDay(server.clock.now());
    // a junior school in each county of 信阳, with grade-9 pupils on its roster
    const juniors: Record<string, SchoolView> = {};
    for (const [key, name, division] of [
      ['guangshan', '光山县十里镇第二初级中学', '411522101000'],
      ['luoshan', '罗山县周党镇初级中学', ZHOUDANG],
    ] as const) {
      const created = await clients[key]!.post<SchoolView>('/schools', { name, stage: 'junior', divisionCode: division });
      expect(created.status).toBe(201);
      juniors[key] = created.body;
    }
    const nine = (names: string[], village: string) => names.map((name) => ({ name, grade: 9, village }));
    await roster(clients.guangshan!, '411522', '光山县十里镇第二初级中学', nine(['周光九', '吴光九', '郑光九', '王光九'], WUMING));
    await roster(clients.luoshan!, '411521', '罗山县周党镇初级中学', nine(['李罗九', '王罗九', '冯罗九'], LEIFAN));
    const staff = async (key: 'guangshan' | 'luoshan', county: string) =>
      clientFor(
        server,
        await createUser(server.dataSource, {
          role: 'official',
          position: 'school_staff',
          unitSchoolId: juniors[key]!.id,
          countyCode: county,
        }),
      );
    const [guangshanStaff, luoshanStaff] = [await staff('guangshan', GUANGSHAN), await staff('luoshan', LUOSHAN)];
    const childId = async (name: string) => (await manager().findOneByOrFail(Child, { name })).id;
    // 学籍异动: one 光山 pupil moves away, another transfers to 罗山's junior school, which confirms it
    const moved = await guangshanStaff.post<PupilChangeView>('/pupil-changes', {
      childId: await childId('周光九'),
      kind: 'moved_away',
      destination: '广东省东莞市',
      effectiveOn,
      reason: '随父母外出务工',
    });
    expect(moved.status).toBe(201);
    const sent = await guangshanStaff.post<PupilChangeView>('/pupil-changes', {
      childId: await childId('吴光九'),
      kind: 'transfer_out',
      toSchoolId: juniors.luoshan!.id,
      effectiveOn,
      reason: '随父母迁居',
    });
    expect(sent.status).toBe(201);
    expect((await luoshanStaff.post(`/pupil-changes/${sent.body.id}/confirm`, { approve: true })).status).toBe(200);

    const regionOf = async (client: ApiClient) => {
      const response = await asRegion(client.get<RegionOverviewResponse>(`/region/overview?schoolYear=${schoolYear}`));
      expect(response.status).toBe(200);
      return response.body;
    };
    const countyOwn = async (admin: ApiClient): Promise<Omit<ConsolidationRow, 'code' | 'name'>> => {
      const {
        code: _code,
        name: _name,
        ...own
      } = (await admin.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}`)).body.consolidation.total;
      return own;
    };
    const partsOf = (figure: Pick<RegionConsolidation, 'graduates' | 'intake' | 'transfersIn' | 'transfersOut'>) => ({
      graduates: figure.graduates,
      intake: figure.intake,
      transfersIn: figure.transfersIn,
      transfersOut: figure.transfersOut,
    });
    const putIntake = (admin: ApiClient, intake: number) =>
      admin.request<IntakeView>('PUT', `/stats/intakes/${entryYear}`, { intake, source: `${entryYear}年教育事业统计年报` });

    // no county has entered the intake: no rate anywhere, and the total says both are missing
    let answer = await regionOf(clients.xinyang!);
    for (const county of answer.counties) expect(county.consolidation).toMatchObject({ rate: null, gap: 'no_intake', countiesCounted: 0 });
    expect(answer.total.consolidation).toMatchObject({ rate: null, gap: 'no_intake', countiesCounted: 0, countiesWithoutIntake: 2 });

    // 光山 enters its intake: the total is 光山's alone, 罗山's grade-9 pupils are not counted without its intake
    expect((await putIntake(clients.guangshan!, 6)).status).toBe(200);
    answer = await regionOf(clients.xinyang!);
    const guangshanOwn = await countyOwn(clients.guangshan!);
    const guangshanRow = answer.counties.find((c) => c.code === GUANGSHAN)!.consolidation;
    expect(guangshanRow).toEqual({ ...guangshanOwn, countiesCounted: 1, countiesWithoutIntake: 0 });
    // by hand: 4 in grade 9, one moved away, one transferred to 罗山 → 2 ÷ (6 + 0 − 2)
    expect(partsOf(guangshanRow)).toEqual({ graduates: 2, intake: 6, transfersIn: 0, transfersOut: 2 });
    expect(answer.counties.find((c) => c.code === LUOSHAN)!.consolidation).toMatchObject({ gap: 'no_intake', countiesWithoutIntake: 1 });
    expect(answer.total.consolidation).toMatchObject({
      ...partsOf(guangshanRow),
      countiesCounted: 1,
      countiesWithoutIntake: 1,
      rag: 'red',
    });
    expect(answer.total.consolidation.rate).toBeCloseTo(2 / 4, 10);

    // 罗山 enters its intake: each county as its own statistics show it, the total the sum of their parts
    expect((await putIntake(clients.luoshan!, 5)).status).toBe(200);
    answer = await regionOf(clients.xinyang!);
    const own: Record<string, Omit<ConsolidationRow, 'code' | 'name'>> = {
      [GUANGSHAN]: await countyOwn(clients.guangshan!),
      [LUOSHAN]: await countyOwn(clients.luoshan!),
    };
    for (const county of answer.counties)
      expect([county.code, county.consolidation]).toEqual([
        county.code,
        { ...own[county.code], countiesCounted: 1, countiesWithoutIntake: 0 },
      ]);
    // a recount of each county's grade-9 pupils from the rows
    for (const county of [GUANGSHAN, LUOSHAN]) {
      const [{ n }] = (await manager().query(
        'SELECT COUNT(*) AS n FROM children WHERE county_code = ? AND grade = 9 AND school_id IS NOT NULL AND merged_into_id IS NULL',
        [county],
      )) as [{ n: number | string }];
      expect([county, Number(n)]).toEqual([county, own[county]!.graduates]);
    }
    // by hand: 罗山 has 冯罗三 and its three, and 吴光九 transferred in → 5 ÷ (5 + 1 − 0)
    expect(partsOf(own[LUOSHAN]!)).toEqual({ graduates: 5, intake: 5, transfersIn: 1, transfersOut: 0 });
    const hand = {
      graduates: own[GUANGSHAN]!.graduates! + own[LUOSHAN]!.graduates!,
      intake: own[GUANGSHAN]!.intake! + own[LUOSHAN]!.intake!,
      transfersIn: own[GUANGSHAN]!.transfersIn + own[LUOSHAN]!.transfersIn,
      transfersOut: own[GUANGSHAN]!.transfersOut + own[LUOSHAN]!.transfersOut,
    };
    expect(hand).toEqual({ graduates: 7, intake: 11, transfersIn: 1, transfersOut: 2 });
    const rate = 7 / (11 + 1 - 2);
    expect(answer.total.consolidation).toMatchObject({ ...hand, countiesCounted: 2, countiesWithoutIntake: 0, gap: null, rag: 'red' });
    expect(answer.total.consolidation.rate).toBeCloseTo(rate, 10);
    expect(answer.total.consolidation.formula).toBe('九年级在籍 7 ÷（一年级入学 11 + 转入 1 − 转出 2） = 70.0%');

    // the province: the prefecture's subtotal and the total are the same sum
    const province = await regionOf(clients.henan!);
    for (const figure of [province.prefectures[0]!.consolidation, province.total.consolidation]) {
      expect(figure).toMatchObject({ ...hand, countiesCounted: 2, countiesWithoutIntake: 0 });
      expect(figure.rate).toBeCloseTo(rate, 10);
    }
    // 临夏: 东乡 entered no intake; nothing of 信阳 is counted
    const linxia = await regionOf(clients.linxia!);
    expect(linxia.counties[0]!.consolidation).toMatchObject({ gap: 'no_intake', intake: null, rate: null, countiesWithoutIntake: 1 });
    expect(linxia.total.consolidation).toMatchObject({
      graduates: null,
      intake: null,
      transfersIn: 0,
      transfersOut: 0,
      countiesWithoutIntake: 1,
    });
  });

  it('answers a region admin with nothing that names a child, an ID number or an address', async () => {
    const me = await asRegion(clients.xinyang!.get('/me'));
    expect(me.status).toBe(200);
    expect(seen.length).toBeGreaterThan(20);
    const children = await manager().find(Child);
    const tips = await manager().find(Tip);
    const secrets = [
      ...personal,
      ...children.flatMap((c) => [c.name, c.idNumber ?? '']),
      ...tips.flatMap((t) => [t.observation ?? '', t.childName ?? '']),
    ].filter((s) => s.length >= 2);
    expect(secrets.length).toBeGreaterThan(10);
    for (const response of seen) {
      const text = JSON.stringify(response.body);
      for (const secret of secrets)
        expect({ text: text.slice(0, 200), leaks: text.includes(secret) ? secret : null }).toMatchObject({ leaks: null });
      expect(text).not.toMatch(/\d{6}\*{8}\d{3}[\dX]/); // not even masked
    }
    // and the served counties each count once in the figures whatever the tally rows hold
    expect(await manager().count(ServedCounty)).toBe(3);
  });
});
