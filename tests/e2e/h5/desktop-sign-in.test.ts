import type { AuthOptions, ResponseOf } from '@baoxue/shared';
import type { Browser } from 'playwright-core';
import { api, signInWithWechat } from '../../support/api';
import { input, launchChromium, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { requireH5Build } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';

/** Production has no demo accounts: a person signs in on a computer with a code from the mini program. */
describe('the H5 app in production: sign-in with a code from the mini program', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'production', h5Dir }), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the sign-in page explains where the code comes from and offers no demo accounts', async () => {
    const options = (await api(server).get<AuthOptions>('/auth/options')).body;
    expect(options.devLogin).toBe(false);
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      await visibleText(page, '电脑端登录').waitFor();
      await visibleText(page, '请在手机微信中打开「保学通」小程序，在「我的 → 电脑端登录」获取登录码，5分钟内有效。').waitFor();
      expect(await visibleText(page, '演示账号').count()).toBe(0);
      await screenshot(page, 'production-sign-in');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a wrong code is refused in Chinese; the code from the phone signs the same person in', async () => {
    const { client, session } = await signInWithWechat(server, 'o-desktop-parent');
    const issued = await client.post<ResponseOf<'authDesktopCode'>>('/auth/desktop-codes');
    expect(issued.status).toBe(201);
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      await input(page, '请输入登录码').fill('WRONG123');
      await visibleText(page, '登录').click();
      await visibleText(page, '同意并继续').click();
      await visibleText(page, '登录码无效或已过期，请在小程序中重新获取').waitFor();

      await input(page, '请输入登录码').fill(issued.body.code.toLowerCase());
      await visibleText(page, '登录').click();
      await page.waitForURL(/#\/pages\/home\/index/);
      await settled(page);
      const card = page.locator('.user-card').filter({ visible: true });
      expect(await card.locator('.user-name').innerText()).toBe(session.user.displayName);
      expect(await card.locator('.user-role').innerText()).toBe('家长');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
