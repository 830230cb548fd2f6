import { Writable } from 'node:stream';
import pino from 'pino';
import { Clock } from '../../../server/src/common/clock';
import { AppError } from '../../../server/src/common/errors/app-error';
import { loadConfig } from '../../../server/src/config/config.schema';
import { startFakeWechat, type FakeWechatServer } from '../../../server/src/modules/wechat/fake-wechat.server';
import { WechatApiError, WechatClient } from '../../../server/src/modules/wechat/wechat.client';
import { WechatTokens, type StoredToken } from '../../../server/src/modules/wechat/wechat-tokens';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'fake-secret-0123456789abcdef0123';
const TEMPLATE = 'tmpl-return-to-school';
const OPENID = 'oParent0000000000000000000001';

const SEND_PATH = '/cgi-bin/message/subscribe/send';
const TOKEN_PATH = '/cgi-bin/stable_token';
const SESSION_PATH = '/sns/jscode2session';

let clock: Clock;
/** Extra time the fake sees beyond the shared clock: lets a test expire a token the client still holds. */
let fakeSkewMs: number;
let fake: FakeWechatServer;
let fetchSpy: jest.SpiedFunction<typeof fetch>;

beforeEach(async () => {
  clock = new Clock();
  fakeSkewMs = 0;
  fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET, now: () => clock.now().getTime() + fakeSkewMs });
  fetchSpy = jest.spyOn(globalThis, 'fetch');
});

afterEach(async () => {
  fetchSpy.mockRestore();
  await fake.close();
});

/** The shared token store of one instance, in memory (the database one is tested with two servers in tests/integration/shared-state.test.ts). */
class MemoryTokens extends WechatTokens {
  token: StoredToken | null = null;
  refreshUntil = 0;

  async read() {
    return this.token;
  }
  async claim(rejected: string | null, now: Date, renewBefore: Date, until: Date) {
    const needed = !this.token || this.token.expiresAt <= renewBefore.getTime() || this.token.value === rejected;
    if (!needed || this.refreshUntil > now.getTime()) return false;
    this.refreshUntil = until.getTime();
    return true;
  }
  async save(token: StoredToken) {
    this.token = token;
    this.refreshUntil = 0;
  }
  async release() {
    this.refreshUntil = 0;
  }
}

function clientWith(env: NodeJS.ProcessEnv = {}, logger = pino({ level: 'silent' })): WechatClient {
  const config = loadConfig({ APP_MODE: 'test', WECHAT_API_BASE: fake.url, WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: APP_SECRET, ...env });
  return new WechatClient(config, clock, logger, new MemoryTokens());
}

/** The requests the client made to one WeChat endpoint, with their parsed query and body. */
function requestsTo(path: string): Array<{ query: URLSearchParams; body: Record<string, unknown> | null }> {
  return fetchSpy.mock.calls
    .map(([input, init]) => ({ url: new URL(String(input)), init }))
    .filter(({ url }) => url.pathname === path)
    .map(({ url, init }) => ({
      query: url.searchParams,
      body: init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null,
    }));
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function wechatErrorOf(promise: Promise<unknown>): Promise<WechatApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof WechatApiError)) throw new Error(`expected a WechatApiError, got ${String(error)}`);
  return error;
}

function message(data: Record<string, { value: string }> = { thing1: { value: '张小明已返校' } }) {
  return { touser: OPENID, templateId: TEMPLATE, page: 'packages/parent/pages/child/index', data };
}

