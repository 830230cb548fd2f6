import type { Me, SessionResponse } from '@baoxue/shared';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Session } from '../../server/src/modules/auth/session.entity';
import { User } from '../../server/src/modules/accounts/user.entity';
import { api, expectError, signInAs, signInWithWechat } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';

describe('sign-in and sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_RATE_PER_MINUTE: '1000' } });
  });
  afterAll(async () => server?.close());

  it('signs a new WeChat user in as a parent and recognises them next time', async () => {
    const first = await signInWithWechat(server, 'o_parent_new_1');
    expect(first.session.user).toMatchObject({ role: 'parent', displayName: '微信用户', unit: null, position: null });
    const me = await first.client.get<Me>('/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(first.session.user.id);

    const second = await signInWithWechat(server, 'o_parent_new_1');
    expect(second.session.user.id).toBe(first.session.user.id);
    expect(second.session.token).not.toBe(first.session.token);
    expect(await server.dataSource.manager.countBy(User, { openid: 'o_parent_new_1' })).toBe(1);
  });

  it('keeps WeChat’s session_key on the server', async () => {
    const { session } = await signInWithWechat(server, 'o_session_key');
    const stored = await server.dataSource.manager.findOneByOrFail(Session, { userId: session.user.id });
    expect(stored.wechatSessionKey).toMatch(/\S{16,}/);
    expect(JSON.stringify(session)).not.toContain(stored.wechatSessionKey!);
    // only a hash of the token is stored
    expect(stored.tokenHash).not.toBe(session.token);
    expect(await server.dataSource.manager.countBy(Session, { tokenHash: session.token })).toBe(0);
  });

  it('refuses invalid and reused codes, and explains WeChat’s own failures', async () => {
    expectError(await api(server).post('/auth/wechat-login', { code: 'never-issued' }), 401, 'WECHAT_CODE_INVALID');
    const { code } = server.fakeWechat.mintCode('o_reuse');
    expect((await api(server).post('/auth/wechat-login', { code })).status).toBe(200);
    expectError(await api(server).post('/auth/wechat-login', { code }), 401, 'WECHAT_CODE_INVALID');

    server.fakeWechat.injectFault({ path: '/sns/jscode2session', errcode: 45011 });
    expectError(await api(server).post('/auth/wechat-login', { code: server.fakeWechat.mintCode().code }), 429, 'RATE_LIMITED');
    server.fakeWechat.injectFault({ path: '/sns/jscode2session', errcode: -1 });
    expectError(await api(server).post('/auth/wechat-login', { code: server.fakeWechat.mintCode().code }), 503, 'WECHAT_UNAVAILABLE');
  });

  it('names the missing field when the code is absent', async () => {
    const body = expectError(await api(server).post('/auth/wechat-login', {}), 400, 'VALIDATION_FAILED');
    expect(body.fields).toEqual({ code: '缺少微信登录凭证' });
  });

  it('ends a session on sign-out', async () => {
    const { client } = await signInWithWechat(server, 'o_logout');
    expect((await client.post('/auth/logout')).status).toBe(200);
    expectError(await client.get('/me'), 401, 'SESSION_EXPIRED');
  });

  it('expires sessions after their lifetime', async () => {
    const { client } = await signInWithWechat(server, 'o_expiry');
    server.clock.advance(7 * 24 * 3_600_000 - 60_000);
    try {
      expect((await client.get('/me')).status).toBe(200);
      server.clock.advance(120_000);
      expectError(await client.get('/me'), 401, 'SESSION_EXPIRED');
    } finally {
      server.clock.advance(-(7 * 24 * 3_600_000 + 60_000));
    }
  });

  it('signs a disabled account out everywhere and keeps it out', async () => {
    const admin = await signInAs(server, 'county-admin');
    const staff = await signInAs(server, 'school-staff');
    const staffMe = await staff.get<Me>('/me');
    expect((await admin.patch(`/accounts/${staffMe.body.id}`, { disabled: true })).status).toBe(200);
    expectError(await staff.get('/me'), 401, 'SESSION_EXPIRED');
    expectError(await api(server).post('/auth/dev-login', { account: 'school-staff' }), 403, 'ACCOUNT_DISABLED');
    expect((await admin.patch(`/accounts/${staffMe.body.id}`, { disabled: false })).status).toBe(200);
    expect((await api(server).post('/auth/dev-login', { account: 'school-staff' })).status).toBe(200);
  });

  it('lists the demo accounts, one per role, and signs each in', async () => {
    const options = await api(server).get<{ devLogin: boolean; demoAccounts: Array<{ account: string; role: string }> }>('/auth/options');
    expect(options.body.devLogin).toBe(true);
    expect(new Set(options.body.demoAccounts.map((a) => a.role))).toEqual(new Set(['parent', 'supervisor', 'official', 'county_admin']));
    for (const { account, role } of options.body.demoAccounts) {
      const session = await api(server).post<SessionResponse>('/auth/dev-login', { account });
      expect({ account, status: session.status, role: session.body.user.role }).toEqual({ account, status: 200, role });
    }
    expectError(await api(server).post('/auth/dev-login', { account: 'nobody' }), 404, 'NOT_FOUND');
  });

  it('signs the same person in on a computer with a one-time code from the mini program', async () => {
    const { client, session } = await signInWithWechat(server, 'o_desktop');
    const issued = await client.post<{ code: string; expiresAt: string }>('/auth/desktop-codes');
    expect(issued.body.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    const typed = `${issued.body.code.slice(0, 4).toLowerCase()} ${issued.body.code.slice(4)}`;
    const desktop = await api(server).post<SessionResponse>('/auth/desktop-login', { code: typed });
    expect(desktop.status).toBe(200);
    expect(desktop.body.user.id).toBe(session.user.id);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'auth.desktop-login', targetId: session.user.id })).toBe(1);
    // once only
    const again = expectError(await api(server).post('/auth/desktop-login', { code: issued.body.code }), 400, 'VALIDATION_FAILED');
    expect(again.fields).toEqual({ code: '登录码无效或已过期' });
    // and only for five minutes
    const late = await client.post<{ code: string }>('/auth/desktop-codes');
    server.clock.advance(5 * 60_000 + 1000);
    try {
      expectError(await api(server).post('/auth/desktop-login', { code: late.body.code }), 400, 'VALIDATION_FAILED');
    } finally {
      server.clock.advance(-(5 * 60_000 + 1000));
    }
  });

  it('records privacy consent with an audit entry, and profile changes', async () => {
    const { client, session } = await signInWithWechat(server, 'o_privacy');
    const consent = await client.post<Me>('/me/privacy-consent', { version: '2026-11' });
    expect(consent.body.privacyConsentVersion).toBe('2026-11');
    const entry = await server.dataSource.manager.findOneByOrFail(AuditEntry, { action: 'privacy.consent', actorId: session.user.id });
    expect(entry.details).toEqual({ version: '2026-11' });

    expect((await client.patch<Me>('/me', { displayName: ' 王 小 明 ' })).body.displayName).toBe('王 小 明');
    const invalid = expectError(await client.patch('/me', { displayName: '王' }), 400, 'VALIDATION_FAILED');
    expect(invalid.fields).toEqual({ displayName: '姓名至少2个字' });
  });
});

