import { APP_PAGES } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { AuditEntry } from '../../../server/src/modules/audit/audit-entry.entity';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs } from '../../support/api';
import { launchChromium, navigate, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { createPupil, DEMO_SCHOOL, schoolByName } from '../../support/pupils';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit, WUMING } from '../../support/tips';

const DESKTOP = { width: 1440, height: 900 };
const CHILD = '审计浏览';
const REVEAL_REASON = '需要向提供人核实孩子住址';

/**
 * BRIEF §7 in the county console (the H5 build, against a real server): the township's cadre reads a
 * case and reveals its tipster; the county admin opens the case, follows "谁查看过此记录" to the audit
 * log filtered to the child, narrows it to the cadre with a tap on the name, and exports it. The
 * child's mother, on her phone, sees which units read the record — by unit and role, no names, no
 * tipster.
 */
describe('the H5 console: the audit log', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let caseId: string;
  let childId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    await raiseTipLimit(server.dataSource, undefined, 500);

    const schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    const pupil = await createPupil(server.dataSource, { name: CHILD, schoolId, grade: 4, bindingCode: 'AUDITH52' });
    childId = pupil.id;
    const parent = await signInAs(server, 'parent');
    expect((await parent.post('/children/bind', { bindingCode: 'AUDITH52', childName: CHILD, relation: 'mother' })).status).toBe(200);
    const supervisor = await signInAs(server, 'supervisor');
    const tip = await fileTip(supervisor, { divisionCode: WUMING, child: { name: CHILD, sex: 'male', idNumber: pupil.idNumber } });
    expect(tip.status).toBe(201);
    caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId;
    const cadre = await signInAs(server, 'township-cadre');
    expect((await cadre.get(`/cases/${caseId}`)).status).toBe(200);
    expect((await cadre.post(`/tips/${tip.body.tip.id}/reveal`, { reason: REVEAL_REASON })).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a county admin opens who has seen the record from the case, filters by person and exports', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.setViewportSize(DESKTOP);
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await page.goto(`${server.baseUrl}/#${APP_PAGES.officialCase}?id=${caseId}`);
      await settled(page);
      await page.locator('.case-child-name').filter({ visible: true }).getByText(CHILD, { exact: true }).waitFor();

      await navigate(page, () => visibleText(page, '谁查看过此记录').click());
      expect(page.url()).toContain(childId);
      await visibleText(page, `儿童：${CHILD} ✕`).waitFor();
      const read = entry(page, '查看案件').filter({ hasText: `${names['township-cadre']}（十里镇 包抓干部）` });
      await read.waitFor();
      const reveal = entry(page, '查看线索提供人');
      await reveal.getByText(REVEAL_REASON, { exact: true }).waitFor();
      await reveal.getByText(`${names['township-cadre']}（十里镇 包抓干部）`, { exact: true }).waitFor();
      // the county's own reading of the case is there too
      await entry(page, '查看案件')
        .filter({ hasText: `${names['county-admin']}（光山县教育局）` })
        .first()
        .waitFor();
      await screenshot(page, 'audit-log-child');

      // a tap on the cadre's name keeps only what they did
      await reveal.locator('.audit-actor').click();
      await visibleText(page, `操作人：${names['township-cadre']} ✕`).waitFor();
      await untilCount(page.locator('.audit-entry').filter({ visible: true }).filter({ hasText: names['county-admin']! }), 0);
      // and a kind of act narrows it further
      await page.locator('.audit-categories .chip').filter({ visible: true }).getByText('查看线索提供人', { exact: true }).click();
      await untilCount(page.locator('.audit-entry').filter({ visible: true }), 1);
      await screenshot(page, 'audit-log-person');

      const [download] = await Promise.all([page.waitForEvent('download'), visibleText(page, '导出为 Excel').click()]);
      expect(download.suggestedFilename()).toMatch(/^审计日志-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await download.path())!);
      const rows = workbook.getWorksheet('审计日志')!.getSheetValues().slice(2) as unknown[][];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(expect.arrayContaining([names['township-cadre'], '十里镇 包抓干部', '查看线索提供人', CHILD, REVEAL_REASON]));

      const admin = await server.dataSource.manager.findOneByOrFail(AuditEntry, { action: 'audit.export' });
      expect(admin).toMatchObject({ childId, actorRole: 'county_admin' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test('a parent sees which units read the child’s record, not who, and never the tipster', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names.parent!);
      await navigate(page, () => visibleText(page, '我的孩子').click());
      const card = page.locator('.child-card').filter({ visible: true }).filter({ hasText: CHILD });
      await navigate(page, () => card.getByText('查阅记录', { exact: true }).click());
      const read = page.locator('.access-entry').filter({ visible: true }).filter({ hasText: '十里镇 包抓干部' });
      await read.getByText('查看案件', { exact: true }).first().waitFor();
      await read.getByText('用途：办理控辍保学案件', { exact: true }).first().waitFor();
      await page.locator('.access-entry').filter({ visible: true }).filter({ hasText: '光山县教育局' }).first().waitFor();
      await screenshot(page, 'parent-access-history');
      const shown = await page.locator('.taro_page').filter({ visible: true }).innerText();
      for (const hidden of [names['township-cadre']!, names['county-admin']!, names.supervisor!, '线索', REVEAL_REASON])
        expect(shown).not.toContain(hidden);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** The visible audit entries of one kind of act. */
function entry(page: Page, actionLabel: string) {
  return page
    .locator('.audit-entry')
    .filter({ visible: true })
    .filter({ has: page.locator('.list-item-title').getByText(actionLabel, { exact: true }) });
}

/** Waits until `locator` matches exactly `count` elements: the list reloads after a filter is set. */
async function untilCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let found = await locator.count();
  while (found !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} matching entries, found ${found}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = await locator.count();
  }
}
