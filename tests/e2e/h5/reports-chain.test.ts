import ExcelJS from 'exceljs';
import type { ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { Division } from '../../../server/src/modules/divisions/division.entity';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../../support/api';
import { input, launchChromium, navigate, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { clientFor, createUser } from '../../support/factories';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip } from '../../support/tips';

type MyReports = ResponseOf<'reportsMine'>;

/**
 * Issue 18 part 2 in Chromium, the reporting chain: a township leader (十里镇) generates the
 * township's monthly report, writes the explanation and sends it up; the county admin finds it among
 * the townships side by side (the late ones in red and on its dispatch list), returns it with a
 * comment, approves it when sent again, reopens it with a reason and approves it once more; the
 * county admin then sends the county's quarterly report and exports it; a province user (河南省教育厅)
 * sees the county's report among its counties and approves it, reads the region's overview and
 * scorecard, and cannot open a child.
 */
describe('the H5 app: a report travels from a township to the province', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let caseId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    await server.dataSource.manager.insert(Division, [
      { code: '410000000000', name: '河南省', level: 'province', parentCode: null },
      { code: '411500000000', name: '信阳市', level: 'prefecture', parentCode: '410000000000' },
    ]);
    const tip = await fileTip(await signInAs(server, 'supervisor'), { child: { name: '报告链测试童' } });
    expect(tip.status).toBe(201);
    caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId!;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('township → county → province, with a return on the way, and the province sees no child', async () => {
    const leaderApi = await signInAs(server, 'township-leader');
    const countyApi = await signInAs(server, 'county-admin');

    // 1. The township leader generates the monthly report and sends it up with an explanation.
    const leader = await openPhone(browser);
    try {
      const { page } = leader;
      await signInWithDemoAccount(page, server.baseUrl, names['township-leader']!);
      await navigate(page, () => visibleText(page, '定期报告').click());
      await page.waitForURL(/packages\/reports\/pages\/index/);
      const own = page.locator('.own-report').filter({ visible: true });
      await own.getByText('十里镇乡镇月报').waitFor();
      await own.getByText('未生成', { exact: true }).waitFor();
      await navigate(page, () => visibleText(page, '生成本期报告').click());
      await page.waitForURL(/packages\/reports\/pages\/report/);
      await visibleText(page, '报告数字').waitFor();
      await reportStatus(page, '草稿').waitFor();
      // every figure with 本期 and 上期, the open tip among the new suspected cases
      const lines = page.locator('.report-figures .report-line:not(.report-line-head)').filter({ visible: true });
      expect(await lines.count()).toBeGreaterThan(20);
      const report = (await leaderApi.get<MyReports>('/reports/mine')).body.submits!.report!;
      const view = (await leaderApi.get<ResponseOf<'reportsGet'>>(`/reports/${report.id}`)).body;
      expect(await lines.first().innerText()).toContain(view.lines[0]!.label);
      expect(await page.locator('.report-line-head').filter({ visible: true }).innerText()).toContain(`上期（${view.previous.periodLabel}`);
      await page.locator('.report-explanation textarea').filter({ visible: true }).fill('本月新增疑似辍学1人，已安排包抓干部核查。');
      await clickAndConfirm(page, '上报');
      await reportStatus(page, '已上报，待审核').waitFor();
      expect(await page.locator('.report-actions').filter({ visible: true }).getByText('上报', { exact: true }).count()).toBe(0);
      await screenshot(page, 'reports-township-submitted');
      expect(leader.errors).toEqual([]);
    } finally {
      await leader.context.close();
    }

    // 2. Past the due day the other 18 townships are late: the county's dispatch list names them, and
    // its side-by-side list marks them red. It returns 十里镇's report, then approves it.
    const { dueOn } = (await leaderApi.get<MyReports>('/reports/mine')).body.submits!;
    const pastDue = Date.parse(`${dueOn}T01:00:00+08:00`) + 24 * 3_600_000 - server.clock.now().getTime();
    if (pastDue > 0) server.clock.advance(pastDue);
    const county = await openPhone(browser);
    try {
      const { page } = county;
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '一日一调度').click());
      await visibleText(page, '下级定期报告逾期或被退回（18）').waitFor();
      expect(await page.locator('.dispatch-reports .list-item').filter({ hasText: '十里镇' }).count()).toBe(0);
      await navigate(page, () => page.goBack());
      await navigate(page, () => visibleText(page, '定期报告').click());
      await navigate(page, () => visibleText(page, '各乡镇乡镇月报').click());
      await page.waitForURL(/packages\/reports\/pages\/list/);
      const rows = page.locator('.report-unit-row').filter({ visible: true });
      await rows.first().waitFor();
      const list = (await countyApi.get<ResponseOf<'reportsList'>>(`/reports?kind=township_monthly&period=${periodOf(page)}`)).body;
      expect(await rows.count()).toBe(list.rows.length);
      expect(list.rows.length).toBe(19);
      const shili = rows.filter({ hasText: '十里镇' });
      expect(await shili.innerText()).toContain('已上报，待审核');
      // late and returned units are marked in red
      expect(list.rows.filter((row) => row.late).length).toBe(18);
      expect(await page.locator('.report-unit-row.report-row-alert').filter({ visible: true }).count()).toBe(18);
      expect(await shili.getAttribute('class')).not.toContain('report-row-alert');
      await screenshot(page, 'reports-county-townships');

      await navigate(page, () => shili.click());
      await explanation(page, '本月新增疑似辍学1人，已安排包抓干部核查。').waitFor();
      await visibleText(page, '退回').click();
      // the comment is required: an empty one is refused beside the box
      await page.locator('.reason-dialog').getByText('退回', { exact: true }).click();
      await page.locator('.reason-dialog .field-error').waitFor();
      await page.locator('.reason-dialog textarea').fill('请补充十里镇疑似辍学儿童的核查进展后重新上报');
      await page.locator('.reason-dialog').getByText('退回', { exact: true }).click();
      await reportStatus(page, '已退回').waitFor();
      await visibleText(page, '退回意见：请补充十里镇疑似辍学儿童的核查进展后重新上报').waitFor();

      // 十里镇 sends it again (over the API: the page did it once above)
      const reportId = /id=([^&]+)/.exec(page.url())![1]!;
      expect((await leaderApi.post(`/reports/${reportId}/submit`, { explanation: '已补充核查进展：1人正在核查。' })).status).toBeLessThan(
        300,
      );
      await page.reload();
      await settled(page);
      await reportStatus(page, '已上报，待审核').waitFor();
      await explanation(page, '已补充核查进展：1人正在核查。').waitFor();
      await clickAndConfirm(page, '审核通过');
      await reportStatus(page, '已审核通过').waitFor();
      const actions = page.locator('.report-actions').filter({ visible: true });
      await actions.getByText('重新打开', { exact: true }).waitFor();
      expect(await actions.getByText('退回', { exact: true }).count()).toBe(0);
      await screenshot(page, 'reports-county-approved');

      // reopening an approved report needs a reason; it goes back to 十里镇, which sends it again
      await actions.getByText('重新打开', { exact: true }).click();
      await page.locator('.reason-dialog').getByText('重新打开', { exact: true }).click();
      await page.locator('.reason-dialog .field-error').waitFor();
      await page.locator('.reason-dialog textarea').fill('督导抽查发现销号数有误，请核对');
      await page.locator('.reason-dialog').getByText('重新打开', { exact: true }).click();
      await reportStatus(page, '已重新打开').waitFor();
      await visibleText(page, '重新打开的原因：督导抽查发现销号数有误，请核对').waitFor();
      expect((await leaderApi.post(`/reports/${reportId}/submit`, {})).status).toBeLessThan(300);
      await page.reload();
      await settled(page);
      await clickAndConfirm(page, '审核通过');
      await reportStatus(page, '已审核通过').waitFor();

      // 3. The county's own quarterly report: generated, sent up, exported as .xlsx.
      await navigate(page, () => page.goBack());
      await navigate(page, () => page.goBack());
      const own = page.locator('.own-report').filter({ visible: true });
      await own.getByText('光山县县季报').waitFor();
      await navigate(page, () => own.getByText('生成本期报告').click());
      await visibleText(page, '报告数字').waitFor();
      await visibleText(page, '九年义务教育巩固率', false).first().waitFor();
      await clickAndConfirm(page, '上报');
      await reportStatus(page, '已上报，待审核').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), visibleText(page, '导出 Excel').click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await download.path())!);
      const cells = workbook.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
      expect(cells.some((cell) => cell.includes('光山县'))).toBe(true);
      expect(county.errors).toEqual([]);
    } finally {
      await county.context.close();
    }

    // 4. The province sees the county's report among its counties, approves it, and sees no child.
    const province = await createUser(server.dataSource, {
      role: 'region_admin',
      unitDivisionCode: '410000000000',
      displayName: '豫省管理员',
    });
    const provinceApi = await clientFor(server, province);
    const issued = await provinceApi.post<ResponseOf<'authDesktopCode'>>('/auth/desktop-codes');
    expect(issued.status).toBe(201);
    const desk = await openPhone(browser);
    try {
      const { page } = desk;
      await page.goto(`${server.baseUrl}/`);
      await input(page, '请输入登录码').fill(issued.body.code);
      await visibleText(page, '登录').click();
      await visibleText(page, '同意并继续').click();
      await page.waitForURL(/#\/pages\/home\/index/);
      await settled(page);
      await navigate(page, () => visibleText(page, '各县季报').click());
      // a region only receives: nothing of its own to generate
      expect(await page.locator('.own-report').filter({ visible: true }).count()).toBe(0);
      await navigate(page, () => visibleText(page, '各县县季报').click());
      const guangshan = page.locator('.report-unit-row').filter({ visible: true }).filter({ hasText: '光山县' });
      await guangshan.waitFor();
      expect(await guangshan.innerText()).toContain('已上报，待审核');
      await navigate(page, () => guangshan.click());
      await visibleText(page, '报告数字').waitFor();
      await clickAndConfirm(page, '审核通过');
      await reportStatus(page, '已审核通过').waitFor();
      await screenshot(page, 'reports-province-approved');
      const reportText = await page.locator('body').innerText();
      for (const name of ['报告链测试童', '王梓轩', '吴晓峰']) expect(reportText).not.toContain(name);

      // the region's overview and scorecard show the county's figures
      await page.goto(`${server.baseUrl}/#/pages/home/index`);
      await settled(page);
      await navigate(page, () => visibleText(page, '辖区概况').click());
      await page.locator('.county-row').filter({ visible: true }).filter({ hasText: '光山县' }).waitFor();
      await navigate(page, () => page.goBack());
      await navigate(page, () => visibleText(page, '各县考核排名').click());
      await page.locator('.scorecard-row:not(.scorecard-head)').filter({ visible: true }).filter({ hasText: '光山县' }).waitFor();
      expect(await page.locator('body').innerText()).not.toContain('报告链测试童');

      // a child's case, by its address or over the API, is refused
      await page.goto(`${server.baseUrl}/#/packages/official/pages/case/index?id=${caseId}`);
      await visibleText(page, '您没有权限进行此操作', false).waitFor();
      expect(await page.locator('body').innerText()).not.toContain('报告链测试童');
      expect([403, 404]).toContain((await provinceApi.get(`/cases/${caseId}`)).status);
      expect(desk.errors.filter((e) => !/403/.test(e))).toEqual([]);
    } finally {
      await desk.context.close();
    }

    // what the province approved is what the county's list says now
    const mine = (await countyApi.get<MyReports>('/reports/mine')).body;
    expect(mine.submits?.report?.status).toBe('approved');
    await expectNoPersonalData(provinceApi, mine.submits!.report!.id);
  }, 180_000);
});

