import { addDays, chinaDay, FINISHED_CASE_STATUSES, startOfChinaDay, type DashboardResponse, type ResponseOf } from '@baoxue/shared';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

type CasePage = ResponseOf<'casesList'>;
type StatsResponse = ResponseOf<'statsDropout'>;
type DispatchResponse = ResponseOf<'dispatchList'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COUNTY = '411522000000';
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['小明', '雨桐', '浩然', '子涵', '梓轩', '欣怡', '俊杰', '思雨'];

/** The figures a dashboard shows, recounted in the test from the case rows of a routing prefix. */
interface Recount {
  open: number;
  overdue: number;
  dueToday: number;
  returnedThisMonth: number;
  closedThisMonth: number;
  trend: Array<{ weekStart: string; newCases: number; returns: number }>;
}

/**
 * The home dashboard of the county admin and the township leader (issue 16): tips filed in two
 * townships over three months, cases worked to every state, then each dashboard's figures equal a
 * recount from the case rows of its unit, each figure's link lists exactly that many cases, the
 * rates are the statistics' own, the dispatch items are the dispatch list's first, and nobody else
 * gets one.
 */
describe('the dashboard of a county and its townships', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let shiliLeader: ApiClient;
  let zhaiheLeader: ApiClient;
  let tipCount = 0;

  const manager = () => server.dataSource.manager;

  /** Files a tip through the API about a new child of `village` (null: the county's triage queue); returns its case. */
  async function tip(village: string | null): Promise<string> {
    const n = tipCount++;
    const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`;
    const response = await fileTip(supervisor, {
      divisionCode: village,
      child: { name, sex: n % 2 ? 'male' : 'female', age: 7 + (n % 8) },
    });
    expect(response.status).toBe(201);
    return (await manager().findOneByOrFail(Tip, { id: response.body.tip.id })).caseId!;
  }

  /** The recount: the cases `inUnit` holds, merged ones aside, as the brief defines each figure. */
  async function recount(inUnit: (c: DropoutCase) => boolean, weekStarts: string[]): Promise<Recount> {
    const now = server.clock.now();
    const today = chinaDay(now);
    const month = today.slice(0, 7);
    const monthStart = startOfChinaDay(`${month}-01`);
    const nextMonthStart = startOfChinaDay(addDays(`${month}-01`, 40).slice(0, 7) + '-01');
    const tomorrow = startOfChinaDay(addDays(today, 1));
    const cases = (await manager().find(DropoutCase)).filter((c) => inUnit(c) && !c.mergedIntoId);
    const returned = (c: DropoutCase, from: string, until: string) =>
      (c.status === 'returned' || c.status === 'closed') && !!c.returnedOn && c.returnedOn >= from && c.returnedOn < until;
    return {
      open: cases.filter((c) => !FINISHED_CASE_STATUSES.includes(c.status)).length,
      overdue: cases.filter((c) => c.dueAt && c.dueAt < now).length,
      dueToday: cases.filter((c) => c.dueAt && c.dueAt >= now && c.dueAt < tomorrow).length,
      returnedThisMonth: cases.filter((c) => returned(c, `${month}-01`, chinaDay(nextMonthStart))).length,
      closedThisMonth: cases.filter((c) => c.status === 'closed' && c.closedAt && c.closedAt >= monthStart && c.closedAt < nextMonthStart)
        .length,
      trend: weekStarts.map((weekStart) => {
        const [from, until] = [startOfChinaDay(weekStart), startOfChinaDay(addDays(weekStart, 7))];
        return {
          weekStart,
          newCases: cases.filter((c) => c.openedAt >= from && c.openedAt < until).length,
          returns: cases.filter((c) => returned(c, weekStart, addDays(weekStart, 7))).length,
        };
      }),
    };
  }

  async function dashboardOf(client: ApiClient): Promise<DashboardResponse> {
    const response = await client.get<DashboardResponse>('/dashboard');
    expect(response.status).toBe(200);
    return response.body;
  }

  /** How many cases the inbox lists for a link's query, following every page. */
  async function listed(client: ApiClient, link: string): Promise<number> {
    const [path, search = ''] = link.split('?');
    expect(path).toBe('/packages/official/pages/inbox/index');
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: { status: number; body: CasePage } = await client.get<CasePage>(
        `/cases?${search}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      count += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    return count;
  }

  /** A dashboard equals the recount of its unit, and every figure's list holds that many cases. */
  async function expectRecounted(client: ApiClient, prefix: string): Promise<DashboardResponse> {
    const dashboard = await dashboardOf(client);
    const truth = await recount(
      (c) => c.routingCode.startsWith(prefix),
      dashboard.trend.map((w) => w.weekStart),
    );
    const { open, overdue, dueToday, returnedThisMonth, closedThisMonth } = dashboard.cases;
    expect({
      open: open.count,
      overdue: overdue.count,
      dueToday: dueToday.count,
      returnedThisMonth: returnedThisMonth.count,
      closedThisMonth: closedThisMonth.count,
      trend: dashboard.trend,
    }).toEqual(truth);
    for (const figure of Object.values(dashboard.cases)) expect(await listed(client, figure.link)).toBe(figure.count);
    return dashboard;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    supervisor = await signInAs(server, 'supervisor');
  }, 60_000);
  afterAll(async () => server?.close());

  it('count open, overdue, due today, returned and closed this month and the weekly trend per unit, each figure linking to its cases', async () => {
    // thirteen weeks of tips: more in 十里镇 than in 寨河镇, one a fortnight nobody could place
    const opened: string[] = [];
    for (let week = 0; week < 13; week++) {
      for (let i = 0; i < 1 + (week % 3); i++) opened.push(await tip(WUMING));
      if (week % 2 === 0) opened.push(await tip(ZHANGWEIZI));
      if (week % 4 === 1) opened.push(await tip(null));
      server.clock.advance(7 * DAY);
      // a session lasts a week
      supervisor = await signInAs(server, 'supervisor');
    }
    // and today's, acknowledged within 24 h: due tomorrow, or today when filed early enough
    const fresh = [await tip(WUMING), await tip(ZHANGWEIZI), await tip(WUMING)];
    // signed in now: a session lasts a week
    [admin, shiliLeader] = await Promise.all(['county-admin', 'township-leader'].map((a) => signInAs(server, a)));
    const zhaiheUser = await createUser(server.dataSource, {
      role: 'official',
      position: 'leader',
      unitDivisionCode: ZHAIHE,
      countyCode: COUNTY,
      displayName: '寨河镇负责人',
    });
    zhaiheLeader = await clientFor(server, zhaiheUser);
    const now = server.clock.now();
    const today = chinaDay(now);
    const lastMonthDay = addDays(`${today.slice(0, 7)}-01`, -3);

    // 十里镇 accepts one of today's cases through the API: its next step (verification) is due in days
    const accepted = await shiliLeader.post(`/cases/${fresh[0]}/accept`, {});
    expect(accepted.status).toBe(200);
    // one of 寨河镇's falls due later today, one of 十里镇's tomorrow morning
    const laterToday = new Date(Math.min(now.getTime() + HOUR, startOfChinaDay(addDays(today, 1)).getTime() - 1));
    await manager().update(DropoutCase, { id: fresh[1] }, { dueAt: laterToday });
    await manager().update(DropoutCase, { id: fresh[2] }, { dueAt: new Date(startOfChinaDay(addDays(today, 1)).getTime() + HOUR) });

    // the case workflow has its own tests: here each case is left as its steps leave it
    const returnedOn = async (id: string, day: string, attendanceDue: Date) =>
      manager().update(
        DropoutCase,
        { id },
        { status: 'returned', returnedOn: day, confirmedAt: now, dueAt: attendanceDue, dueKind: 'attendance' },
      );
    const closedAt = async (id: string, day: string, at: Date) =>
      manager().update(
        DropoutCase,
        { id },
        { status: 'closed', returnedOn: day, closedAt: at, openChildId: null, dueAt: null, dueKind: null },
      );
    await returnedOn(opened[0]!, today, new Date(now.getTime() + 30 * DAY));
    await returnedOn(opened[1]!, addDays(today, -8), new Date(now.getTime() + 20 * DAY));
    await returnedOn(opened[5]!, lastMonthDay, new Date(now.getTime() - DAY));
    await closedAt(opened[2]!, `${today.slice(0, 7)}-01`, now);
    await closedAt(opened[3]!, lastMonthDay, startOfChinaDay(lastMonthDay));
    await closedAt(opened[4]!, addDays(today, -15), new Date(now.getTime() - HOUR));
    // not a dropout: finished, but no 销号
    await manager().update(DropoutCase, { id: opened[6]! }, { status: 'not_dropout', closedAt: now, openChildId: null, dueAt: null });
    const inZhaihe = (await manager().find(DropoutCase)).filter((c) => c.townshipCode === ZHAIHE);
    await returnedOn(inZhaihe[0]!.id, today, new Date(now.getTime() + 30 * DAY));
    await closedAt(inZhaihe[1]!.id, today, now);

    const county = await expectRecounted(admin, COUNTY.slice(0, 6));
    const shili = await expectRecounted(shiliLeader, SHILI.slice(0, 9));
    const zhaihe = await expectRecounted(zhaiheLeader, ZHAIHE.slice(0, 9));

    // the data has every kind of figure, and the trend covers the weeks with their tips
    for (const figure of Object.values(county.cases)) expect(figure.count).toBeGreaterThan(0);
    expect(county.trend).toHaveLength(12);
    expect(county.trend.at(-1)!.weekStart <= today && today < addDays(county.trend.at(-1)!.weekStart, 7)).toBe(true);
    expect(county.trend.reduce((sum, w) => sum + w.newCases, 0)).toBeGreaterThan(12);
    expect(county.unitName).toContain('光山县');
    expect(shili.unitName).toContain('十里镇');

    // a township leader sees their township's cases only: with the county's triage queue, the two add up to the county
    const weeks = county.trend.map((w) => w.weekStart);
    const triage = await recount((c) => c.townshipCode === null, weeks);
    expect(triage.open).toBeGreaterThan(0);
    for (const key of ['open', 'overdue', 'dueToday', 'returnedThisMonth', 'closedThisMonth'] as const)
      expect(shili.cases[key].count + zhaihe.cases[key].count + triage[key]).toBe(county.cases[key].count);
    expect(county.trend.map((w, i) => w.newCases - shili.trend[i]!.newCases - zhaihe.trend[i]!.newCases)).toEqual(
      triage.trend.map((w) => w.newCases),
    );
    // the one back at school and the one closed after returning today
    expect(zhaihe.cases.returnedThisMonth.count).toBe(2);
    expect(zhaihe.cases.closedThisMonth.count).toBe(1);
    expect(zhaihe.cases.dueToday.count).toBe(1);
    // 十里镇's leader follows 寨河镇's links to nothing of 寨河镇
    const zhaiheCases = new Set(inZhaihe.map((c) => c.id));
    for (const figure of Object.values(zhaihe.cases)) {
      const page = await shiliLeader.get<CasePage>(`/cases?${figure.link.split('?')[1]}&limit=100`);
      expect(page.body.items.filter((item) => zhaiheCases.has(item.id))).toEqual([]);
    }

    // the rates are the statistics' own, against the same targets and colours
    for (const [client, dashboard] of [
      [admin, county],
      [shiliLeader, shili],
    ] as const) {
      const stats = await client.get<StatsResponse>(`/stats/dropout?schoolYear=${dashboard.rates.schoolYear}`);
      expect(stats.status).toBe(200);
      expect(
        dashboard.rates.stages.map(({ stage, enrolled, dropouts, rate, target, rag }) => ({
          stage,
          enrolled,
          dropouts,
          rate,
          target,
          rag,
        })),
      ).toEqual((['primary', 'junior', 'poor'] as const).map((stage) => ({ stage, ...stats.body.total[stage] })));
      expect(dashboard.rates.link).toBe(`/packages/county/pages/dropout-stats/index?schoolYear=${dashboard.rates.schoolYear}`);
      // the dispatch items are the dispatch list's first, and it holds as many as are overdue and open
      const dispatch = await client.get<DispatchResponse>('/dispatch');
      expect(dashboard.dispatch.count).toBe(dispatch.body.items.length);
      expect(dashboard.dispatch.items).toEqual(dispatch.body.items.slice(0, 5));
      // every overdue case is open here (a finished case has nothing due)
      expect(dashboard.dispatch.count).toBe(dashboard.cases.overdue.count);
    }
    expect(county.dispatch.count).toBeGreaterThan(5);
    expect(county.dispatch.items).toHaveLength(5);
  });

  it('is refused to everyone but the county admin and township leaders, and the new inbox filters reject bad input in Chinese', async () => {
    for (const account of ['township-cadre', 'village-cadre', 'school-staff', 'school-leader']) {
      const client = await signInAs(server, account);
      expect(expectError(await client.get('/dashboard'), 403, 'FORBIDDEN').message).toBe('工作台仅对县教育局和乡镇负责人开放');
    }
    for (const account of ['supervisor', 'parent'])
      expectError(await (await signInAs(server, account)).get('/dashboard'), 403, 'FORBIDDEN');
    const bad = expectError(await admin.get('/cases?returnedIn=2026-13&dueToday=yes'), 400, 'VALIDATION_FAILED');
    expect(bad.fields).toMatchObject({ returnedIn: '月份格式应为 2026-12', dueToday: '应为 true' });
  });
});