describe('WechatClient.code2Session', () => {
  it('returns the openid of a freshly minted code, and sends the configured appid and secret', async () => {
    const { code, openid } = fake.mintCode(OPENID);
    const session = await clientWith().code2Session(code);
    expect(session.openid).toBe(OPENID);
    expect(openid).toBe(OPENID);
    expect(session.unionid).toBeNull();
    expect(Buffer.from(session.sessionKey, 'base64')).toHaveLength(16);
    const [request] = requestsTo(SESSION_PATH);
    expect(Object.fromEntries(request!.query)).toEqual({
      appid: APP_ID,
      secret: APP_SECRET,
      js_code: code,
      grant_type: 'authorization_code',
    });
  });

  it('refuses the same code a second time (40163) as an invalid code', async () => {
    const client = clientWith();
    const { code } = fake.mintCode();
    await client.code2Session(code);
    const error = await appErrorOf(client.code2Session(code));
    expect(error.code).toBe('WECHAT_CODE_INVALID');
    expect(error.status).toBe(401);
    expect(error.message).toBe('微信登录凭证无效或已过期，请重新登录');
  });

  it('refuses an unknown code (40029) as an invalid code', async () => {
    const error = await appErrorOf(clientWith().code2Session('0a1b2c3d4e5f60718293a4b5c6d7e8f9'));
    expect(error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('refuses a code older than 5 minutes, and accepts one just younger', async () => {
    const client = clientWith();
    const young = fake.mintCode();
    const old = fake.mintCode();
    clock.advance(5 * 60_000 - 1_000);
    await expect(client.code2Session(young.code)).resolves.toMatchObject({ openid: young.openid });
    clock.advance(2_000);
    expect((await appErrorOf(client.code2Session(old.code))).code).toBe('WECHAT_CODE_INVALID');
  });

  it('maps WeChat’s rate limit (45011) to RATE_LIMITED, injected or real', async () => {
    fake.injectFault({ path: SESSION_PATH, errcode: 45011 });
    const injected = await appErrorOf(clientWith().code2Session(fake.mintCode().code));
    expect(injected.code).toBe('RATE_LIMITED');
    expect(injected.status).toBe(429);
    expect(injected.message).toBe('微信登录过于频繁，请一分钟后再试');

    // The fake's own quota: two sign-ins per openid per minute.
    await fake.close();
    fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET, loginsPerMinute: 2, now: () => clock.now().getTime() });
    const client = clientWith();
    await client.code2Session(fake.mintCode(OPENID).code);
    await client.code2Session(fake.mintCode(OPENID).code);
    const third = fake.mintCode(OPENID);
    expect((await appErrorOf(client.code2Session(third.code))).code).toBe('RATE_LIMITED');
    // The refused code was not spent: after a minute it still signs in.
    clock.advance(60_000);
    await expect(client.code2Session(third.code)).resolves.toMatchObject({ openid: OPENID });
  });

  it('maps a risky account (40226) to FORBIDDEN with WeChat’s reason', async () => {
    fake.injectFault({ path: SESSION_PATH, errcode: 40226 });
    const error = await appErrorOf(clientWith().code2Session(fake.mintCode().code));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('微信提示该账号存在风险，暂时无法登录');
  });

  it('maps a system error (-1) to WECHAT_UNAVAILABLE, and the next call succeeds', async () => {
    const client = clientWith();
    fake.injectFault({ path: SESSION_PATH, errcode: -1 });
    const error = await appErrorOf(client.code2Session(fake.mintCode().code));
    expect(error.code).toBe('WECHAT_UNAVAILABLE');
    expect(error.status).toBe(503);
    await expect(client.code2Session(fake.mintCode(OPENID).code)).resolves.toMatchObject({ openid: OPENID });
  });

  it('maps a wrong AppSecret (40125) to WECHAT_UNAVAILABLE and logs the errcode without the secret or the code', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const client = clientWith({ WECHAT_APP_SECRET: 'not-the-secret' }, pino({ level: 'warn' }, sink));
    const { code } = fake.mintCode();
    expect((await appErrorOf(client.code2Session(code))).code).toBe('WECHAT_UNAVAILABLE');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { msg: string; err: unknown };
    expect(entry.msg).toBe('wechat call failed');
    expect(entry.err).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
    expect(lines[0]).not.toContain('not-the-secret');
    expect(lines[0]).not.toContain(code);
  });

  it('maps a wrong AppID (40013) to WECHAT_UNAVAILABLE', async () => {
    expect((await appErrorOf(clientWith({ WECHAT_APP_ID: 'wxnotthisapp000000' }).code2Session(fake.mintCode().code))).code).toBe(
      'WECHAT_UNAVAILABLE',
    );
  });

  it('gives up after WECHAT_TIMEOUT_MS with WECHAT_UNAVAILABLE', async () => {
    fake.injectFault({ path: SESSION_PATH, errcode: 0, delayMs: 1_000 });
    const started = Date.now();
    const error = await appErrorOf(clientWith({ WECHAT_TIMEOUT_MS: '150' }).code2Session(fake.mintCode().code));
    expect(error.code).toBe('WECHAT_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('answers WECHAT_UNAVAILABLE when WeChat cannot be reached or is not configured', async () => {
    const url = fake.url;
    await fake.close();
    const down = new WechatClient(
      loadConfig({ APP_MODE: 'test', WECHAT_API_BASE: url }),
      clock,
      pino({ level: 'silent' }),
      new MemoryTokens(),
    );
    expect((await appErrorOf(down.code2Session('any'))).code).toBe('WECHAT_UNAVAILABLE');
    const unset = new WechatClient(loadConfig({ APP_MODE: 'test' }), clock, pino({ level: 'silent' }), new MemoryTokens());
    expect((await appErrorOf(unset.code2Session('any'))).code).toBe('WECHAT_UNAVAILABLE');
    fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET });
  });
});

