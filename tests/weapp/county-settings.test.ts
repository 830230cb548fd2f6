import type { AuthOptions, ResponseOf } from '@baoxue/shared';
import { api, signInAs } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';
import { startWeapp, type WeappEnvironment } from '../support/weapp';

/**
 * The county's rules form (时限与规则) in the WeChat build itself against a real server: it shows
 * the county's settings, refuses what the shared schema refuses with its messages beside the
 * fields before anything is sent, and saves what it accepts.
 */
describe('the weapp build: the county settings form', () => {
  let server: TestServer;
  let weapp: WeappEnvironment;
  const PAGE = 'packages/county/pages/settings/index';
  const updates = () => weapp.requests.filter((url) => new URL(url).pathname === '/api/county/settings').length;

  beforeAll(async () => {
    server = await startTestServer({ database: 'sqlite', mode: 'demo' });
    weapp = startWeapp({ apiOrigin: server.baseUrl, wechatBaseUrl: server.wechatBaseUrl });
    const options = (await api(server).get<AuthOptions>('/auth/options')).body;
    const name = options.demoAccounts.find((demo) => demo.account === 'county-admin')!.displayName;

    const login = await weapp.open('pages/login/index');
    await login.waitForText(name);
    await login.tap('demo-account', name);
    await login.waitForText('同意并继续');
    await login.trigger('btn-primary', 'agreeprivacyauthorization', '同意并继续');
    await until(() => weapp.navigations.at(-1)?.url === '/pages/home/index');
    login.close();
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  test('the county admin’s home leads to the rules, the dispatch list and the ledger', async () => {
    const home = await weapp.open('pages/home/index');
    await home.waitForText('时限与规则');
    expect(home.text()).toContain('一日一调度');
    expect(home.text()).toContain('导出台账');
    await home.tap('menu-row', '时限与规则');
    expect(weapp.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/${PAGE}` });
    home.close();
  }, 30_000);

  test('wrong values get the shared schema’s messages and are not sent; right ones are saved', async () => {
    const form = await weapp.open(PAGE);
    await form.waitForText('受理新线索（小时）');
    expect(form.text()).toContain('销号观察期（个上学日）');
    expect(form.text()).toContain('答复家长的资助投诉（天）');
    const before = updates();

    await form.input('input-acknowledgeHours', '0');
    await form.input('input-closeMinPresentDays', '45');
    await form.input('input-verifyDays', '');
    await form.tap('btn-primary', '保存');
    await form.waitForText('受理时限（小时）至少为1');
    expect(form.text()).toContain('核查时限（天）应为数字');
    expect(form.text()).toContain('请按提示修改后再提交');
    // Only the first load reached the server.
    expect(updates()).toBe(before);

    // Correcting a field clears its message only.
    await form.input('input-acknowledgeHours', '12');
    expect(form.text()).not.toContain('受理时限（小时）至少为1');
    expect(form.text()).toContain('核查时限（天）应为数字');

    await form.input('input-verifyDays', '5');
    await form.tap('btn-primary', '保存');
    await form.waitForText('销号所需出勤天数不能超过观察期');
    expect(updates()).toBe(before);

    await form.input('input-closeMinPresentDays', '22');
    await form.input('input-recheck-1', '');
    await form.input('input-complaintAnswerDays', '10');
    await form.tap('btn-primary', '保存');
    await until(() => weapp.toasts.includes('已保存'));
    expect(updates()).toBe(before + 1);
    form.close();

    const admin = await signInAs(server, 'county-admin');
    const saved = (await admin.get<ResponseOf<'countySettingsGet'>>('/county/settings')).body;
    expect(saved).toMatchObject({
      acknowledgeHours: 12,
      verifyDays: 5,
      closeMinPresentDays: 22,
      closeWindowDays: 30,
      recheckDays: [30],
      complaintAnswerDays: 10,
    });
  }, 30_000);
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the app');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
