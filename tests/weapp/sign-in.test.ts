import type { AuthOptions } from '@baoxue/shared';
import { api } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';
import { startWeapp, type WeappEnvironment } from '../support/weapp';

/**
 * The WeChat build itself, run by WeChat's template compiler and component framework against a
 * real server: what the H5 tier shows in a browser, this tier shows for the package users install.
 * The tests share one app (Taro's state is global) and run in order, like one person's session.
 */
describe('the weapp build: sign-in to role home', () => {
  let server: TestServer;
  let weapp: WeappEnvironment;
  let options: AuthOptions;

  beforeAll(async () => {
    server = await startTestServer({ database: 'sqlite', mode: 'demo' });
    weapp = startWeapp({ apiOrigin: server.baseUrl, wechatBaseUrl: server.wechatBaseUrl });
    options = (await api(server).get<AuthOptions>('/auth/options')).body;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  test('the entry page sends a new user to sign-in', async () => {
    const entry = await weapp.open('pages/index/index');
    await until(() => weapp.navigations.length > 0);
    expect(weapp.navigations).toEqual([{ api: 'redirectTo', url: '/pages/login/index' }]);
    entry.close();
  });

  test('the sign-in page offers WeChat sign-in and the demo accounts', async () => {
    const login = await weapp.open('pages/login/index');
    await login.waitForText('演示账号');
    expect(login.text()).toContain('微信登录');
    expect(login.text()).toContain('我已阅读并同意《保学通隐私保护指引》');
    for (const demo of options.demoAccounts) expect(login.text()).toContain(demo.displayName);
    login.close();
  });

  test('WeChat sign-in (wx.login → the fake WeChat API → the server) leads to a parent’s home', async () => {
    const login = await weapp.open('pages/login/index');
    await login.waitForText('微信登录');
    await login.tap('agreement');
    await login.tap('btn', '微信登录');
    await until(() => weapp.navigations.at(-1)?.url === '/pages/home/index');
    expect(weapp.navigations.at(-1)).toEqual({ api: 'switchTab', url: '/pages/home/index' });
    // The production build calls the https API it was built for; consent was recorded on sign-in.
    expect(weapp.requests.every((url) => url.startsWith('https://'))).toBe(true);
    expect(weapp.requests.map((url) => new URL(url).pathname)).toEqual(
      expect.arrayContaining(['/api/auth/wechat-login', '/api/me/privacy-consent']),
    );
    login.close();

    const home = await weapp.open('pages/home/index');
    await home.waitForText('输入邀请码');
    expect(home.text()).toContain('家长');
    expect(home.text()).toContain('个人资料');
    home.close();
  });

  test('我的 gives a one-time code for signing in on a computer', async () => {
    const me = await weapp.open('pages/me/index');
    await me.tap('menu-row', '电脑端登录');
    expect(weapp.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/packages/account/pages/desktop-code/index' });
    me.close();

    const page = await weapp.open('packages/account/pages/desktop-code/index');
    await page.waitForText('电脑端登录码');
    // The computer version is served by the API's server, at the root of the build's API base.
    expect(page.text()).toContain(`在电脑浏览器中打开 ${new URL(weapp.requests[0]!).origin}，输入这个登录码`);
    expect(page.text()).toMatch(/电脑端登录码\s*[A-Z0-9]{8}/);
    page.close();
  });

  test('signing out from 我的 returns to sign-in and forgets the session', async () => {
    const me = await weapp.open('pages/me/index');
    await me.waitForText('退出登录');
    await me.tap('btn', '退出登录');
    await until(() => weapp.navigations.at(-1)?.url === '/pages/login/index');
    expect(weapp.navigations.at(-1)).toEqual({ api: 'reLaunch', url: '/pages/login/index' });
    expect(weapp.storage.has('baoxue.session')).toBe(false);
    me.close();
  });

  test('a demo county admin agrees to the privacy guide with WeChat’s button and reaches their home', async () => {
    const admin = options.demoAccounts.find((demo) => demo.role === 'county_admin')!;
    const login = await weapp.open('pages/login/index');
    await login.waitForText(admin.displayName);
    await login.tap('demo-account', admin.displayName);
    await login.waitForText('同意并继续');
    expect(login.text()).toContain('收集哪些信息');
    await login.trigger('btn-primary', 'agreeprivacyauthorization', '同意并继续');
    await until(() => weapp.navigations.at(-1)?.url === '/pages/home/index');
    login.close();

    const home = await weapp.open('pages/home/index');
    await home.waitForText('邀请码管理');
    for (const entry of ['学校管理', '账号管理', '区划导入']) expect(home.text()).toContain(entry);
    home.close();
  });

  test('a subpackage page loads its own chunks and shows the server’s data', async () => {
    const invitations = await weapp.open('packages/county/pages/invitations/index');
    await invitations.waitForText('发放邀请码');
    await invitations.waitForText('还没有邀请码');
    invitations.close();
  });

  test('a privacy API (choosing a file from a chat) waits until the privacy guide is agreed', async () => {
    const upload = await weapp.open('packages/county/pages/division-import/index');
    await upload.waitForText('从微信聊天中选择区划文件');

    // Agreed at sign-in: the file dialog opens at once.
    await upload.tap('btn', '从微信聊天中选择区划文件');
    await until(() => weapp.fileChoices.length === 1);
    expect(weapp.fileChoices[0]).toEqual(expect.objectContaining({ count: 1, type: 'file', extension: ['xlsx', 'csv'] }));

    // When WeChat asks again (e.g. the guide changed), nothing opens before the person agrees.
    weapp.privacy.needAuthorization = true;
    await upload.tap('btn', '从微信聊天中选择区划文件');
    await upload.waitForText('同意并继续');
    expect(weapp.fileChoices).toHaveLength(1);
    await upload.trigger('btn-primary', 'agreeprivacyauthorization', '同意并继续');
    await until(() => weapp.fileChoices.length === 2);
    upload.close();
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the app');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
