import type { Browser } from 'playwright-core';
import { signInAs } from '../../support/api';
import { launchChromium, lowestContrast, navigate, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip } from '../../support/tips';

/**
 * Issue 18 part 4 in Chromium: the county admin opens 考核排名 from the home menu, reads the township
 * table with its ranks, the period picker and every formula, switches to the schools; a township
 * leader reads the same township table without the schools. Every text of the page is legible:
 * contrast at least 4.5:1 against what it is drawn on.
 */
describe('the H5 app: the scorecard page', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    expect((await fileTip(await signInAs(server, 'supervisor'), { child: { name: '排名测试童' } })).status).toBe(201);
    // nobody accepts it within the county's 24 hours: 十里镇 has overdue work
    server.clock.advance(25 * 3_600_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the county admin reads the townships and the schools, each formula and a legible page', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '考核排名').click());
      await page.waitForURL(/packages\/county\/pages\/scorecards/);
      await visibleText(page, '计算方法').waitFor();
      const rows = page.locator('.scorecard-row:not(.scorecard-head)').filter({ visible: true });
      await rows.first().waitFor();
      expect(await rows.count()).toBe(19);
      // 十里镇 has the one case, overdue: the others share the first place, it comes last
      expect(await rows.first().innerText()).not.toContain('十里镇');
      expect(await rows.last().innerText()).toContain('十里镇');
      const text = await page.locator('.scorecard-page').innerText();
      for (const formula of ['受理后3天内得出核查结论', '确认辍学后3天内登记首次家访', '与调度清单的“逾期”相同', '综合名次按各项名次之和'])
        expect(text).toContain(formula);
      expect(text).toContain('统计期间');
      expect(text).not.toContain('排名测试童');
      const contrast = await lowestContrast(page, '.scorecard-page');
      expect(contrast.ratio >= 4.5 ? null : contrast).toBeNull();
      await screenshot(page, 'scorecards-townships');

      await visibleText(page, '各学校').click();
      await settled(page);
      await visibleText(page, '光山县十里镇中心小学').waitFor();
      const schoolsContrast = await lowestContrast(page, '.scorecard-page');
      expect(schoolsContrast.ratio >= 4.5 ? null : schoolsContrast).toBeNull();
      await screenshot(page, 'scorecards-schools');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  test('a township leader reads the township table, without the schools', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['township-leader']!);
      await navigate(page, () => visibleText(page, '考核排名').click());
      await page.waitForURL(/packages\/county\/pages\/scorecards/);
      const rows = page.locator('.scorecard-row:not(.scorecard-head)').filter({ visible: true });
      await rows.first().waitFor();
      expect(await rows.count()).toBe(19);
      expect(await visibleText(page, '各学校').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
