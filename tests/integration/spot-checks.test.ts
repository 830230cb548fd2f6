import {
  addDays,
  chinaDay,
  schoolDaysUpTo,
  type CaseDetail,
  type ResponseOf,
  type RectificationView,
  type ScorecardResponse,
  type SpotCheckItemView,
  type SpotCheckView,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { User } from '../../server/src/modules/accounts/user.entity';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { drawSample } from '../../server/src/modules/spot-checks/spot-check-draw';
import { SpotCheck } from '../../server/src/modules/spot-checks/spot-check.entities';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { countyCalendar } from '../support/calendar';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { download } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE } from '../support/tips';

const COUNTY = '411522000000';
const XINYANG = '411500000000';
const DAY = 24 * 3_600_000;
type DispatchView = ResponseOf<'dispatchList'>;
const NAMES = ['督甲一', '督甲二', '督甲三', '督甲四', '督甲五'];

/**
 * Issue 18 part 5: 督导 spot checks. Five cases of 十里镇 are closed (销号); the county draws a sample
 * from a recorded seed (the same seed over the same closed cases draws the same cases, as computed by
 * hand from the population), a sample larger than a township's population is refused naming the
 * field, and one request key makes one draw even when sent in parallel. A finding "not attending"
 * reopens the case through the cases module, opens a 整改 item with a deadline that appears on the
 * township's dispatch list and counts on the township scorecard (checked against a hand count as it
 * goes overdue, is reported, returned and accepted). The findings export to .xlsx. A prefecture's
 * inspector records a cross-county finding and sees no child's name, ID number or address.
 */
