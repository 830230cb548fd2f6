import {
  chinaDay,
  countySettings,
  reportablePeriod,
  reportDueOn,
  reportPeriodLabel,
  startOfChinaDay,
  type CaseDetail,
  type DispatchReportItem,
  type MyReportsResponse,
  type ReportListResponse,
  type ReportView,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { download } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

const COUNTY = '411522000000';
const HENAN = '410000000000';
const LINXIA = '622900000000';
const DEMO_SCHOOL = '光山县十里镇中心小学';
const CHILDREN = ['报告甲', '报告乙', '报告丙'];

type Dispatch = { reportsDue: DispatchReportItem[] };

/**
 * Issue 18 part 2: periodic reports up the chain. Cases of 十里镇 are worked in the current month;
 * the clock then moves past the end of its quarter. The demo school's monthly report goes to 十里镇
 * (returned once, resubmitted, approved), 十里镇's to the county, the county's quarterly report to the
 * province; an approved report keeps its figures when the data change later, and is reopened by the
 * approver with a reason (audited). Late and returned reports appear on the dispatch list of the level
 * above; the refusals of the issue answer `{ code, message, fields }` in Chinese; the province's
 * answers name no child.
 */
describe('periodic reports with approval', () => {
  let server: TestServer;
  let clients: Record<
    'supervisor' | 'cadre' | 'school' | 'staff' | 'township' | 'county' | 'zhaihe' | 'henan' | 'linxia' | 'luoshan',
    ApiClient
  >;
  let signIn: () => Promise<void>;
  let schoolId: string;
  let month: string;
  let quarter: string;
  const caseIds: string[] = [];
  const ids: Record<string, string> = {};

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());

  /** Moves the clock to a day of the month it is in (or a later month), China time, and signs everyone in again. */
  async function moveTo(day: string): Promise<void> {
    const target = startOfChinaDay(day).getTime() + 10 * 3_600_000;
    const now = server.clock.now().getTime();
    if (target > now) server.clock.advance(target - now);
    await signIn();
  }

  async function ok<T>(promise: Promise<{ status: number; body: unknown }>, status = 200): Promise<T> {
    const response = await promise;
    if (response.status !== status) throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
    return response.body as T;
  }

  async function caseStep(client: ApiClient, caseId: string, body: Record<string, unknown>): Promise<void> {
    const current = await client.get<CaseDetail>(`/cases/${caseId}`);
    await ok(client.post(`/cases/${caseId}/transitions`, { version: current.body.version, ...body }));
  }

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    await seedOtherCounty(server.dataSource);
    schoolId = (await manager().findOneByOrFail(School, { name: DEMO_SCHOOL })).id;
    const users = {
      zhaihe: await createUser(server.dataSource, {
        role: 'official',
        position: 'leader',
        unitDivisionCode: ZHAIHE,
        countyCode: COUNTY,
        displayName: '寨河镇镇长',
      }),
      henan: await createUser(server.dataSource, { role: 'region_admin', unitDivisionCode: HENAN, displayName: '河南省教育厅' }),
      linxia: await createUser(server.dataSource, { role: 'region_admin', unitDivisionCode: LINXIA, displayName: '临夏州教育局' }),
      luoshan: await createUser(server.dataSource, {
        role: 'county_admin',
        unitDivisionCode: OTHER_COUNTY.code,
        countyCode: OTHER_COUNTY.code,
      }),
    };
    signIn = async () => {
      const [supervisor, cadre, school, staff, township, county] = await Promise.all(
        ['supervisor', 'township-cadre', 'school-leader', 'school-staff', 'township-leader', 'county-admin'].map((a) =>
          signInAs(server, a),
        ),
      );
      clients = {
        supervisor: supervisor!,
        cadre: cadre!,
        school: school!,
        staff: staff!,
        township: township!,
        county: county!,
        zhaihe: await clientFor(server, users.zhaihe),
        henan: await clientFor(server, users.henan),
        linxia: await clientFor(server, users.linxia),
        luoshan: await clientFor(server, users.luoshan),
      };
    };
    await signIn();

    // this month: three children of 吴明村 said to attend the demo school, one of 寨河镇; two confirmed (因贫)
    month = today().slice(0, 7);
    const [year, m] = month.split('-').map(Number) as [number, number];
    quarter = `${year}-Q${Math.ceil(m / 3)}`;
    for (const name of CHILDREN) {
      const tip = await fileTip(clients.supervisor, {
        divisionCode: WUMING,
        child: { name, sex: 'male', age: 10, lastSchoolId: schoolId },
      });
      expect(tip.status).toBe(201);
      caseIds.push((await manager().findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId);
    }
    expect((await fileTip(clients.supervisor, { divisionCode: ZHANGWEIZI, child: { name: '报告丁', age: 12 } })).status).toBe(201);
    for (const caseId of caseIds.slice(0, 2)) {
      await ok(clients.cadre.post(`/cases/${caseId}/accept`, {}));
      await caseStep(clients.cadre, caseId, { transition: 'start_verification' });
      await caseStep(clients.cadre, caseId, { transition: 'confirm', causes: ['poverty'] });
    }
    // past the quarter's end: the 2nd of the month after it
    const after = Math.ceil(m / 3) * 3 + 1;
    await moveTo(after > 12 ? `${year + 1}-01-02` : `${year}-${String(after).padStart(2, '0')}-02`);
  }, 180_000);
  afterAll(async () => server?.close());

  it('takes a school’s monthly report to its township: generated, returned with a comment, resubmitted, approved', async () => {
    const draft = await ok<ReportView>(clients.school.post('/reports', { kind: 'school_monthly', period: month }));
    expect(draft).toMatchObject({
      kind: 'school_monthly',
      period: month,
      status: 'draft',
      unit: { level: 'school', id: schoolId, name: DEMO_SCHOOL },
    });
    expect(draft.figures.newCases.tip).toBe(3);
    expect(draft.figures.confirmed).toBe(2);
    expect(draft.figures.stillOut).toBe(2);
    expect(draft.figures.causes.poverty).toBe(2);
    expect(draft.previous.source).toBe('generated');
    expect(draft.lines.find((l) => l.key === 'confirmed')).toMatchObject({ label: '确认辍学', current: '2' });
    expect(draft.actions).toEqual(['refresh', 'edit', 'submit']);
    // making it again is the same report (one row per unit and period)
    const again = await ok<ReportView>(clients.school.post('/reports', { period: month }));
    expect(again.id).toBe(draft.id);
    ids.school = draft.id;

    // the township leader sees it among its schools, but cannot approve a draft
    const list = await ok<ReportListResponse>(clients.township.get(`/reports?kind=school_monthly&period=${month}`));
    expect(list.rows.find((r) => r.unit.id === schoolId)).toMatchObject({ status: 'draft', reportId: draft.id, figures: { confirmed: 2 } });
    expectError(await clients.township.post(`/reports/${draft.id}/approve`, {}), 409, 'REPORT_STEP_OUT_OF_ORDER');

    await ok(clients.school.patch(`/reports/${draft.id}`, { explanation: '本月新增疑似辍学3人，已确认2人。' }));
    const submitted = await ok<ReportView>(clients.school.post(`/reports/${draft.id}/submit`, {}));
    expect(submitted).toMatchObject({ status: 'submitted', explanation: '本月新增疑似辍学3人，已确认2人。', submittedByName: '黄振东' });

    // the school cannot approve its own report, nor a cadre, nor another township's leader see it
    const own = expectError(await clients.school.post(`/reports/${draft.id}/approve`, {}), 403, 'FORBIDDEN');
    expect(own.message).toContain('上一级');
    expectError(await clients.cadre.post(`/reports/${draft.id}/approve`, {}), 403, 'FORBIDDEN');
    expectError(await clients.zhaihe.post(`/reports/${draft.id}/approve`, {}), 404, 'NOT_FOUND');
    expectError(await clients.zhaihe.get(`/reports/${draft.id}`), 404, 'NOT_FOUND');
    expectError(await clients.staff.get(`/reports/${draft.id}`), 403, 'FORBIDDEN');
    // returning needs a comment
    const noComment = expectError(await clients.township.post(`/reports/${draft.id}/return`, {}), 400, 'VALIDATION_FAILED');
    expect(Object.keys(noComment.fields ?? {})).toEqual(['comment']);

    const returned = await ok<ReportView>(clients.township.post(`/reports/${draft.id}/return`, { comment: '请补充家访情况说明' }));
    expect(returned).toMatchObject({ status: 'returned', reviewComment: '请补充家访情况说明', actions: [] });
    expect((await ok<ReportView>(clients.school.get(`/reports/${draft.id}`))).actions).toEqual(['refresh', 'edit', 'submit']);
    await ok(clients.school.post(`/reports/${draft.id}/submit`, { explanation: '已补充：两名确认辍学儿童均已安排包抓干部家访。' }));
    const approved = await ok<ReportView>(clients.township.post(`/reports/${draft.id}/approve`, { comment: '同意' }));
    expect(approved).toMatchObject({ status: 'approved', approvedByName: '王志强', actions: ['reopen'] });
    expect(approved.history.map((h) => h.action)).toEqual(['generate', 'refresh', 'edit', 'submit', 'return', 'submit', 'approve']);
    expectError(await clients.school.patch(`/reports/${draft.id}`, { explanation: '改' }), 409, 'REPORT_STEP_OUT_OF_ORDER');

    // the export is the sheet officials hand in: title, unit, 本期/上期, explanation, who approved
    const file = await download(server, clients.township.token, `/reports/${draft.id}/export`);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const cells = workbook.worksheets[0]!.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map(String) : []));
    expect(cells).toContain(`${DEMO_SCHOOL}${reportPeriodLabel(month)}控辍保学学校月报`);
    expect(cells).toContain(`本期（${reportPeriodLabel(month)}）`);
    expect(cells).toContain('已补充：两名确认辍学儿童均已安排包抓干部家访。');
    expect(cells).toContain('王志强');
    expect(await manager().countBy(AuditEntry, { action: 'report.export', targetId: draft.id })).toBe(1);
  });

  it('keeps an approved report as approved when the data change later', async () => {
    const before = await ok<ReportView>(clients.township.get(`/reports/${ids.school}`));
    // the cases' causes change after the approval, and the third child is confirmed
    const detail = await clients.cadre.get<CaseDetail>(`/cases/${caseIds[0]}`);
    await ok(clients.cadre.request('PUT', `/cases/${caseIds[0]}/causes`, { version: detail.body.version, causes: ['distance'] }));
    const after = await ok<ReportView>(clients.township.get(`/reports/${ids.school}`));
    expect(after.figures).toEqual(before.figures);
    expect(after.figures.causes).toMatchObject({ poverty: 2, distance: 0 });
    // the township's report, generated now from the same cases, sees the change
    const township = await ok<ReportView>(clients.township.post('/reports', { kind: 'township_monthly', period: month }));
    expect(township.figures.causes).toMatchObject({ poverty: 1, distance: 1 });
    expect(township.figures.newCases.tip).toBe(3);
    ids.township = township.id;
  });

  it('takes the township’s report to the county and the county’s quarterly report to the province', async () => {
    // the township leader cannot approve its own report; the county can
    await ok(clients.township.post(`/reports/${ids.township}/submit`, {}));
    expectError(await clients.township.post(`/reports/${ids.township}/approve`, {}), 403, 'FORBIDDEN');
    expectError(await clients.henan.get(`/reports/${ids.township}`), 404, 'NOT_FOUND');
    const approved = await ok<ReportView>(clients.county.post(`/reports/${ids.township}/approve`, {}));
    expect(approved).toMatchObject({ status: 'approved', approvedByName: '周国华', toLabel: '县教育局' });

    const draft = await ok<ReportView>(clients.county.post('/reports', { kind: 'county_quarterly', period: quarter }));
    expect(draft).toMatchObject({ kind: 'county_quarterly', unit: { level: 'county', id: COUNTY }, toLabel: '市、省教育局' });
    expect(draft.figures.newCases.tip).toBe(4);
    expect(draft.figures.consolidation).toEqual(expect.objectContaining({ graduatingYear: expect.any(Number) }));
    expect(draft.lines.some((l) => l.section === '巩固率')).toBe(true);
    ids.county = draft.id;
    await ok(clients.county.post(`/reports/${draft.id}/submit`, { explanation: '本季度无重大情况。' }));
    // the county cannot approve its own report; another region does not see it
    expect(expectError(await clients.county.post(`/reports/${draft.id}/approve`, {}), 403, 'FORBIDDEN').message).toContain('本单位');
    expectError(await clients.linxia.post(`/reports/${draft.id}/approve`, {}), 404, 'NOT_FOUND');
    const done = await ok<ReportView>(clients.henan.post(`/reports/${draft.id}/approve`, {}));
    expect(done).toMatchObject({ status: 'approved', approvedByName: '河南省教育厅', actions: ['reopen'] });

    // reopening needs a reason, is audited, and sends the report back to the county
    const noReason = expectError(await clients.henan.post(`/reports/${draft.id}/reopen`, {}), 400, 'VALIDATION_FAILED');
    expect(Object.keys(noReason.fields ?? {})).toEqual(['reason']);
    expectError(await clients.county.post(`/reports/${draft.id}/reopen`, { reason: '自己重新打开' }), 403, 'FORBIDDEN');
    const reopened = await ok<ReportView>(clients.henan.post(`/reports/${draft.id}/reopen`, { reason: '巩固率数据需要核实' }));
    expect(reopened).toMatchObject({ status: 'returned', reviewComment: '巩固率数据需要核实', approvedAt: null });
    const audit = await manager().findOneByOrFail(AuditEntry, { action: 'report.reopen', targetId: draft.id });
    expect(audit.reason).toBe('巩固率数据需要核实');
    await ok(clients.county.post(`/reports/${draft.id}/submit`, {}));
    await ok(clients.henan.post(`/reports/${draft.id}/approve`, {}));

    // the province sees its counties side by side: counts only, no child
    const region = await ok<ReportListResponse>(clients.henan.get(`/reports?kind=county_quarterly&period=${quarter}`));
    expect(region.rows.map((r) => [r.unit.id, r.status])).toEqual([
      [OTHER_COUNTY.code, 'missing'],
      [COUNTY, 'approved'],
    ]);
    expectError(await clients.henan.get(`/reports?kind=township_monthly&period=${month}`), 403, 'FORBIDDEN');
    expectError(await clients.henan.get(`/reports/${ids.school}`), 404, 'NOT_FOUND');
    const seen = [
      region,
      await ok(clients.henan.get(`/reports/${draft.id}`)),
      await ok(clients.henan.get('/reports/mine')),
      await ok(clients.henan.get('/reports')),
    ];
    const text = JSON.stringify(seen);
    const children = await manager().find(Child);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect(text).not.toContain(child.name);
      if (child.idNumber) expect(text).not.toContain(child.idNumber);
    }
    for (const name of [...CHILDREN, '报告丁', '王小红']) expect(text).not.toContain(name);
    expect(text).not.toMatch(/\d{17}[\dX]|\d{6}\*{8}/);
  });

  it('refuses reports for another unit, of the wrong kind, or of a period not begun or malformed', async () => {
    const other = expectError(await clients.school.post('/reports', { unit: SHILI }), 403, 'FORBIDDEN');
    expect(Object.keys(other.fields ?? {})).toEqual(['unit']);
    const kind = expectError(await clients.township.post('/reports', { kind: 'school_monthly' }), 403, 'FORBIDDEN');
    expect(Object.keys(kind.fields ?? {})).toEqual(['kind']);
    const malformed = expectError(
      await clients.school.post('/reports', { kind: 'school_monthly', period: '2026-Q4' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(Object.keys(malformed.fields ?? {})).toEqual(['period']);
    const future = expectError(
      await clients.school.post('/reports', { period: `${Number(today().slice(0, 4)) + 1}-12` }),
      400,
      'VALIDATION_FAILED',
    );
    expect(Object.keys(future.fields ?? {})).toEqual(['period']);
    // the month now running has not ended: its report can be drafted, not submitted
    const running = await ok<ReportView>(clients.school.post('/reports', { period: today().slice(0, 7) }));
    expectError(await clients.school.post(`/reports/${running.id}/submit`, {}), 400, 'REPORT_PERIOD_NOT_ENDED');
    // a supervisor and a cadre make none
    expectError(await clients.supervisor.post('/reports', {}), 403, 'FORBIDDEN');
    expectError(await clients.cadre.post('/reports', {}), 403, 'FORBIDDEN');
  });

  it('puts late and returned reports on the dispatch list of the level above', async () => {
    const settings = countySettings({});
    const schoolPeriod = reportablePeriod('school_monthly', today());
    const schoolDue = reportDueOn('school_monthly', schoolPeriod, settings);
    const before = await ok<Dispatch>(clients.township.get('/dispatch'));
    expect(before.reportsDue.filter((i) => i.period === schoolPeriod && i.status === 'missing')).toEqual([]);

    // past the school reports' due day: every school of 十里镇 without a report for the period is late
    await moveTo(`${schoolDue.slice(0, 8)}${String(Number(schoolDue.slice(8)) + 1).padStart(2, '0')}`);
    const mine = await ok<MyReportsResponse>(clients.school.get('/reports/mine'));
    expect(mine.submits).toMatchObject({ kind: 'school_monthly', period: schoolPeriod, dueOn: schoolDue });
    const list = await ok<ReportListResponse>(clients.township.get(`/reports?kind=school_monthly&period=${schoolPeriod}`));
    const missing = list.rows.filter((r) => r.status === 'missing').map((r) => r.unit.id);
    expect(missing.length).toBeGreaterThan(0);
    expect(list.rows.filter((r) => r.status === 'missing').every((r) => r.late)).toBe(true);
    const dispatch = await ok<Dispatch>(clients.township.get('/dispatch'));
    const late = dispatch.reportsDue.filter((i) => i.period === schoolPeriod && i.status === 'missing');
    expect(late.map((i) => i.unit.id).sort()).toEqual([...missing].sort());
    expect(late.every((i) => i.late && i.kind === 'school_monthly' && i.dueOn === schoolDue)).toBe(true);
    expect(dispatch.reportsDue.some((i) => i.unit.id === schoolId && i.period === month)).toBe(false);
    // the county does not see schools' reports on its list; 寨河镇's leader not 十里镇's schools
    expect((await ok<Dispatch>(clients.county.get('/dispatch'))).reportsDue.every((i) => i.kind === 'township_monthly')).toBe(true);

    // 寨河镇 submits, the county returns it: returned on the county's list; past the due day the others are late
    const townshipPeriod = reportablePeriod('township_monthly', today());
    const zhaihe = await ok<ReportView>(clients.zhaihe.post('/reports', {}));
    expect(zhaihe).toMatchObject({ kind: 'township_monthly', period: townshipPeriod, unit: { id: ZHAIHE } });
    await ok(clients.zhaihe.post(`/reports/${zhaihe.id}/submit`, {}));
    await ok(clients.county.post(`/reports/${zhaihe.id}/return`, { comment: '请核对新增人数' }));
    const townshipDue = reportDueOn('township_monthly', townshipPeriod, settings);
    await moveTo(`${townshipDue.slice(0, 8)}${String(Number(townshipDue.slice(8)) + 1).padStart(2, '0')}`);
    const county = await ok<Dispatch>(clients.county.get('/dispatch'));
    expect(county.reportsDue.find((i) => i.unit.id === ZHAIHE)).toMatchObject({ reportId: zhaihe.id, status: 'returned', late: true });
    const townships = await ok<ReportListResponse>(clients.county.get(`/reports?period=${townshipPeriod}`));
    expect(townships.kind).toBe('township_monthly');
    const missingTownships = townships.rows.filter((r) => r.status === 'missing').map((r) => r.unit.id);
    expect(missingTownships.length).toBeGreaterThan(10);
    expect(
      county.reportsDue
        .filter((i) => i.status === 'missing')
        .map((i) => i.unit.id)
        .sort(),
    ).toEqual([...missingTownships].sort());
    // above the county, a county without its quarterly report past the due day shows as late in the side-by-side list
    const countyPeriod = reportablePeriod('county_quarterly', today());
    const countyDue = reportDueOn('county_quarterly', countyPeriod, settings);
    await moveTo(`${countyDue.slice(0, 8)}${String(Number(countyDue.slice(8)) + 1).padStart(2, '0')}`);
    const region = await ok<ReportListResponse>(clients.henan.get('/reports'));
    expect(region.rows.find((r) => r.unit.id === OTHER_COUNTY.code)).toMatchObject({ status: 'missing', late: true });
    expect(region.totals.late).toBeGreaterThanOrEqual(1);
  });
});
