import { APP_PAGES, type ResponseOf } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { signInAs, type ApiClient } from '../../support/api';
import { launchChromium, openDesktop, openPhone, screenshot, settled } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit, SHILI, ZHAIHE } from '../../support/tips';

const DIGITS = '甲乙丙丁戊己庚辛壬癸';
/** A page's first load (its subpackage chunk, then the list) on a busy test machine. */
const LOAD = 60_000;

/**
 * Issue 16: at a desk the lists are data tables. The township's inbox shows at least 15 cases in the
 * first 1440×900 viewport, sorts by a column, opens a case beside the list (by mouse, or ↓ and Enter)
 * and keeps it in the address; the township exports the cases it selects as a ledger (导出所选); the
 * county selects five triage cases and routes them to a township at once (批量分派); at phone width
 * the same pages are the phone cards.
 */
describe('the H5 app at a desk: data tables', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisorApi: ApiClient;
  const sessions = new Map<string, BrowserContextOptions['storageState']>();

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    await raiseTipLimit(server.dataSource, undefined, 500);
    supervisorApi = await signInAs(server, 'supervisor');
    const names = await demoAccountNames(server);
    // Signed in once at phone width (the sign-in page's own layout); each test reopens the session.
    for (const account of ['township-cadre', 'county-admin']) {
      const { context, page } = await openPhone(browser);
      try {
        await signInWithDemoAccount(page, server.baseUrl, names[account]!);
        sessions.set(account, await context.storageState());
      } finally {
        await context.close();
      }
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Tips from the demo supervisor, each about another child: in 吴明村 (十里镇), or with no place (triage). */
  async function fileTips(prefix: string, count: number, divisionCode?: null): Promise<string[]> {
    const names: string[] = [];
    for (let index = 0; index < count; index++) {
      const name = `${prefix}${DIGITS[Math.floor(index / 10)]}${DIGITS[index % 10]}`;
      const response = await fileTip(supervisorApi, {
        child: { name, age: 8 + (index % 6) },
        ...(divisionCode === null ? { divisionCode } : {}),
      });
      expect(response.status).toBe(201);
      names.push(name);
    }
    return names;
  }

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${server.baseUrl}/#${path}`);
    await settled(page);
  }

  /** The visible table's rows, as the text of one column (1-based; the inbox's first is the row's checkbox). */
  function column(page: Page, index: number): Promise<string[]> {
    return page
      .locator(`.data-table-row td:nth-child(${index})`)
      .filter({ visible: true })
      .allInnerTexts()
      .then((texts) => texts.map((text) => text.trim()));
  }

  test('the inbox: 15+ cases in the first viewport, sorting, the case beside the list, keyboard', async () => {
    const seeded = await fileTips('席', 22);
    const { page, context, errors } = await openDesktop(browser, { storageState: sessions.get('township-cadre') });
    try {
      await open(page, APP_PAGES.officialInbox);
      const rows = page.locator('.data-table-row').filter({ visible: true });
      // the first page: 20 cases, newest first
      await rows.nth(19).waitFor({ timeout: LOAD });
      await screenshot(page, 'desktop-inbox');

      const inView = await page.$$eval(
        '.data-table-row',
        (elements) =>
          elements.filter((row) => {
            const box = row.getBoundingClientRect();
            return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
          }).length,
      );
      expect(inView).toBeGreaterThanOrEqual(15);
      // body text of the table is desktop type, not the phone's scaled rem
      const fontSize = await rows.first().evaluate((row) => parseFloat(getComputedStyle(row).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(13);
      expect(fontSize).toBeLessThanOrEqual(16);

      // Sorting by 案件编号 orders the loaded rows by it, ascending then descending.
      const before = await column(page, 2);
      expect(before.length).toBeGreaterThanOrEqual(20);
      const ascending = [...before].sort();
      const sortButton = page.locator('.data-table-sort').filter({ visible: true }).filter({ hasText: '案件编号' });
      await sortButton.click();
      expect(await column(page, 2)).toEqual(ascending);
      expect(await page.locator('th[aria-sort="ascending"]').filter({ visible: true }).count()).toBe(1);
      await sortButton.click();
      expect(await column(page, 2)).toEqual([...ascending].reverse());
      // and by the child's name: the order changes
      const names = await column(page, 3);
      await page.locator('.data-table-sort').filter({ visible: true }).filter({ hasText: '孩子' }).click();
      const byName = await column(page, 3);
      expect(byName).not.toEqual(names);
      expect([...byName].sort()).toEqual([...names].sort());

      // A click opens the case in the panel beside the list, which stays; the address keeps it.
      const cadreApi = await signInAs(server, 'township-cadre');
      const target = seeded[5]!;
      const found = (await cadreApi.get<ResponseOf<'casesList'>>(`/cases?q=${encodeURIComponent(target)}`)).body.items;
      expect(found).toHaveLength(1);
      await rows.filter({ hasText: target }).click();
      const panel = page.locator('.inbox-desktop-panel').filter({ visible: true });
      await panel.locator('.case-child-name').getByText(target, { exact: true }).waitFor();
      expect(await rows.count()).toBeGreaterThanOrEqual(20);
      expect(new URL(page.url().replace('#', '')).searchParams.get('case')).toBe(found[0]!.id);
      expect(await rows.filter({ hasText: target }).getAttribute('aria-current')).toBe('true');
      await screenshot(page, 'desktop-inbox-case');

      // Reopened from the address, the inbox shows the same case.
      await page.reload();
      await settled(page);
      await panel.locator('.case-child-name').getByText(target, { exact: true }).waitFor();

      // Keyboard: focus the first row, ↓ moves to the second, Enter opens it.
      await rows.first().waitFor();
      const second = (await column(page, 3))[1]!;
      await rows.first().focus();
      await page.keyboard.press('ArrowDown');
      expect(await rows.nth(1).evaluate((row) => row === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await panel.locator('.case-child-name').getByText(second, { exact: true }).waitFor();

      // Narrowed to a phone's width, the same page turns into the phone cards.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('.case-card').filter({ visible: true }).first().waitFor();
      expect(await page.locator('.data-table').filter({ visible: true }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test('the inbox: three cases selected and exported as a ledger (导出所选)', async () => {
    // four new cases; the fourth, not selected, stays out of the file
    const seeded = await fileTips('邬', 4);
    const chosen = seeded.slice(0, 3);
    const cadreApi = await signInAs(server, 'township-cadre');
    const numbers: string[] = [];
    for (const name of chosen) {
      const found = (await cadreApi.get<ResponseOf<'casesList'>>(`/cases?q=${encodeURIComponent(name)}`)).body.items;
      expect(found).toHaveLength(1);
      numbers.push(found[0]!.number);
    }
    const { page, context, errors } = await openDesktop(browser, { storageState: sessions.get('township-cadre') });
    try {
      await open(page, APP_PAGES.officialInbox);
      const rows = page.locator('.data-table-row').filter({ visible: true });
      await rows.filter({ hasText: chosen[0]! }).waitFor({ timeout: LOAD });
      for (const name of chosen) await rows.filter({ hasText: name }).locator('input[type="checkbox"]').check();
      const bulk = page.locator('.data-table-bulk').filter({ visible: true });
      await bulk.getByText('已选 3 项').waitFor();
      // ticking a row selects it without opening it
      expect(await page.locator('.inbox-desktop-panel .case-child-name').filter({ visible: true }).count()).toBe(0);
      await screenshot(page, 'desktop-inbox-selected');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        bulk.getByRole('button', { name: '导出所选（Excel）' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^控辍保学台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await download.path())!);
      const sheet = workbook.getWorksheet('控辍保学台账')!;
      expect(sheet.getRow(1).getCell(2).text).toBe('案件编号');
      const exported = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => [row.getCell(2).text, row.getCell(3).text]);
      expect(exported.map(([number]) => number).sort()).toEqual([...numbers].sort());
      expect(exported.map(([, name]) => name).sort()).toEqual([...chosen].sort());
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test('triage: five cases selected and routed to 寨河镇 at once', async () => {
    const seeded = await fileTips('舒', 6, null);
    const chosen = seeded.slice(0, 5);
    const { page, context, errors } = await openDesktop(browser, { storageState: sessions.get('county-admin') });
    try {
      await open(page, APP_PAGES.countyTriage);
      const rows = page.locator('.data-table-row').filter({ visible: true });
      await rows.filter({ hasText: chosen[0]! }).waitFor({ timeout: LOAD });
      for (const name of chosen) await rows.filter({ hasText: name }).locator('input[type="checkbox"]').check();
      const bulk = page.locator('.data-table-bulk').filter({ visible: true });
      await bulk.getByText('已选 5 项').waitFor();
      await bulk.getByRole('button', { name: '批量分派' }).click();

      const form = page.locator('.bulk-route').filter({ visible: true });
      // nothing chosen: the form names the field in Chinese
      await form.getByRole('button', { name: '分派', exact: true }).click();
      await form.locator('.bulk-route-error').first().waitFor();
      await form.locator('select').selectOption({ label: '寨河镇' });
      await form.locator('input[type="text"]').fill('据线索描述，孩子们住在寨河镇');
      await screenshot(page, 'desktop-triage-bulk');
      await form.getByRole('button', { name: '分派', exact: true }).click();
      for (const name of chosen) await rows.filter({ hasText: name }).waitFor({ state: 'detached' });
      await rows.filter({ hasText: seeded[5]! }).waitFor();

      const admin = await signInAs(server, 'county-admin');
      const zhaihe = await signInAs(server, 'zhaihe-cadre');
      const triage = (await admin.get<ResponseOf<'casesTriage'>>('/cases/triage?limit=100')).body.items.map((item) => item.child.name);
      expect(triage).toContain(seeded[5]);
      for (const name of chosen) {
        expect(triage).not.toContain(name);
        const cases = (await zhaihe.get<ResponseOf<'casesList'>>(`/cases?q=${encodeURIComponent(name)}`)).body.items;
        expect(cases.map((item) => [item.child.name, item.townshipCode])).toEqual([[name, ZHAIHE]]);
        const detail = (await zhaihe.get<ResponseOf<'casesGet'>>(`/cases/${cases[0]!.id}`)).body;
        expect(detail.routings.at(-1)).toMatchObject({ rule: 'manual', townshipName: '寨河镇', reason: '据线索描述，孩子们住在寨河镇' });
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test("the county's other lists are tables at a desk: accounts, schools, invitations, sortable", async () => {
    const admin = await signInAs(server, 'county-admin');
    const issued = await admin.post('/invitations', {
      role: 'official',
      position: 'cadre',
      unit: { kind: 'division', code: SHILI },
      note: '桌面列表',
    });
    expect(issued.status).toBe(201);
    const { page, context, errors } = await openDesktop(browser, { storageState: sessions.get('county-admin') });
    try {
      for (const [path, name] of [
        ['/packages/county/pages/accounts/index', 'accounts'],
        ['/packages/county/pages/schools/index', 'schools'],
        ['/packages/county/pages/invitations/index', 'invitations'],
      ] as const) {
        await open(page, path);
        const rows = page.locator('.data-table-row').filter({ visible: true });
        await rows
          .first()
          .waitFor({ timeout: LOAD })
          .catch((error: Error) => {
            throw new Error(`${name}: ${error.message}`);
          });
        expect(await page.locator('.card.list-item').filter({ visible: true }).count()).toBe(0);
        await screenshot(page, `desktop-${name}`);
      }
      // 学校管理 sorted by name, then reversed
      await open(page, '/packages/county/pages/schools/index');
      await page.locator('.data-table-row').filter({ visible: true }).first().waitFor({ timeout: LOAD });
      const sortButton = page.getByRole('button', { name: '学校', exact: true }).filter({ visible: true });
      await sortButton.click();
      const ascending = await column(page, 1);
      await sortButton.click();
      expect(await column(page, 1)).toEqual([...ascending].reverse());
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test('at phone width the inbox and the triage queue stay phone cards', async () => {
    await fileTips('闵', 2);
    await fileTips('牧', 1, null);
    const viewport = { width: 375, height: 812 };
    const cadre = await openDesktop(browser, { storageState: sessions.get('township-cadre'), viewport });
    const admin = await openDesktop(browser, { storageState: sessions.get('county-admin'), viewport });
    try {
      await open(cadre.page, APP_PAGES.officialInbox);
      await cadre.page.locator('.case-card').filter({ visible: true }).first().waitFor({ timeout: LOAD });
      expect(await cadre.page.locator('.data-table').count()).toBe(0);
      await screenshot(cadre.page, 'phone-inbox-cards');

      await open(admin.page, APP_PAGES.countyTriage);
      await admin.page.locator('.triage-item .case-card').filter({ visible: true }).first().waitFor({ timeout: LOAD });
      expect(await admin.page.locator('.data-table').count()).toBe(0);
      expect([...cadre.errors, ...admin.errors]).toEqual([]);
    } finally {
      await cadre.context.close();
      await admin.context.close();
    }
  }, 180_000);
});
