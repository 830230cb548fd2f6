import type { ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { signInAs, type ApiClient } from '../../support/api';
import { input, launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * 账号管理 in a real browser on the H5 build (issue 16): the county admin searches accounts by name
 * on the server, is offered no filter that is always empty (parents belong to no county), and
 * disables an account with a small secondary button, only after confirming.
 */
describe('the H5 app: 账号管理', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let admin: ApiClient;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    admin = await signInAs(server, 'county-admin');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('search by name, no 家长 filter, and 停用 only after confirming', async () => {
    const { page, context, errors } = await openPhone(browser);
    const searches: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/accounts' && url.searchParams.get('q')) searches.push(url.searchParams.get('q')!);
    });
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '账号管理').click());
      const cadreName = names['township-cadre']!;
      const cards = page.locator('.list-item').filter({ visible: true });
      await cards.filter({ hasText: cadreName }).waitFor();

      const filters = await page.locator('.segment').filter({ visible: true }).allInnerTexts();
      expect(filters).toContain('全部');
      expect(filters).not.toContain('家长');

      // the search runs on the server, and the list holds what it answers
      await input(page, '按姓名搜索账号').fill(cadreName);
      await page.waitForFunction((name) => {
        const titles = Array.from(document.querySelectorAll('.list-item-title')).filter((e) => (e as HTMLElement).offsetParent !== null);
        return titles.length > 0 && titles.every((e) => e.textContent === name);
      }, cadreName);
      expect(searches).toContain(cadreName);
      const found = (await admin.get<ResponseOf<'accountsList'>>(`/accounts?q=${encodeURIComponent(cadreName)}`)).body.items;
      expect(await cards.locator('.list-item-title').allInnerTexts()).toEqual(found.map((a) => a.displayName));
      await input(page, '按姓名搜索账号').fill('没有这个人');
      await visibleText(page, '没有姓名含“没有这个人”的账号').waitFor();
      await input(page, '按姓名搜索账号').fill(cadreName);

      // 停用: a small secondary button, and nothing happens without confirming
      const card = cards.filter({ hasText: cadreName }).first();
      const disable = card.locator('.btn').getByText('停用', { exact: true });
      await disable.waitFor();
      const [buttonBox, cardBox] = await Promise.all([card.locator('.btn').boundingBox(), card.boundingBox()]);
      expect(buttonBox!.width).toBeLessThan(cardBox!.width / 2);
      expect(await card.locator('.btn').getAttribute('class')).not.toContain('btn-danger');
      await screenshot(page, 'county-accounts-search');
      const id = found.find((a) => a.displayName === cadreName)!.id;
      const disabledNow = async () =>
        (await admin.get<ResponseOf<'accountsList'>>(`/accounts?q=${encodeURIComponent(cadreName)}`)).body.items.find((a) => a.id === id)!
          .disabled;

      await disable.click();
      await visibleText(page, '停用账号').waitFor();
      await modalButton(page, '取消').click();
      expect(await disabledNow()).toBe(false);
      await disable.click();
      await modalButton(page, '停用').click();
      await card.locator('.tag').getByText('已停用', { exact: true }).waitFor();
      expect(await disabledNow()).toBe(true);
      await card.locator('.btn').getByText('启用', { exact: true }).click();
      await modalButton(page, '启用').click();
      await card.locator('.btn').getByText('停用', { exact: true }).waitFor();
      expect(await disabledNow()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});

function modalButton(page: Page, text: string) {
  return page.locator('.taro-modal__foot div').filter({ hasText: text }).filter({ visible: true });
}
