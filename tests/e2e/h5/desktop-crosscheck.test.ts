import type { ResponseOf } from '@baoxue/shared';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { signInAs, type ApiClient } from '../../support/api';
import { launchChromium, openDesktop, openPhone, screenshot, settled } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { idNumberFor } from '../../support/pupils';
import { HOUSEHOLD_HEADER, importRegistry, ROSTER_HEADER, xlsx } from '../../support/registry';
import { startTestServer, type TestServer } from '../../support/server';

const WUMING = '411522101203'; // 吴明村, 十里镇
const ZHANGWEIZI = '411522102201'; // 张围孜村, 寨河镇
const CROSSCHECK = '/packages/county/pages/crosscheck/index';
/** A page's first load (its subpackage chunk, then the list) on a busy test machine. */
const LOAD = 60_000;

/** Pupils on the roster; the household list has each one's name with one character different (a pair to review). */
const pupils = [
  { name: '张伟', near: '张玮', birth: '2016-09-02', village: ZHANGWEIZI, school: '光山县寨河镇中心小学', grade: '三年级' },
  { name: '李明', near: '李鸣', birth: '2013-06-10', village: WUMING, school: '光山县十里镇初级中学', grade: '初一' },
  { name: '王芳', near: '王方', birth: '2015-03-01', village: WUMING, school: '光山县十里镇中心小学', grade: '五年级' },
  { name: '陈静', near: '陈晶', birth: '2012-01-20', village: ZHANGWEIZI, school: '光山县寨河镇初级中学', grade: '八年级' },
];
/** On no roster and like no pupil: children out of school (失学). */
const outOfSchool = [
  { name: '刘洋', birth: '2014-05-05', village: WUMING },
  { name: '赵磊', birth: '2011-11-11', village: ZHANGWEIZI },
  { name: '孙悦', birth: '2016-02-14', village: WUMING },
];

/**
 * Issue 16 for 四查三比对: at a desk the children a cross-check found and the near matches to confirm
 * are data tables: sortable, the pairs side by side with 是同一人 / 不是同一人 on each row, and several
 * pairs decided at once (each by its own request; one someone decided meanwhile is refused and stays
 * selected). At phone width the same page is the phone cards.
 */