describe('督导 spot checks and 整改 items', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let cadre: ApiClient;
  let leader: ApiClient;
  let region: ApiClient;
  let regionUser: User;
  let otherAdmin: ApiClient;
  let schoolId: string;
  const closedCases: string[] = [];

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());

  async function ok<T>(response: Promise<{ status: number; body: unknown }>, what: string): Promise<T> {
    const { status, body } = await response;
    if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
    return body as T;
  }

  async function step(caseId: string, client: ApiClient, body: Record<string, unknown>): Promise<CaseDetail> {
    const { version } = await ok<CaseDetail>(client.get(`/cases/${caseId}`), 'read');
    return ok<CaseDetail>(client.post(`/cases/${caseId}/transitions`, { version, ...body }), String(body.transition));
  }

  /** A 十里镇 child reported, confirmed, returned thirty school days ago, present every day since, and closed. */
  async function closedCase(name: string): Promise<string> {
    const tip = await fileTip(supervisor, { divisionCode: WUMING, child: { name, sex: 'male', age: 10 } });
    expect(tip.status).toBe(201);
    const caseId = (await manager().findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId;
    await ok(cadre.post(`/cases/${caseId}/accept`, {}), 'accept');
    await step(caseId, cadre, { transition: 'start_verification' });
    await step(caseId, cadre, { transition: 'confirm', causes: ['poverty'] });
    const days = schoolDaysUpTo(today(), 30, await countyCalendar(server, COUNTY));
    await step(caseId, cadre, { transition: 'record_return', schoolId, grade: 4, placement: 'regular_class', returnedOn: days[0]! });
    await ok(admin.post(`/cases/${caseId}/attendance`, { days: days.map((day) => ({ day, present: true })) }), 'attendance');
    expect((await step(caseId, admin, { transition: 'close' })).status).toBe('closed');
    return caseId;
  }

  async function draw(body: Record<string, unknown>) {
    return admin.post<SpotCheckView>('/spot-checks', { from: today(), to: today(), idempotencyKey: randomUUID(), ...body });
  }

  async function shiliProblems(from: string): Promise<number> {
    const card = await ok<ScorecardResponse>(admin.get(`/scorecards?by=township&from=${from}&to=${today()}`), 'scorecard');
    const figure = card.figures.find((f) => f.key === 'spot_check_problems')!;
    expect(figure.formula).toContain('督导抽查');
    return card.rows.find((row) => row.code === SHILI)!.figures.spot_check_problems.value!;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    await seedOtherCounty(server.dataSource);
    [admin, supervisor, cadre, leader] = await Promise.all(
      ['county-admin', 'supervisor', 'township-cadre', 'township-leader'].map((a) => signInAs(server, a)),
    );
    schoolId = (await manager().findOneByOrFail(User, { demoAccount: 'school-staff' })).unitSchoolId!;
    regionUser = await createUser(server.dataSource, { role: 'region_admin', unitDivisionCode: XINYANG });
    region = await clientFor(server, regionUser);
    otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
    );
    for (const name of NAMES) closedCases.push(await closedCase(name));
  }, 240_000);
  afterAll(async () => server?.close());

  let drawn: SpotCheckView;

  it('draws the same sample from the same seed, refuses a sample larger than its population and makes one draw per key', async () => {
    const first = await draw({ townships: [{ townshipCode: SHILI, size: 3 }], seed: 20261206 });
    expect(first.status).toBe(201);
    drawn = first.body;
    expect(drawn).toMatchObject({ seed: 20261206, items: 3, checked: 0, problems: 0 });
    expect(drawn.townships).toEqual([{ townshipCode: SHILI, townshipName: '十里镇', population: 5, drawn: 3, size: 3, share: null }]);

    // the sample as computed by hand: the population in its stable order (case ids), the documented draw
    const population = (await manager().findBy(DropoutCase, { townshipCode: SHILI, status: 'closed' })).map((c) => c.id).sort();
    expect(population).toEqual([...closedCases].sort());
    const expected = drawSample(population, 3, 20261206, SHILI);
    const byId = new Map((await manager().findBy(DropoutCase, {})).map((c) => [c.id, c.caseNumber]));
    expect(drawn.sample.map((item) => item.caseNumber)).toEqual(expected.map((id) => byId.get(id)));
    expect(drawn.sample.map((item) => item.caseId)).toEqual(expected);

    // the same seed and population again (another key): the same cases in the same order
    const again = await draw({ townships: [{ townshipCode: SHILI, share: 60 }], seed: 20261206 });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(drawn.id);
    expect(again.body.townships[0]).toMatchObject({ population: 5, drawn: 3, share: 60, size: null });
    expect(again.body.sample.map((item) => item.caseId)).toEqual(expected);

    // no seed given: the server picks one and records it
    const unseeded = await draw({ townships: [{ townshipCode: SHILI, size: 2 }] });
    expect(unseeded.body.seed).toBeGreaterThan(0);
    expect(unseeded.body.sample.map((item) => item.caseId)).toEqual(drawSample(population, 2, unseeded.body.seed, SHILI));

    // 寨河镇 closed nothing in the period: a sample of one is larger than its population
    const tooLarge = expectError(
      await draw({
        townships: [
          { townshipCode: SHILI, size: 2 },
          { townshipCode: ZHAIHE, size: 1 },
        ],
        seed: 7,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(tooLarge.fields['townships.1.size']).toContain('寨河镇');
    expect(tooLarge.fields['townships.1.size']).toContain('不能超过0');
    const tooMany = expectError(await draw({ townships: [{ townshipCode: SHILI, size: 6 }] }), 400, 'VALIDATION_FAILED');
    expect(tooMany.fields['townships.0.size']).toContain('只有5件');
    expectError(await draw({ townships: [{ townshipCode: OTHER_COUNTY.township, size: 1 }] }), 400, 'VALIDATION_FAILED');
    expectError(await draw({ townships: [{ townshipCode: SHILI, size: 1, share: 10 }] }), 400, 'VALIDATION_FAILED');

    // one request key, sent five times at once: one draw
    const key = randomUUID();
    const body = { from: today(), to: today(), townships: [{ townshipCode: SHILI, size: 1 }], idempotencyKey: key };
    const parallel = await Promise.all(Array.from({ length: 5 }, () => admin.post<SpotCheckView>('/spot-checks', body)));
    expect(parallel.map((r) => r.status).every((status) => status === 201)).toBe(true);
    expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
    expect(await manager().countBy(SpotCheck, { idempotencyKey: key })).toBe(1);

    // only the county draws; another county does not see the draw
    expectError(await region.post('/spot-checks', body), 403, 'FORBIDDEN');
    expectError(await leader.post('/spot-checks', body), 403, 'FORBIDDEN');
    expectError(await otherAdmin.get(`/spot-checks/${drawn.id}`), 404, 'NOT_FOUND');
    expect((await otherAdmin.get<{ items: unknown[] }>('/spot-checks')).body.items).toEqual([]);
  });

  it('reopens the case of a child not attending, opens a 整改 item on the dispatch list and counts it on the scorecard', async () => {
    const checkedOn = today();
    expect(await shiliProblems(checkedOn)).toBe(0);
    const [absent, mismatch] = drawn.sample;
    const finding = await admin.post<SpotCheckItemView>(`/spot-checks/${drawn.id}/items/${absent!.id}/finding`, {
      result: 'not_attending',
      note: '到校核查，班主任称该生已连续两周未到校',
      checkedOn,
    });
    expect(finding.status).toBe(201);
    expect(finding.body.finding).toMatchObject({ result: 'not_attending', reopened: true, inspectorUnit: '光山县教育局' });
    const rectificationId = finding.body.finding!.rectificationId!;
    expect(rectificationId).toBeTruthy();
    expectError(
      await admin.post(`/spot-checks/${drawn.id}/items/${absent!.id}/finding`, { result: 'attending', note: '再次核查', checkedOn }),
      409,
      'SPOT_CHECK_FINDING_RECORDED',
    );

    // the case is back in persuasion, through the cases module's step (timeline and deadline)
    const reopened = await ok<CaseDetail>(admin.get(`/cases/${absent!.caseId}`), 'case');
    expect(reopened.status).toBe('persuading');
    expect(reopened.events.map((e) => e.summary)).toContainEqual(expect.stringContaining('督导抽查发现孩子未在校'));

    // a record that does not match: a 整改 item, the case stays closed
    const later = addDays(checkedOn, 30);
    const second = await ok<SpotCheckItemView>(
      admin.post(`/spot-checks/${drawn.id}/items/${mismatch!.id}/finding`, {
        result: 'record_mismatch',
        note: '在校就读，但台账返校日期与学籍记录不符',
        checkedOn,
        deadlineOn: later,
      }),
      'mismatch',
    );
    expect(second.finding).toMatchObject({ reopened: false });
    expect((await ok<CaseDetail>(admin.get(`/cases/${mismatch!.caseId}`), 'case')).status).toBe('closed');

    // the township sees both; the default deadline is 15 days
    const list = await ok<{ items: RectificationView[] }>(leader.get('/rectifications'), 'list');
    expect(list.items.map((r) => r.id)).toContain(rectificationId);
    const item = list.items.find((r) => r.id === rectificationId)!;
    expect(item).toMatchObject({ status: 'open', deadlineOn: addDays(checkedOn, 15), overdue: false, caseNumber: absent!.caseNumber });
    expect(list.items.find((r) => r.id === second.finding!.rectificationId)!.deadlineOn).toBe(later);
    expect((await ok<{ items: RectificationView[] }>(otherAdmin.get('/rectifications'), 'other')).items).toEqual([]);
    let dispatch = await ok<DispatchView>(leader.get('/dispatch'), 'dispatch');
    expect(dispatch.rectifications.map((r) => r.id).sort()).toEqual([rectificationId, second.finding!.rectificationId].sort());

    // the scorecard by hand: two problems found in the period, nothing overdue yet
    expect(await shiliProblems(checkedOn)).toBe(2);

    // 16 days later the first item is overdue: 2 problems + 1 overdue item
    server.clock.advance(16 * DAY);
    [admin, cadre, leader] = await Promise.all(['county-admin', 'township-cadre', 'township-leader'].map((a) => signInAs(server, a)));
    expect(await shiliProblems(checkedOn)).toBe(3);
    dispatch = await ok<DispatchView>(leader.get('/dispatch'), 'dispatch');
    expect(dispatch.rectifications[0]).toMatchObject({ id: rectificationId, overdue: true });

    // the township reports what it did: no longer overdue; the county returns it: overdue again
    const reported = await ok<RectificationView>(
      leader.post(`/rectifications/${rectificationId}/report`, { note: '已安排包抓干部家访，孩子已返校并补录出勤', version: item.version }),
      'report',
    );
    expect(reported).toMatchObject({ status: 'reported', overdue: false });
    expect(await shiliProblems(checkedOn)).toBe(2);
    expectError(
      await leader.post(`/rectifications/${rectificationId}/review`, { decision: 'accept', version: reported.version }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await admin.post(`/rectifications/${rectificationId}/review`, { decision: 'return', version: reported.version }),
      400,
      'VALIDATION_FAILED',
    );
    const returned = await ok<RectificationView>(
      admin.post(`/rectifications/${rectificationId}/review`, {
        decision: 'return',
        note: '请附返校后的出勤记录',
        version: reported.version,
      }),
      'return',
    );
    expect(returned).toMatchObject({ status: 'open', overdue: true, returns: 1, reviewNote: '请附返校后的出勤记录' });
    expect(await shiliProblems(checkedOn)).toBe(3);
    expectError(
      await cadre.post(`/rectifications/${rectificationId}/report`, { note: '补充家访记录', version: reported.version }),
      409,
      'CONFLICT',
    );
    const again = await ok<RectificationView>(
      cadre.post(`/rectifications/${rectificationId}/report`, { note: '已补充返校后20个上学日的出勤记录', version: returned.version }),
      'report again',
    );
    const accepted = await ok<RectificationView>(
      admin.post(`/rectifications/${rectificationId}/review`, { decision: 'accept', version: again.version }),
      'accept',
    );
    expect(accepted).toMatchObject({ status: 'accepted', overdue: false });
    expectError(
      await admin.post(`/rectifications/${rectificationId}/review`, { decision: 'accept', version: accepted.version }),
      409,
      'SPOT_CHECK_RECTIFICATION_STEP',
    );
    expect(await shiliProblems(checkedOn)).toBe(2);
    dispatch = await ok<DispatchView>(leader.get('/dispatch'), 'dispatch');
    expect(dispatch.rectifications.map((r) => r.id)).toEqual([second.finding!.rectificationId]);
  });

  it('lets a prefecture inspect across counties without any child personal data, and exports the findings', async () => {
    region = await clientFor(server, regionUser); // a fresh session after the clock moved on
    const names = (await manager().findBy(Child, {})).map((c) => c.name).filter((name) => NAMES.includes(name));
    expect(names).toHaveLength(NAMES.length);
    const view = await region.get<SpotCheckView>(`/spot-checks/${drawn.id}`);
    expect(view.status).toBe(200);
    const third = view.body.sample[2]!;
    expect(third).toMatchObject({ childName: null, caseId: null, villageName: null, schoolName: '光山县十里镇中心小学', grade: 4 });
    const inspected = await region.post<SpotCheckItemView>(`/spot-checks/${drawn.id}/items/${third.id}/finding`, {
      result: 'attending',
      note: '随堂点名在班，出勤记录完整',
      checkedOn: today(),
    });
    expect(inspected.status).toBe(201);
    expect(inspected.body.finding).toMatchObject({ result: 'attending', rectificationId: null, inspectorName: null });
    expect(inspected.body.finding!.inspectorUnit).toContain('教育局');
    const listed = await region.get<{ items: unknown[] }>('/spot-checks');
    const regionPay = JSON.stringify([view.body, inspected.body, listed.body]);
    for (const name of NAMES) expect(regionPay).not.toContain(name);
    expect(regionPay).not.toMatch(/\d{17}[\dX]/);
    expect(regionPay).not.toContain('吴明村');
    expectError(await region.get('/rectifications'), 403, 'FORBIDDEN');
    expectError(await region.get(`/cases/${drawn.sample[0]!.caseId}`), 403, 'FORBIDDEN');

    // the county's export: every sampled case with its finding
    const file = await download(server, admin.token, `/spot-checks/${drawn.id}/export`);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['案件编号', '儿童姓名', '核查结果', '核查单位']));
    const column = (label: string) => header.indexOf(label) + 1;
    expect(sheet.getRow(2).getCell(column('案件编号')).text).toBe(drawn.sample[0]!.caseNumber);
    expect(sheet.getRow(2).getCell(column('核查结果')).text).toBe('未在校就读');
    expect(sheet.getRow(4).getCell(column('核查结果')).text).toBe('确在校就读');
    expect(NAMES).toContain(sheet.getRow(2).getCell(column('儿童姓名')).text);

    // the region's export leaves the names out
    const regional = await download(server, region.token, `/spot-checks/${drawn.id}/export`);
    expect(regional.status).toBe(200);
    const regionalBook = new ExcelJS.Workbook();
    await regionalBook.xlsx.load(regional.body as unknown as ArrayBuffer);
    const regionalHeader = (regionalBook.worksheets[0]!.getRow(1).values as string[]).slice(1);
    expect(regionalHeader).not.toContain('儿童姓名');
    regionalBook.worksheets[0]!.eachRow((row) => {
      for (const name of NAMES) expect(row.values).not.toContain(name);
    });

    // the county's list counts the findings
    const summary = (await ok<{ items: SpotCheckView[] }>(admin.get('/spot-checks'), 'list')).items.find((d) => d.id === drawn.id)!;
    expect(summary).toMatchObject({ items: 3, checked: 3, problems: 2 });
  });
});