describe('WechatClient.accessToken (stable_token)', () => {
  it('fetches the token once for concurrent callers and reuses it', async () => {
    const client = clientWith();
    const tokens = await Promise.all([client.accessToken(), client.accessToken(), client.accessToken(), client.accessToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^[\w-]{32}$/);
    expect(await client.accessToken()).toBe(tokens[0]);
    clock.advance(60 * 60_000);
    expect(await client.accessToken()).toBe(tokens[0]);
    const requests = requestsTo(TOKEN_PATH);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, force_refresh: false });
  });

  it('fetches a new token once the old one has expired', async () => {
    const client = clientWith();
    const first = await client.accessToken();
    clock.advance(7_200_000 + 1_000);
    const second = await client.accessToken();
    expect(second).not.toBe(first);
    expect(await client.accessToken()).toBe(second);
    expect(requestsTo(TOKEN_PATH)).toHaveLength(2);
  });

  it('asks again in the token’s last minute, and replaces a token about to expire at once', async () => {
    const client = clientWith();
    const first = await client.accessToken();
    clock.advance(7_200_000 - 4 * 60_000);
    expect(await client.accessToken()).toBe(first);
    expect(requestsTo(TOKEN_PATH)).toHaveLength(1);
    clock.advance(3.5 * 60_000);
    const second = await client.accessToken();
    const requests = requestsTo(TOKEN_PATH);
    // stable_token returns the same token with 30 s left; the client then forces a fresh one
    expect(requests.map((r) => (r.body as { force_refresh: boolean }).force_refresh)).toEqual([false, false, true]);
    expect(second).not.toBe(first);
    expect(await client.accessToken()).toBe(second);
    expect(requestsTo(TOKEN_PATH)).toHaveLength(3);
  });

  it('keeps the path of a base URL behind a proxy', async () => {
    const client = clientWith({ WECHAT_API_BASE: `${fake.url}/wechat-proxy/` });
    await expect(client.code2Session(fake.mintCode().code)).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
    expect(requestsTo('/wechat-proxy/sns/jscode2session')).toHaveLength(1);
  });

  it('forces a refresh when told WeChat refused the token', async () => {
    const client = clientWith();
    const first = await client.accessToken();
    const forced = await client.accessToken(first);
    expect(forced).not.toBe(first);
    expect(requestsTo(TOKEN_PATH).map((r) => r.body!.force_refresh)).toEqual([false, true]);
    expect(await client.accessToken()).toBe(forced);
  });

  it('lets a later caller retry after a failed fetch', async () => {
    const client = clientWith();
    fake.injectFault({ path: TOKEN_PATH, errcode: -1 });
    const error = await wechatErrorOf(client.accessToken());
    expect(error.errcode).toBe(-1);
    await expect(client.accessToken()).resolves.toMatch(/^[\w-]{32}$/);
  });
});