/** Taps an action's button and confirms Taro's H5 modal, whose confirm button carries the same text. */
async function clickAndConfirm(page: Page, text: string): Promise<void> {
  await page.locator('.report-actions').filter({ visible: true }).getByText(text, { exact: true }).click();
  await page.locator('.taro-modal__foot div').filter({ hasText: text }).filter({ visible: true }).click();
}

/** The status tag of the report on screen. */
function reportStatus(page: Page, text: string) {
  return page.locator('.report-head .report-status').filter({ visible: true }).filter({ hasText: text });
}

/** The report's written explanation (说明), as the level above reads it. */
function explanation(page: Page, text: string) {
  return page.locator('.report-explanation').filter({ visible: true }).getByText(text, { exact: true });
}

/** The period the list page was opened with (the period due now). */
function periodOf(page: Page): string {
  return decodeURIComponent(/period=([^&]+)/.exec(page.url())![1]!);
}

/** The county's report as the province reads it: figures only, no child's name, ID number or address. */
async function expectNoPersonalData(provinceApi: ApiClient, reportId: string): Promise<void> {
  const response = await provinceApi.get(`/reports/${reportId}`);
  expect(response.status).toBe(200);
  const text = JSON.stringify(response.body);
  expect(text).not.toContain('报告链测试童');
  expect(text).not.toMatch(/\d{17}[\dX]/);
}
