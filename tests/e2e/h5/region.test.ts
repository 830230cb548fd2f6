import type { RegionOverviewResponse, ResponseOf } from '@baoxue/shared';
import type { Browser } from 'playwright-core';
import { Division } from '../../../server/src/modules/divisions/division.entity';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs } from '../../support/api';
import { input, launchChromium, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { clientFor, createUser } from '../../support/factories';
import { requireH5Build } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip } from '../../support/tips';

/**
 * Issue 18, part 1, in Chromium: a province user (河南省教育局) signs in on a computer with a code
 * from the phone, sees the table of its counties with their figures and colours, opens a county's
 * townships, and cannot open a child's case.
 */
describe('the H5 app: a province user sees its counties, never a child', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    await server.dataSource.manager.insert(Division, [
      { code: '410000000000', name: '河南省', level: 'province', parentCode: null },
      { code: '411500000000', name: '信阳市', level: 'prefecture', parentCode: '410000000000' },
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('signs in, reads the county table with its colours, drills down to townships, and is refused a case', async () => {
    const tip = await fileTip(await signInAs(server, 'supervisor'), { child: { name: '豫省测试童' } });
    expect(tip.status).toBe(201);
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId;
    const user = await createUser(server.dataSource, { role: 'region_admin', unitDivisionCode: '410000000000', displayName: '豫省管理员' });
    const phone = await clientFor(server, user);
    const issued = await phone.post<ResponseOf<'authDesktopCode'>>('/auth/desktop-codes');
    expect(issued.status).toBe(201);
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      await input(page, '请输入登录码').fill(issued.body.code);
      await visibleText(page, '登录').click();
      await visibleText(page, '同意并继续').click();
      await page.waitForURL(/#\/pages\/home\/index/);
      await settled(page);
      await visibleText(page, '河南省教育厅').waitFor();
      // its home offers only what it may open
      for (const absent of ['收件箱', '一日一调度', '导出台账', '输入邀请码', '待分派线索'])
        expect(await visibleText(page, absent).count()).toBe(0);

      await visibleText(page, '辖区概况').click();
      await page.waitForURL(/packages\/region\/pages\/overview/);
      await visibleText(page, '各市合计').waitFor();
      const counties = page.locator('.county-row').filter({ visible: true });
      await counties.first().waitFor();
      const overview = (await phone.get<RegionOverviewResponse>(`/region/overview?schoolYear=${currentSchoolYear(server)}`)).body;
      expect(await counties.count()).toBe(overview.counties.length);
      const guangshan = counties.filter({ hasText: '光山县' });
      const row = overview.counties.find((c) => c.name === '光山县')!;
      expect(await guangshan.locator('.rate-cell').nth(0).getAttribute('class')).toContain(`rag-${row.primary.rag}`);
      expect(await guangshan.innerText()).toContain(`${row.open}/${row.overdue}`);
      await screenshot(page, 'region-overview');

      await guangshan.click();
      await visibleText(page, '光山县各乡镇').waitFor();
      await visibleText(page, '十里镇').waitFor();
      await screenshot(page, 'region-county');
      const text = await page.locator('body').innerText();
      for (const name of ['豫省测试童', '王梓轩', '吴晓峰']) expect(text).not.toContain(name);

      // a child's case, opened by its address, is refused
      await page.goto(`${server.baseUrl}/#/packages/official/pages/case/index?id=${caseId}`);
      await visibleText(page, '您没有权限进行此操作', false).waitFor();
      expect(await page.locator('body').innerText()).not.toContain('豫省测试童');
      expect(errors.filter((e) => !/403/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** The school year of the server's today, as the page shows it first. */
function currentSchoolYear(server: TestServer): number {
  const day = new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [year, month] = day.split('-').map(Number) as [number, number];
  return month >= 9 ? year : year - 1;
}
