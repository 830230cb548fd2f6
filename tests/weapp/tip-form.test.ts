import { idNumberCheckCharacter } from '@baoxue/shared';
import type { AuthOptions, Me, ResponseOf } from '@baoxue/shared';
import { api, signInAs } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';
import { startWeapp, type WeappEnvironment } from '../support/weapp';

/**
 * The tip form in the WeChat build itself (WeChat's template compiler and component framework)
 * against a real server: it renders, validates with the shared schema before anything is sent,
 * keeps the draft in storage, asks for the progress subscription from the tap, and submits.
 */
describe('the weapp build: a supervisor’s tip form', () => {
  let server: TestServer;
  let weapp: WeappEnvironment;
  let supervisor: Me;
  const FORM = 'packages/supervisor/pages/tip-form/index';
  const tipPosts = () => weapp.requests.filter((url) => new URL(url).pathname === '/api/tips');

  beforeAll(async () => {
    server = await startTestServer({ database: 'sqlite', mode: 'demo' });
    weapp = startWeapp({ apiOrigin: server.baseUrl, wechatBaseUrl: server.wechatBaseUrl });
    const options = (await api(server).get<AuthOptions>('/auth/options')).body;
    const name = options.demoAccounts.find((demo) => demo.account === 'supervisor')!.displayName;

    const login = await weapp.open('pages/login/index');
    await login.waitForText(name);
    await login.tap('demo-account', name);
    await login.trigger('btn-primary', 'agreeprivacyauthorization', '同意并继续');
    await until(() => weapp.navigations.at(-1)?.url === '/pages/home/index');
    login.close();
    supervisor = (weapp.storage.get('baoxue.session') as { user: Me }).user;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  test('the supervisor’s home leads to the form', async () => {
    const home = await weapp.open('pages/home/index');
    await home.waitForText('我的线索');
    await home.tap('btn-primary', '提交线索');
    expect(weapp.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/${FORM}` });
    home.close();
  }, 30_000);

  test('an empty or wrong form shows the shared schema’s messages beside the fields and sends nothing', async () => {
    const form = await weapp.open(FORM);
    await form.waitForText('孩子的情况');
    await form.waitForText('光山县');
    expect(form.text()).toContain('0/500');

    await form.tap('btn-primary', '提交线索');
    await form.waitForText('请填写孩子姓名');
    expect(form.text()).toContain('请填写观察到的情况');
    expect(form.text()).toContain('请按提示修改后再提交');

    // Typing a name clears its message and no other.
    await form.input('input-child-name', '王小明');
    expect(form.text()).not.toContain('请填写孩子姓名');
    expect(form.text()).toContain('请填写观察到的情况');

    await form.input('input-id-number', '110105194912310021');
    await form.input('textarea-observation', '没去上学');
    await form.input('input-age', '30');
    await form.tap('btn-primary', '提交线索');
    await form.waitForText('身份证号校验位不正确，请核对');
    expect(form.text()).toContain('观察到的情况至少10个字');
    expect(form.text()).toContain('义务教育阶段的孩子应在17岁以下');
    expect(form.text()).toContain('4/500（至少10个字）');

    expect(tipPosts()).toEqual([]);
    expect(weapp.subscribeRequests).toEqual([]);
    // Everything typed is already on the phone.
    const draft = weapp.storage.get(`baoxue.tipDraft.${supervisor.id}`) as { values: { child: { name: string; idNumber: string } } };
    expect(draft.values.child).toMatchObject({ name: '王小明', idNumber: '110105194912310021' });
    form.close();
  }, 30_000);

  test('the draft comes back when the form is opened again', async () => {
    const form = await weapp.open(FORM);
    await form.waitForText('孩子的情况');
    expect(form.text()).toContain('4/500');
    const draft = weapp.storage.get(`baoxue.tipDraft.${supervisor.id}`) as { values: { idempotencyKey: string } };
    expect(draft.values.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    form.close();
  }, 30_000);

  test('a valid tip asks for progress messages from the tap, then reaches the server: 已提交', async () => {
    const form = await weapp.open(FORM);
    await form.waitForText('光山县');
    await until(() => weapp.requests.some((url) => new URL(url).pathname === '/api/me/subscriptions'));
    const key = (weapp.storage.get(`baoxue.tipDraft.${supervisor.id}`) as { values: { idempotencyKey: string } }).values.idempotencyKey;

    const first17 = '41152220130301123';
    await form.input('input-id-number', first17 + idNumberCheckCharacter(first17));
    await form.input('input-age', '13');
    await form.input('textarea-observation', '开学两周了，白天一直在家放牛，没有去学校。');
    await form.tap('segment', '男');
    await form.tap('chip', '光山县');
    await form.waitForText('十里镇');
    await form.tap('chip', '十里镇');
    await form.waitForText('吴明村');
    await form.tap('chip', '吴明村');
    await form.waitForText('重新选择');

    await form.tap('btn-primary', '提交线索');
    await form.waitForText('已提交');
    expect(form.text()).toContain('线索已提交');
    expect(weapp.subscribeRequests).toEqual([{ tmplIds: ['demo-template-tip-progress'] }]);
    expect(tipPosts()).toHaveLength(1);
    expect(weapp.storage.has(`baoxue.tipDraft.${supervisor.id}`)).toBe(false);
    expect(weapp.storage.get('baoxue.tipOutbox')).toEqual([]);
    form.close();

    // The server has the tip once, under the draft's key, and the accepted grant.
    const client = await signInAs(server, 'supervisor');
    const mine = (await client.get<ResponseOf<'tipsMine'>>('/tips/mine')).body.items;
    expect(mine).toEqual([
      expect.objectContaining({ place: '光山县 十里镇 吴明村民委员会', child: expect.objectContaining({ name: '王小明', age: 13 }) }),
    ]);
    const replay = await client.post<ResponseOf<'tipsCreate'>>('/tips', {
      idempotencyKey: key,
      child: { name: '王小明' },
      observation: '用同一提交编号再发一次的不同内容',
    });
    expect(replay.status).toBe(409);
    await until(() => weapp.requests.filter((url) => new URL(url).pathname === '/api/me/subscriptions').length >= 2);
    const grants = (await client.get<ResponseOf<'subscriptionsGet'>>('/me/subscriptions')).body.items;
    expect(grants.find((grant) => grant.key === 'tip_progress')?.remaining).toBe(1);
  }, 30_000);
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the app');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
