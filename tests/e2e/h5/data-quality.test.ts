import { chinaDay } from '@baoxue/shared';
import type { Browser } from 'playwright-core';
import { newId } from '../../../server/src/common/ids';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { CaseVisit } from '../../../server/src/modules/cases/case.entity';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs } from '../../support/api';
import { launchChromium, lowestContrast, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip } from '../../support/tips';

const MINUTE = 60_000;

/**
 * Issue 18 item 6 in Chromium: the county admin opens 数据质量 from the home menu, reads each rule with
 * its count and explanation, finds the three visits the demo cadre logged within six minutes under
 * their rule, and opens the case from a record. Every text of the page is legible (contrast ≥ 4.5:1).
 */
describe('the H5 app: the data-quality page', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    const response = await fileTip(await signInAs(server, 'supervisor'), { child: { name: '质量测试童' } });
    expect(response.status).toBe(201);
    const { caseId } = await server.dataSource.manager.findOneByOrFail(Tip, { id: response.body.tip.id });
    const cadre = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'township-cadre' });
    const start = server.clock.now().getTime() - 60 * MINUTE;
    for (const minutes of [0, 3, 6])
      await server.dataSource.manager.insert(CaseVisit, {
        id: newId(),
        caseId,
        visitedOn: chinaDay(server.clock.now()),
        visitors: '包抓干部',
        met: '母亲',
        statedReason: '家里缺人手',
        commitments: null,
        outcome: 'agreed_to_return',
        recordedBy: cadre.id,
        recordedAt: new Date(start + minutes * MINUTE),
      });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the county admin reads the flags by rule and opens a flagged case', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '数据质量').click());
      await page.waitForURL(/packages\/county\/pages\/data-quality/);
      const burst = page.locator('.quality-rule-visit_burst').filter({ visible: true });
      await burst.waitFor();
      const text = await burst.innerText();
      expect(text).toContain('短时间内集中登记家访');
      expect(text).toContain('3 条');
      expect(text).toContain('10 分钟内');
      expect(text).toContain('陈丽');
      const all = await page.locator('.quality-page').innerText();
      for (const title of ['销号前后点名缺勤', '日期早于立案', '同日在其他乡镇有工作记录']) expect(all).toContain(title);
      expect(all).not.toContain('质量测试童');
      const contrast = await lowestContrast(page, '.quality-page');
      expect(contrast.ratio >= 4.5 ? null : contrast).toBeNull();
      await screenshot(page, 'data-quality');

      await navigate(page, () => burst.locator('.quality-record').first().click());
      await page.waitForURL(/packages\/official\/pages\/case/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
