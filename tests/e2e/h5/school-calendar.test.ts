import { schoolYearOf, chinaDay } from '@baoxue/shared';
import type { Browser } from 'playwright-core';
import { CountyCalendarDay } from '../../../server/src/modules/school-calendar/school-calendar.entities';
import { launchChromium, navigate, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * The county school calendar in the H5 build (issue 14 item 1): the county admin opens 校历 from the
 * home menu, moves to the 2025–2026 school year, adds a county day off and sees it listed month by
 * month beside the national holidays; a township leader reads the same calendar with nothing to edit.
 */
describe('the H5 app: the county school calendar', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the county admin adds a day off; a township leader reads it', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '校历').click());
      const current = schoolYearOf(chinaDay(server.clock.now()));
      await visibleText(page, `${current}–${current + 1}学年`).waitFor();
      // back to the 2025–2026 school year, whose national schedule is known
      for (let year = current; year > 2025; year--) {
        await page.locator('.btn-year-previous').filter({ visible: true }).click();
        await visibleText(page, `${year - 1}–${year}学年`).waitFor();
      }
      await visibleText(page, '国庆节（国家安排）').first().waitFor();
      await visibleText(page, '国庆节调休上课（国家安排）').first().waitFor();
      await screenshot(page, 'county-calendar-terms');
      await page.locator('.input-calendar-day input').filter({ visible: true }).fill('2025-11-03');
      await page.locator('.input-calendar-note input').filter({ visible: true }).fill('暴雪停课');
      await visibleText(page, '添加').click();
      await visibleText(page, '暴雪停课（本县）').waitFor();
      await visibleText(page, '11月3日 周一').waitFor();
      expect(await server.dataSource.manager.findOneByOrFail(CountyCalendarDay, { day: '2025-11-03' })).toMatchObject({
        kind: 'off',
        note: '暴雪停课',
      });
      await screenshot(page, 'county-calendar');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const official = await openPhone(browser);
    try {
      await signInWithDemoAccount(official.page, server.baseUrl, names['township-leader']!);
      await official.page.goto(`${server.baseUrl}/#/packages/county/pages/calendar/index`);
      await settled(official.page);
      await visibleText(official.page, '校历由县教育局维护。', false).waitFor();
      const current = schoolYearOf(chinaDay(server.clock.now()));
      for (let year = current; year > 2025; year--) {
        await official.page.locator('.btn-year-previous').filter({ visible: true }).click();
        await visibleText(official.page, `${year - 1}–${year}学年`).waitFor();
      }
      await visibleText(official.page, '暴雪停课（本县）').waitFor();
      expect(await official.page.locator('.btn-add-day, .btn-save-terms, .btn-reset-day').filter({ visible: true }).count()).toBe(0);
      await screenshot(official.page, 'county-calendar-read-only');
      expect(official.errors).toEqual([]);
    } finally {
      await official.context.close();
    }
  }, 120_000);
});