describe('WechatClient.sendSubscribeMessage', () => {
  it('sends the delivery key with every attempt, and the fake delivers a key once', async () => {
    const client = clientWith();
    const payload = { ...message({ thing1: { value: '重发测试' } }), deliveryKey: 'outbox-1' };
    await client.sendSubscribeMessage(payload);
    await client.sendSubscribeMessage(payload);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]!.deliveryKey).toBe('outbox-1');
    expect(fake.duplicateDeliveries).toBe(1);
  });

  it('delivers the message with the template, page and data', async () => {
    const before = clock.now().getTime();
    await clientWith().sendSubscribeMessage(message({ thing1: { value: '张小明已返校' }, time2: { value: '2026-11-23 09:00' } }));
    expect(fake.messages).toEqual([
      {
        touser: OPENID,
        templateId: TEMPLATE,
        page: 'packages/parent/pages/child/index',
        data: { thing1: { value: '张小明已返校' }, time2: { value: '2026-11-23 09:00' } },
        receivedAt: expect.any(Number),
        deliveryKey: null,
      },
    ]);
    expect(fake.messages[0]!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(fake.messages[0]!.receivedAt).toBeLessThanOrEqual(clock.now().getTime());
  });

  it('accepts a thing value of exactly 20 characters and refuses 21 with 47003', async () => {
    const client = clientWith();
    await client.sendSubscribeMessage(message({ thing1: { value: '光'.repeat(20) } }));
    const error = await wechatErrorOf(client.sendSubscribeMessage(message({ thing1: { value: '光'.repeat(21) } })));
    expect(error.errcode).toBe(47003);
    expect(error.errmsg).toBe('argument invalid! data.thing1.value invalid');
    expect(fake.messages).toHaveLength(1);
    expect(requestsTo(SEND_PATH)).toHaveLength(2);
  });

  it.each([42001, 40001])('retries once with a refreshed token after %i', async (errcode) => {
    const client = clientWith();
    fake.injectFault({ path: SEND_PATH, errcode });
    await client.sendSubscribeMessage(message());
    expect(fake.messages).toHaveLength(1);
    const sends = requestsTo(SEND_PATH);
    expect(sends).toHaveLength(2);
    expect(sends[1]!.query.get('access_token')).not.toBe(sends[0]!.query.get('access_token'));
    expect(requestsTo(TOKEN_PATH).map((r) => r.body!.force_refresh)).toEqual([false, true]);
  });

  it('recovers when WeChat has expired the token the client still holds', async () => {
    const client = clientWith();
    const held = await client.accessToken();
    fakeSkewMs = 7_200_000 + 1_000; // WeChat's clock is past the token's life; ours is not.
    await client.sendSubscribeMessage(message());
    expect(fake.messages).toHaveLength(1);
    const sends = requestsTo(SEND_PATH);
    expect(sends.map((s) => s.query.get('access_token') === held)).toEqual([true, false]);
  });

  it('retries only once: a second expired answer is thrown', async () => {
    fake.injectFault({ path: SEND_PATH, errcode: 42001, count: 2 });
    const error = await wechatErrorOf(clientWith().sendSubscribeMessage(message()));
    expect(error.errcode).toBe(42001);
    expect(requestsTo(SEND_PATH)).toHaveLength(2);
    expect(fake.messages).toEqual([]);
  });

  it('does not retry other errors: a user who refused the subscription (43101)', async () => {
    fake.refusingUsers.add(OPENID);
    const error = await wechatErrorOf(clientWith().sendSubscribeMessage(message()));
    expect(error.errcode).toBe(43101);
    expect(requestsTo(SEND_PATH)).toHaveLength(1);
    expect(requestsTo(TOKEN_PATH)).toHaveLength(1);
  });
});

