import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DivisionView, SessionResponse } from '@baoxue/shared';
import pino from 'pino';
import { RedisRateLimitStore } from '../../server/src/common/http/rate-limit-store';
import { WechatClient } from '../../server/src/modules/wechat/wechat.client';
import { WechatAccessToken } from '../../server/src/modules/wechat/wechat-token.entity';
import { startFakeWechat, type FakeWechatServer } from '../../server/src/modules/wechat/fake-wechat.server';
import { api, expectError, signInAs, type ApiClient } from '../support/api';
import { describeWithRedis, TEST_REDIS_URL, testRedisPrefix } from '../support/redis';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 17 item 4: two instances of one deployment (two Nest apps on one database, as behind a load
 * balancer) share their limits (Redis), their division names and the WeChat access token.
 */

const DEMO_APP = { appId: 'wxbaoxuedemo0000001', appSecret: 'demo-secret-not-for-production' };
const VILLAGE = '411522101203'; // 吴明村民委员会, 十里镇, 光山县

function upload(content: string, name = 'divisions.csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return form;
}

/** `n` sign-ins of the demo parent, alternating between the instances, all at once; their statuses. */
async function signIns(instances: TestServer[], n: number, headers: (i: number) => Record<string, string>): Promise<number[]> {
  const attempts = Array.from({ length: n }, (_, i) =>
    api(instances[i % instances.length]!).request('POST', '/auth/dev-login', { account: 'parent' }, headers(i)),
  );
  return (await Promise.all(attempts)).map((r) => r.status);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/**
 * A reverse proxy like nginx with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`: it
 * appends the address it saw the client at (here a fixed one, the client's public address) to whatever
 * X-Forwarded-For the client sent.
 */
async function startProxy(target: string, clientAddress: string): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], clientAddress].filter(Boolean).join(', ');
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': forwarded },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describeWithRedis('two instances of one deployment', () => {
  let fake: FakeWechatServer;
  /** Extra time the fake WeChat sees: lets a test expire the token the instances hold. */
  let wechatSkewMs = 0;
  let a: TestServer;
  let b: TestServer;
  let guesser: string;
  let admin: ApiClient;
  let parent: ApiClient;

  beforeAll(async () => {
    fake = await startFakeWechat({ ...DEMO_APP, now: () => Date.now() + wechatSkewMs });
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: testRedisPrefix(), TRUST_PROXY: '1' };
    a = await startTestServer({ fakeWechat: fake, env });
    b = await startTestServer({ fakeWechat: fake, env, databaseUrl: a.databaseUrl, seedDemo: false });
    // sessions are rows in the shared database: a token from one instance works on the other
    const { code } = fake.mintCode('o_invitation_guesser');
    guesser = (await api(a).post<SessionResponse>('/auth/wechat-login', { code })).body.token;
    admin = await signInAs(a, 'county-admin');
    parent = await signInAs(b, 'parent');
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await fake?.close();
  });

  describe('rate limits count once for the deployment (Redis)', () => {
    it('lets 30 of 60 sign-ins from one address through a limit of 30 a minute, across both instances', async () => {
      // one client address, as the load balancer's proxy reports it
      const statuses = await signIns([a, b], 60, () => ({ 'x-forwarded-for': '198.51.100.7' }));
      expect({ ok: count(statuses, 200), limited: count(statuses, 429) }).toEqual({ ok: 30, limited: 30 });
      const refused = await api(b).request('POST', '/auth/dev-login', { account: 'parent' }, { 'x-forwarded-for': '198.51.100.7' });
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // another address has its own allowance
      expect(await signIns([a, b], 2, () => ({ 'x-forwarded-for': '198.51.100.8' }))).toEqual([200, 200]);
    });

    it('refuses the 11th of 20 wrong invitation codes of one user within the hour, across both instances', async () => {
      const tries = Array.from({ length: 20 }, (_, i) =>
        api([a, b][i % 2]!, guesser).post('/invitations/redeem', { code: `WRONG${String(i).padStart(2, '0')}ABC`, displayName: '猜码人' }),
      );
      const statuses = (await Promise.all(tries)).map((r) => r.status);
      expect({ wrong: count(statuses, 400), limited: count(statuses, 429) }).toEqual({ wrong: 10, limited: 10 });
    });

    it('keys sign-ins on the address the trusted proxy saw: an X-Forwarded-For the client writes changes nothing', async () => {
      const proxy = await startProxy(a.apiUrl, '203.0.113.50');
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 31; i++) {
          // each attempt claims another address for itself; the proxy appends the real one
          const claimed = `10.${i}.0.1`;
          const response = await api({ apiUrl: proxy.apiUrl }).request(
            'POST',
            '/auth/dev-login',
            { account: 'parent' },
            { 'x-forwarded-for': claimed },
          );
          statuses.push(response.status);
        }
        expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
        expect(statuses[30]).toBe(429);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('division names', () => {
    it('a village renamed through one instance reads renamed through the other', async () => {
      const fullName = async () => (await parent.get<DivisionView>(`/divisions/${VILLAGE}`)).body.fullName;
      // the other instance has the name cached
      expect(await fullName()).toBe('光山县 十里镇 吴明村民委员会');
      const renamed = await admin.post(
        '/divisions/import',
        upload(`code,name,level,parent_code\n${VILLAGE},吴明村,village,411522101000\n`),
      );
      expect(renamed.status).toBe(201);
      const deadline = Date.now() + 5_000;
      let seen = await fullName();
      while (seen !== '光山县 十里镇 吴明村' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = await fullName();
      }
      expect(seen).toBe('光山县 十里镇 吴明村');
    });
  });

  describe('the WeChat access token', () => {
    const message = (deliveryKey: string) => ({
      touser: 'oParent0000000000000000000001',
      templateId: 'demo-template-tip-progress',
      data: { thing1: { value: '共享令牌' } },
      deliveryKey,
    });

    it('is fetched once for both instances, and refreshed once when WeChat expires it', async () => {
      const clients = [a.app.get(WechatClient), b.app.get(WechatClient)];
      const tokens = await Promise.all([...clients, ...clients, ...clients].map((client) => client.accessToken()));
      expect(new Set(tokens).size).toBe(1);
      expect(fake.tokenRequests.map((r) => r.forceRefresh)).toEqual([false]);

      // WeChat's clock passes the token's two hours; the instances still hold it as valid
      wechatSkewMs = 7_200_000 + 1_000;
      await Promise.all(clients.map((client, i) => client.sendSubscribeMessage(message(`shared-token-${i}`))));
      expect(fake.messages.filter((m) => m.deliveryKey?.startsWith('shared-token-'))).toHaveLength(2);
      expect(fake.tokenRequests.map((r) => r.forceRefresh)).toEqual([false, true]);
      // both use the new token from now on, without asking WeChat again
      const renewed = await Promise.all(clients.map((client) => client.accessToken()));
      expect(new Set(renewed).size).toBe(1);
      expect(renewed[0]).not.toBe(tokens[0]);
      expect(fake.tokenRequests).toHaveLength(2);
    });

    it('is refreshed by another instance when the one that claimed the refresh dies', async () => {
      const current = await b.app.get(WechatClient).accessToken();
      const before = fake.tokenRequests.length;
      // an instance claimed the refresh and died before storing a token: its lease has 1.5 s left
      await a.dataSource.manager.update(
        WechatAccessToken,
        { appId: DEMO_APP.appId },
        { refreshBy: 'instance-that-died', refreshUntil: new Date(Date.now() + 1_500) },
      );
      const started = Date.now();
      const renewed = await b.app.get(WechatClient).accessToken(current);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(renewed).not.toBe(current);
      expect(fake.tokenRequests.slice(before).map((r) => r.forceRefresh)).toEqual([true]);
      expect(await a.dataSource.manager.findOneByOrFail(WechatAccessToken, { appId: DEMO_APP.appId })).toMatchObject({
        accessToken: renewed,
        refreshBy: null,
        refreshUntil: null,
      });
    });
  });
});

describeWithRedis('the Redis store of the limits', () => {
  let store: RedisRateLimitStore;
  beforeAll(async () => {
    store = new RedisRateLimitStore(TEST_REDIS_URL, testRedisPrefix(), pino({ level: 'silent' }));
    await store.open();
  });
  afterAll(async () => store?.close());

  it('keeps a fixed window from the first attempt, refuses without counting, and gives back refunds', async () => {
    const take = () => store.take('k', 2, 1_000);
    expect(await take()).toMatchObject({ allowed: true, count: 1, resetInMs: 1_000 });
    expect(await take()).toMatchObject({ allowed: true, count: 2 });
    const refused = await take();
    expect(refused).toMatchObject({ allowed: false, count: 2 });
    expect(refused.resetInMs).toBeGreaterThan(0);
    expect(refused.resetInMs).toBeLessThanOrEqual(1_000);
    await store.refund('k');
    expect(await take()).toMatchObject({ allowed: true, count: 2 });
    await new Promise((resolve) => setTimeout(resolve, refused.resetInMs + 50));
    // the window is over: a refund does not reopen it below zero, the next attempt opens a new one
    await store.refund('k');
    expect(await take()).toMatchObject({ allowed: true, count: 1 });
  });
});

describe('when Redis does not answer', () => {
  let server: TestServer;

  beforeAll(async () => {
    // nothing listens on port 1: every command fails at once
    server = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'bx-test-down:' } });
  });
  afterAll(async () => server?.close());

  it('refuses sign-ins with 503 in Chinese rather than letting them through unlimited; the rest of the API works', async () => {
    const refused = await api(server).post('/auth/dev-login', { account: 'parent' });
    const body = expectError(refused, 503, 'RATE_LIMIT_UNAVAILABLE');
    expect(body.message).toBe('系统繁忙，暂时无法完成安全校验，请稍后再试');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await api(server).get('/health')).status).toBe(200);
  });
});