describe('the H5 app at a desk: 四查三比对 tables', () => {
  let server: TestServer;
  let browser: Browser;
  let adminApi: ApiClient;
  let session: BrowserContextOptions['storageState'];

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    adminApi = await signInAs(server, 'county-admin');
    const roster = await importRegistry(
      server,
      adminApi,
      'roster',
      await xlsx(
        ROSTER_HEADER,
        pupils.map((p) => {
          const id = idNumberFor(p.birth);
          return [`G${id}`, p.name, '男', id, p.school, p.grade, '1班', '否', p.village, '王建设', '父亲', '13800138000'];
        }),
      ),
    );
    expect(roster.status).toBe('completed');
    const household = await importRegistry(
      server,
      adminApi,
      'household',
      await xlsx(HOUSEHOLD_HEADER, [
        ...pupils.map((p) => [idNumberFor(p.birth), p.near, p.village, '', '']),
        ...outOfSchool.map((c) => [idNumberFor(c.birth), c.name, c.village, '', '']),
      ]),
    );
    expect(household.status).toBe('completed');
    const names = await demoAccountNames(server);
    // Signed in once at phone width (the sign-in page's own layout); each test reopens the session.
    const { context, page } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      session = await context.storageState();
    } finally {
      await context.close();
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${server.baseUrl}/#${path}`);
    await settled(page);
  }

  /** The visible rows' text in one column (1-based) of the table named `label`. */
  function column(page: Page, label: string, index: number): Promise<string[]> {
    return page
      .locator(`table[aria-label="${label}"] .data-table-row td:nth-child(${index})`)
      .filter({ visible: true })
      .allInnerTexts()
      .then((texts) => texts.map((text) => text.trim()));
  }

  async function confirmModal(page: Page, confirmText: string): Promise<void> {
    await page.locator('.taro-modal__foot div').filter({ hasText: confirmText }).filter({ visible: true }).click();
  }

  function category(page: Page, title: string) {
    return page
      .locator('.category')
      .filter({ visible: true })
      .filter({ has: page.getByText(title, { exact: true }) });
  }

  test('run, the children found as a sortable table, the pairs decided one by one and at once', async () => {
    const { page, context, errors } = await openDesktop(browser, { storageState: session });
    try {
      await open(page, CROSSCHECK);
      await page.getByText('开始比对', { exact: true }).filter({ visible: true }).click({ timeout: LOAD });
      await confirmModal(page, '开始');
      const notEnrolled = category(page, '失学：户籍有、学籍无');
      await notEnrolled.locator('.category-count').getByText(String(outOfSchool.length), { exact: true }).waitFor({ timeout: 30_000 });
      await category(page, '待人工确认').locator('.category-count').getByText(String(pupils.length), { exact: true }).waitFor();

      // 失学: the children found, a table of their cases; sorted by the child's name both ways.
      await notEnrolled.getByText('查看名单', { exact: true }).click();
      const found = notEnrolled.locator('table[aria-label="四查三比对立案名单"] .data-table-row');
      await found.nth(outOfSchool.length - 1).waitFor({ timeout: LOAD });
      expect(await notEnrolled.locator('.case-card').count()).toBe(0);
      const childNames = await column(page, '四查三比对立案名单', 2);
      expect([...childNames].sort()).toEqual(outOfSchool.map((c) => c.name).sort());
      const byChild = notEnrolled.locator('.data-table-sort').filter({ hasText: '孩子' });
      await byChild.click();
      const ascending = await column(page, '四查三比对立案名单', 2);
      expect(ascending).toEqual([...childNames].sort((a, b) => a.localeCompare(b, 'zh-CN')));
      await byChild.click();
      expect(await column(page, '四查三比对立案名单', 2)).toEqual([...ascending].reverse());
      await screenshot(page, 'desktop-crosscheck-found');

      // 人工确认: one row a pair, both sides side by side.
      await category(page, '待人工确认').getByText('去确认', { exact: true }).click();
      const table = page.locator('table[aria-label="待人工确认名单"]').filter({ visible: true });
      const rows = table.locator('.data-table-row');
      await rows.nth(pupils.length - 1).waitFor({ timeout: LOAD });
      expect(await page.locator('.review-card').filter({ visible: true }).count()).toBe(0);
      for (const p of pupils) {
        const row = rows.filter({ hasText: p.near });
        await row.getByText(p.name, { exact: true }).waitFor();
        await row.getByText(p.birth, { exact: true }).first().waitFor();
        await row.getByText('出生日期和村相同，姓名相差一个字', { exact: true }).waitFor();
      }
      // sorted by 学籍姓名 (column 6 after the selection box), both ways
      const pupilNames = await column(page, '待人工确认名单', 6);
      const byPupil = table.locator('.data-table-sort').filter({ hasText: '学籍姓名' });
      await byPupil.click();
      const pupilsAscending = await column(page, '待人工确认名单', 6);
      expect(pupilsAscending).toEqual([...pupilNames].sort((a, b) => a.localeCompare(b, 'zh-CN')));
      await byPupil.click();
      expect(await column(page, '待人工确认名单', 6)).toEqual([...pupilsAscending].reverse());
      await screenshot(page, 'desktop-crosscheck-reviews');

      // One row's own button: 张伟 and 张玮 are the same child.
      const [same, ...rest] = pupils;
      await rows.filter({ hasText: same!.near }).getByRole('button', { name: '是同一人', exact: true }).click();
      await confirmModal(page, '确认');
      await rows
        .filter({ hasText: same!.near })
        .getByText(/^是同一人（/)
        .waitFor();

      // The other three selected; one of them is decided elsewhere meanwhile.
      for (const p of rest) await rows.filter({ hasText: p.near }).locator('input[type="checkbox"]').check();
      const bulk = page.locator('.data-table-bulk').filter({ visible: true });
      await bulk.getByText(`已选 ${rest.length} 项`).waitFor();
      const pending = (await adminApi.get<ResponseOf<'crosscheckReviews'>>('/crosscheck/reviews?status=pending')).body.items;
      const taken = pending.find((pair) => pair.household.name === rest[0]!.near)!;
      expect((await adminApi.post(`/crosscheck/reviews/${taken.id}`, { decision: 'same' })).status).toBeLessThan(300);

      await bulk.getByRole('button', { name: '批量确认不是同一人' }).click();
      await confirmModal(page, '确认');
      // the pair decided elsewhere is refused with its reason and stays selected; the others are decided
      await bulk.getByText('该比对已处理', { exact: false }).waitFor();
      await bulk.getByText(`${rest[0]!.near} / ${rest[0]!.name}`, { exact: false }).waitFor();
      await bulk.getByText('已选 1 项').waitFor();
      for (const p of rest.slice(1))
        await rows
          .filter({ hasText: p.near })
          .getByText(/^不是同一人，已立案/)
          .waitFor();
      await screenshot(page, 'desktop-crosscheck-bulk');

      const different = (await adminApi.get<ResponseOf<'crosscheckReviews'>>('/crosscheck/reviews?status=different')).body.items;
      expect(different.map((pair) => pair.household.name).sort()).toEqual(
        rest
          .slice(1)
          .map((p) => p.near)
          .sort(),
      );
      const cases = (await adminApi.get<ResponseOf<'casesList'>>('/cases?source=cross_check&limit=50')).body.items.map((c) => c.child.name);
      for (const p of rest.slice(1)) expect(cases).toContain(p.near);
      expect(cases).not.toContain(same!.near);
      expect(cases).not.toContain(rest[0]!.near);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);

  test('at phone width the results and the pairs stay phone cards', async () => {
    const { page, context, errors } = await openDesktop(browser, { storageState: session, viewport: { width: 375, height: 812 } });
    try {
      await open(page, CROSSCHECK);
      const notEnrolled = category(page, '失学：户籍有、学籍无');
      await notEnrolled.getByText('查看名单', { exact: true }).click({ timeout: LOAD });
      await notEnrolled.locator('.case-card').first().waitFor({ timeout: LOAD });
      await page.locator('.segment').filter({ visible: true }).getByText('人工确认', { exact: true }).click();
      await page.locator('.segment').filter({ visible: true }).getByText('不是同一人', { exact: true }).click();
      await page.locator('.review-card').filter({ visible: true }).first().waitFor({ timeout: LOAD });
      expect(await page.locator('.data-table').count()).toBe(0);
      await screenshot(page, 'phone-crosscheck-cards');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