describe('sign-in rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false, env: { LOGIN_RATE_PER_MINUTE: '3' } });
  });
  afterAll(async () => server?.close());

  it('refuses the attempt over the limit with Retry-After, then allows again a minute later', async () => {
    for (let i = 0; i < 3; i++)
      expect((await api(server).post('/auth/wechat-login', { code: server.fakeWechat.mintCode().code })).status).toBe(200);
    const refused = await api(server).post('/auth/wechat-login', { code: server.fakeWechat.mintCode().code });
    expectError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    server.clock.advance(61_000);
    expect((await api(server).post('/auth/wechat-login', { code: server.fakeWechat.mintCode().code })).status).toBe(200);
  });
});

describe('production mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ mode: 'production' });
  });
  afterAll(async () => server?.close());

  it('offers no demo sign-in and has no such route', async () => {
    const options = await api(server).get<{ devLogin: boolean; demoAccounts: unknown[] }>('/auth/options');
    expect(options.body).toMatchObject({ devLogin: false, demoAccounts: [] });
    expectError(await api(server).post('/auth/dev-login', { account: 'county-admin' }), 404, 'ROUTE_NOT_FOUND');
  });

  it('signs in through the configured WeChat API', async () => {
    const { session } = await signInWithWechat(server, 'o_production_user');
    expect(session.user.role).toBe('parent');
  });
});
