import { chinaDay, schoolYearOf, schoolYearRange, type CaseDetail, type ScorecardResponse, type ScorecardRow } from '@baoxue/shared';
import { User } from '../../server/src/modules/accounts/user.entity';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { printedCode, runCli } from '../support/cli';
import { clientFor, createUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COUNTY = '411522000000';

type Figures = ScorecardRow['figures'];

/**
 * Issue 18 part 4: scorecards (考核排名). Two townships work their cases through the API with the
 * clock moved — 十里镇 accepts within hours, verifies and visits on time; 寨河镇 accepts after a day
 * or more, verifies and visits late, leaves work overdue — with a return, a relapse in each (a
 * reopened case; a child confirmed again after an earlier case returned) and supervisors' tips
 * confirmed and not. Every figure equals the value computed by hand below, the ranking follows, a
 * school's row counts its pupils' cases, the region sees its county's totals only, and other roles
 * are refused.
 */
describe('scorecards of townships, schools and counties', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let shiliCadre: ApiClient;
  let shiliLeader: ApiClient;
  let zhaiheCadre: ApiClient;
  let region: ApiClient;
  let zhaiheCadreId: string;
  let shiliSchool: string;
  /** Every child's name given in a tip: none may reach a scorecard. */
  const names: string[] = [];

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());

  /** A tip through the API about a child of `village`; its case. */
  async function tip(village: string, name: string, lastSchoolId: string | null = null): Promise<string> {
    const response = await fileTip(supervisor, {
      divisionCode: village,
      child: { name, sex: 'male', age: 12, lastSchoolId },
    });
    expect(response.status).toBe(201);
    names.push(name);
    return (await manager().findOneByOrFail(Tip, { id: response.body.tip.id })).caseId;
  }

  async function step(client: ApiClient, caseId: string, body: Record<string, unknown>): Promise<CaseDetail> {
    const current = await client.get<CaseDetail>(`/cases/${caseId}`);
    const response = await client.post<CaseDetail>(`/cases/${caseId}/transitions`, { version: current.body.version, ...body });
    if (response.status !== 200) throw new Error(`${String(body.transition)}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async function accept(client: ApiClient, caseId: string): Promise<void> {
    const response = await client.post(`/cases/${caseId}/accept`, {});
    if (response.status !== 200) throw new Error(`accept: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async function confirm(client: ApiClient, caseId: string): Promise<void> {
    await step(client, caseId, { transition: 'start_verification' });
    await step(client, caseId, { transition: 'confirm', causes: ['poverty'] });
  }

  async function visit(client: ApiClient, caseId: string): Promise<void> {
    const current = await client.get<CaseDetail>(`/cases/${caseId}`);
    const response = await client.post(`/cases/${caseId}/visits`, {
      version: current.body.version,
      visitedOn: today(),
      visitors: '包抓干部、村支书',
      met: '母亲',
      statedReason: '家里缺人手，孩子不想上学',
      outcome: 'agreed_to_return',
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`visit: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async function returned(client: ApiClient, caseId: string): Promise<void> {
    await step(client, caseId, {
      transition: 'record_return',
      schoolId: shiliSchool,
      grade: 6,
      placement: 'regular_class',
      returnedOn: today(),
    });
  }

  /** Moves the clock; sessions last a week, so everyone signs in again. */
  async function advance(ms: number): Promise<void> {
    server.clock.advance(ms);
    [admin, supervisor, shiliCadre, shiliLeader] = await Promise.all(
      ['county-admin', 'supervisor', 'township-cadre', 'township-leader'].map((account) => signInAs(server, account)),
    );
    zhaiheCadre = await clientFor(server, await manager().findOneByOrFail(User, { id: zhaiheCadreId }));
  }

  async function scorecard(client: ApiClient, query = ''): Promise<ScorecardResponse> {
    const response = await client.get<ScorecardResponse>(`/scorecards${query}`);
    if (response.status !== 200) throw new Error(`scorecards: ${response.status} ${JSON.stringify(response.body)}`);
    for (const name of names) expect(JSON.stringify(response.body)).not.toContain(name);
    return response.body;
  }

  const rowOf = (card: ScorecardResponse, code: string): ScorecardRow => card.rows.find((row) => row.code === code)!;

  /** The figures as the test states them by hand: [value, numerator, denominator] of each. */
  function expectFigures(figures: Figures, expected: Record<keyof Figures, [number | null, number | null, number | null]>): void {
    for (const [key, [value, numerator, denominator]] of Object.entries(expected) as Array<
      [keyof Figures, [number | null, number | null, number | null]]
    >) {
      const figure = figures[key];
      expect({ key, numerator: figure.numerator, denominator: figure.denominator }).toEqual({ key, numerator, denominator });
      if (value === null) expect({ key, value: figure.value }).toEqual({ key, value: null });
      else expect(figure.value).toBeCloseTo(value, 1);
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    const cadre = await createUser(server.dataSource, {
      role: 'official',
      position: 'cadre',
      unitDivisionCode: ZHAIHE,
      countyCode: COUNTY,
      displayName: '寨河镇包抓干部',
    });
    zhaiheCadreId = cadre.id;
    shiliSchool = (await manager().findOneByOrFail(School, { name: '光山县十里镇中心小学' })).id;
    await advance(0);
    const printed = await runCli(server.databaseUrl, ['invite-region-admin', '4115', '--name', '孟庆海']);
    expect(printed.status).toBe(0);
    const { client } = await signInWithWechat(server, 'o_scorecard_region');
    const redeemed = await client.post('/invitations/redeem', { code: printedCode(printed), displayName: '孟庆海' });
    expect(redeemed.status).toBe(200);
    region = client;
  }, 120_000);
  afterAll(async () => server?.close());

  it('computes every figure of each township, school and county as counted by hand, and ranks them', async () => {
    // T0: three tips in 十里镇 (two naming its central primary school), three in 寨河镇
    const s1 = await tip(WUMING, '甲十一', shiliSchool);
    const s2 = await tip(WUMING, '甲十二', shiliSchool);
    const s3 = await tip(WUMING, '周子墨');
    const z1 = await tip(ZHANGWEIZI, '乙二一');
    const z2 = await tip(ZHANGWEIZI, '乙二二');
    await tip(ZHANGWEIZI, '乙二三'); // never accepted: overdue from T0 + 24 h

    // 十里镇 accepts after 2, 4 and 6 hours and reaches a verification result at once
    await advance(2 * HOUR);
    await accept(shiliCadre, s1);
    await confirm(shiliCadre, s1);
    await advance(2 * HOUR);
    await accept(shiliCadre, s2);
    await confirm(shiliCadre, s2);
    await advance(2 * HOUR);
    await accept(shiliCadre, s3);
    await step(shiliCadre, s3, { transition: 'start_verification' });
    await step(shiliCadre, s3, { transition: 'close_not_dropout', reason: 'attending', evidence: '班主任确认孩子每天按时到校上课' });
    // T0 + 24 h: first visits within a day of confirmation, both back in school, one drops out again
    await advance(18 * HOUR);
    await visit(shiliCadre, s1);
    await visit(shiliCadre, s2);
    await returned(shiliCadre, s1);
    await returned(shiliCadre, s2);
    await step(shiliCadre, s1, { transition: 'reopen', reason: '返校后又连续旷课' });

    // 寨河镇 accepts after 30 and 40 hours, confirms five days after accepting, visits four days after that
    await advance(6 * HOUR);
    await accept(zhaiheCadre, z1);
    await step(zhaiheCadre, z1, { transition: 'start_verification' });
    await advance(10 * HOUR);
    await accept(zhaiheCadre, z2);
    await step(zhaiheCadre, z2, { transition: 'start_verification' }); // never concluded: overdue
    await advance(4 * DAY + 20 * HOUR);
    await step(zhaiheCadre, z1, { transition: 'confirm', causes: ['poverty'] });
    await advance(4 * DAY);
    await visit(zhaiheCadre, z1);
    await returned(zhaiheCadre, z1);
    // 销号 needs weeks of roll calls, which have their own tests: the case is left as 销号 leaves it
    await manager().update(
      DropoutCase,
      { id: z1 },
      { status: 'closed', closedAt: server.clock.now(), openChildId: null, dueAt: null, dueKind: null },
    );
    // the same child is reported again and confirmed within the hour: a relapse after a return
    const z4 = await tip(ZHANGWEIZI, '乙二一');
    expect((await manager().findOneByOrFail(DropoutCase, { id: z4 })).childId).toBe(
      (await manager().findOneByOrFail(DropoutCase, { id: z1 })).childId,
    );
    await advance(HOUR);
    await accept(zhaiheCadre, z4);
    await confirm(zhaiheCadre, z4);

    const { from } = schoolYearRange(schoolYearOf(today()));
    const townships = await scorecard(admin);
    expect(townships).toMatchObject({ by: 'township', from, to: today(), unitName: expect.stringContaining('光山县') });
    expect(townships.rows).toHaveLength(19);
    expect(townships.figures.map((f) => f.key)).toEqual([
      'acknowledge_hours',
      'verified_on_time',
      'first_visit_on_time',
      'overdue_now',
      'returned',
      'relapses',
      'tips_confirmed',
      'spot_check_problems',
    ]);
    expect(townships.figures.find((f) => f.key === 'verified_on_time')!.formula).toContain('受理后3天内');

    // 十里镇: acknowledged in 2, 4, 6 h; three results on time; two first visits on time; nothing overdue;
    // one child back (the other reopened); one relapse; of three tips with a result, two confirmed
    expectFigures(rowOf(townships, SHILI).figures, {
      acknowledge_hours: [4, null, 3],
      verified_on_time: [1, 3, 3],
      first_visit_on_time: [1, 2, 2],
      overdue_now: [0, 0, null],
      returned: [1, 1, null],
      relapses: [1, 1, null],
      tips_confirmed: [2 / 3, 2, 3],
      spot_check_problems: [0, 0, null],
    });
    // 寨河镇: acknowledged in 30, 40 and (the second case) 1 h; of three verifications due one on time;
    // the one first visit due was late; an unaccepted tip and an unfinished verification overdue; one
    // child back, then confirmed again; two tips confirmed, two still without a result
    expectFigures(rowOf(townships, ZHAIHE).figures, {
      acknowledge_hours: [30, null, 3],
      verified_on_time: [1 / 3, 1, 3],
      first_visit_on_time: [0, 0, 1],
      overdue_now: [2, 2, null],
      returned: [1, 1, null],
      relapses: [1, 1, null],
      tips_confirmed: [1, 2, 2],
      spot_check_problems: [0, 0, null],
    });
    // a township without cases: no shares, no median
    const quiet = townships.rows.find((row) => row.code !== SHILI && row.code !== ZHAIHE)!;
    expectFigures(quiet.figures, {
      acknowledge_hours: [null, null, 0],
      verified_on_time: [null, 0, 0],
      first_visit_on_time: [null, 0, 0],
      overdue_now: [0, 0, null],
      returned: [0, 0, null],
      relapses: [0, 0, null],
      tips_confirmed: [null, 0, 0],
      spot_check_problems: [0, 0, null],
    });

    // ranks: per figure (ties share a place), overall by the sum of places, no data counting last (19)
    const shili = rowOf(townships, SHILI);
    const zhaihe = rowOf(townships, ZHAIHE);
    expect(Object.fromEntries(Object.entries(shili.figures).map(([k, f]) => [k, f.rank]))).toEqual({
      acknowledge_hours: 1,
      verified_on_time: 1,
      first_visit_on_time: 1,
      overdue_now: 1,
      returned: 1,
      relapses: 18,
      tips_confirmed: 2,
      spot_check_problems: 1,
    });
    expect(Object.fromEntries(Object.entries(zhaihe.figures).map(([k, f]) => [k, f.rank]))).toEqual({
      acknowledge_hours: 2,
      verified_on_time: 2,
      first_visit_on_time: 2,
      overdue_now: 19,
      returned: 1,
      relapses: 18,
      tips_confirmed: 1,
      spot_check_problems: 1,
    });
    // every township ranks first on spot-check problems (none yet): one place more each
    expect([shili.score, zhaihe.score, quiet.score]).toEqual([26, 46, 19 + 19 + 19 + 1 + 3 + 1 + 19 + 1]);
    expect(townships.rows.map((row) => row.rank)).toEqual([1, 2, ...Array(17).fill(3)]);
    expect(townships.rows.slice(0, 2).map((row) => row.code)).toEqual([SHILI, ZHAIHE]);

    // the school line: the central primary school's row counts the cases of its pupils — the two tips
    // naming it, and the case of the 寨河镇 child who returned to it (a return places the case at its school)
    const pupilsCases = (await manager().findBy(DropoutCase, { schoolId: shiliSchool })).map((c) => c.id);
    expect(pupilsCases.sort()).toEqual([s1, s2, z1].sort());
    const schools = await scorecard(admin, '?by=school');
    expect(schools.by).toBe('school');
    expectFigures(rowOf(schools, shiliSchool).figures, {
      acknowledge_hours: [4, null, 3],
      verified_on_time: [2 / 3, 2, 3],
      first_visit_on_time: [2 / 3, 2, 3],
      overdue_now: [0, 0, null],
      returned: [2, 2, null],
      relapses: [1, 1, null],
      tips_confirmed: [1, 3, 3],
      spot_check_problems: [0, 0, null],
    });
    expect(rowOf(schools, shiliSchool).rank).toBe(1);

    // a township leader sees the same township table
    expect((await scorecard(shiliLeader)).rows).toEqual(townships.rows);

    // the prefecture: one row for its county, every figure over all the county's cases
    region = (await signInWithWechat(server, 'o_scorecard_region')).client;
    const counties = await scorecard(region);
    expect(counties.by).toBe('county');
    expect(counties.rows.map((row) => row.code)).toEqual([COUNTY]);
    expectFigures(rowOf(counties, COUNTY).figures, {
      acknowledge_hours: [5, null, 6],
      verified_on_time: [4 / 6, 4, 6],
      first_visit_on_time: [2 / 3, 2, 3],
      overdue_now: [2, 2, null],
      returned: [2, 2, null],
      relapses: [2, 2, null],
      tips_confirmed: [4 / 5, 4, 5],
      spot_check_problems: [0, 0, null],
    });
    const raw = JSON.stringify(counties);
    expect(raw).not.toMatch(/\d{17}[\dX]/);

    // a period that ends before the tips: nothing in it, only what is overdue now
    const before = await scorecard(admin, `?from=${from}&to=${from}`);
    expectFigures(rowOf(before, ZHAIHE).figures, {
      acknowledge_hours: [null, null, 0],
      verified_on_time: [null, 0, 0],
      first_visit_on_time: [null, 0, 0],
      overdue_now: [2, 2, null],
      returned: [0, 0, null],
      relapses: [0, 0, null],
      tips_confirmed: [null, 0, 0],
      spot_check_problems: [0, 0, null],
    });
  });

  it('refuses other roles and other tables, and bad periods, with a structured answer', async () => {
    await advance(0);
    region = (await signInWithWechat(server, 'o_scorecard_region')).client;
    for (const account of ['township-cadre', 'school-staff', 'supervisor', 'parent', 'village-cadre']) {
      const refused = expectError(await (await signInAs(server, account)).get('/scorecards'), 403, 'FORBIDDEN');
      expect(refused.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(expectError(await shiliLeader.get('/scorecards?by=school'), 403, 'FORBIDDEN').fields).toHaveProperty('by');
    expect(expectError(await admin.get('/scorecards?by=county'), 403, 'FORBIDDEN').fields).toHaveProperty('by');
    expect(expectError(await region.get('/scorecards?by=township'), 403, 'FORBIDDEN').fields).toHaveProperty('by');
    expect(expectError(await region.get('/scorecards?by=school'), 403, 'FORBIDDEN').fields).toHaveProperty('by');
    expect(expectError(await admin.get('/scorecards?from=2026-12-10&to=2026-12-01'), 400, 'VALIDATION_FAILED').fields).toHaveProperty('to');
    expect(expectError(await admin.get('/scorecards?from=2026-02-30'), 400, 'VALIDATION_FAILED').fields).toHaveProperty('from');
    expect(expectError(await admin.get('/scorecards?by=village'), 400, 'VALIDATION_FAILED').fields).toHaveProperty('by');
  });
});