describe('the fake WeChat server over HTTP', () => {
  async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, fake.url));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, fake.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  function session(params: Record<string, string>) {
    const query = new URLSearchParams({ appid: APP_ID, secret: APP_SECRET, grant_type: 'authorization_code', js_code: 'x', ...params });
    return get(`${SESSION_PATH}?${query}`);
  }

  it('jscode2session: 40013 wrong appid, 40125 wrong secret, 40002 wrong grant type', async () => {
    const { code } = fake.mintCode();
    expect((await session({ js_code: code, appid: 'wxother' })).body).toEqual({ errcode: 40013, errmsg: 'invalid appid' });
    expect((await session({ js_code: code, secret: 'other' })).body).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
    expect((await session({ js_code: code, grant_type: 'client_credential' })).body).toEqual({
      errcode: 40002,
      errmsg: 'invalid grant_type',
    });
    // None of those spent the code.
    expect((await session({ js_code: code })).body).toMatchObject({ openid: expect.any(String), session_key: expect.any(String) });
    expect((await session({ js_code: code })).body).toEqual({ errcode: 40163, errmsg: 'code been used' });
  });

  it('stable_token: 40013 wrong appid, 40125 wrong secret, 40002 wrong grant type', async () => {
    const base = { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET };
    expect((await post(TOKEN_PATH, { ...base, appid: 'wxother' })).body).toEqual({ errcode: 40013, errmsg: 'invalid appid' });
    expect((await post(TOKEN_PATH, { ...base, secret: 'other' })).body).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
    expect((await post(TOKEN_PATH, { ...base, grant_type: 'authorization_code' })).body).toEqual({
      errcode: 40002,
      errmsg: 'invalid grant_type',
    });
    expect((await post(TOKEN_PATH, base)).body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });

  it('stable_token returns the same token with its remaining life until a refresh is forced', async () => {
    const base = { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET };
    const first = (await post(TOKEN_PATH, base)).body;
    clock.advance(600_000);
    const again = (await post(TOKEN_PATH, base)).body;
    expect(again.access_token).toBe(first.access_token);
    // 7200 s less the 600 s that passed (and the milliseconds this test took).
    expect([6599, 6600]).toContain(again.expires_in);
    const forced = (await post(TOKEN_PATH, { ...base, force_refresh: true })).body;
    expect(forced).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(forced.access_token).not.toBe(first.access_token);
  });

  it('a token issued now has its whole life left, however the clock moves while it is issued', async () => {
    await fake.close();
    let reading = clock.now().getTime();
    // every reading of the fake's clock a millisecond after the one before
    fake = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET, now: () => (reading += 1) });
    const base = { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET };
    expect((await post(TOKEN_PATH, base)).body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect((await post(TOKEN_PATH, { ...base, force_refresh: true })).body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });

  it('subscribe/send: 40001 unknown token, 42001 expired token, 40003 no openid, 40037 no template, 47003 empty value', async () => {
    const token = String(
      (await post(TOKEN_PATH, { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET })).body.access_token,
    );
    const send = (accessToken: string, body: unknown) => post(`${SEND_PATH}?access_token=${accessToken}`, body);
    const ok = { touser: OPENID, template_id: TEMPLATE, data: { thing1: { value: '已返校' } } };
    expect((await send('forged', ok)).body).toMatchObject({ errcode: 40001 });
    expect((await send(token, { ...ok, touser: '' })).body).toEqual({ errcode: 40003, errmsg: 'invalid openid' });
    expect((await send(token, { ...ok, template_id: undefined })).body).toEqual({ errcode: 40037, errmsg: 'invalid template id' });
    expect((await send(token, { ...ok, data: { thing1: { value: '' } } })).body).toEqual({
      errcode: 47003,
      errmsg: 'argument invalid! data.thing1.value invalid',
    });
    expect((await send(token, { ...ok, data: { phrase3: { value: '已经返校了' + '啊' } } })).body).toMatchObject({ errcode: 47003 });
    expect((await send(token, ok)).body).toEqual({ errcode: 0, errmsg: 'ok' });
    clock.advance(7_200_000);
    expect((await send(token, ok)).body).toEqual({ errcode: 42001, errmsg: 'access_token expired' });
  });

  it('answers 404 for an unknown API and an unknown control endpoint', async () => {
    expect(await get('/cgi-bin/nothing')).toEqual({ status: 404, body: { errcode: 404, errmsg: 'no such api' } });
    expect(await post('/__fake__/nothing', {})).toEqual({ status: 404, body: { errcode: 404, errmsg: 'no such control endpoint' } });
  });

  it('control API: mint codes, inject faults, list messages, reset', async () => {
    const minted = (await post('/__fake__/codes', { openid: OPENID })).body;
    expect(minted).toEqual({ code: expect.stringMatching(/^[0-9a-f]{32}$/), openid: OPENID });
    expect(await post('/__fake__/faults', { path: SESSION_PATH, errcode: 45011, count: 2 })).toEqual({ status: 200, body: { ok: true } });
    expect((await session({ js_code: String(minted.code) })).body).toEqual({ errcode: 45011, errmsg: 'injected fault 45011' });
    expect((await session({ js_code: String(minted.code) })).body).toEqual({ errcode: 45011, errmsg: 'injected fault 45011' });
    expect((await session({ js_code: String(minted.code) })).body).toMatchObject({ openid: OPENID });

    await clientWith().sendSubscribeMessage(message());
    expect((await get('/__fake__/messages')).body).toEqual({
      messages: [expect.objectContaining({ touser: OPENID, templateId: TEMPLATE })],
      duplicateDeliveries: 0,
    });
    expect(await post('/__fake__/reset', {})).toEqual({ status: 200, body: { ok: true } });
    expect((await get('/__fake__/messages')).body).toEqual({ messages: [], duplicateDeliveries: 0 });
  });
});
