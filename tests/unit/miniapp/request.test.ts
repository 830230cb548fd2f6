import type { SessionResponse } from '@baoxue/shared';

/**
 * The mini program's one request wrapper, over a scripted Taro.request: base URL and token,
 * the server's error shape, retries, and what a 401 does to the session.
 */
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    request: jest.fn(),
    reLaunch: jest.fn(() => Promise.resolve()),
    getStorageSync: jest.fn(() => ''),
    setStorageSync: jest.fn(),
    removeStorageSync: jest.fn(),
  },
}));

import { ApiError, call, messageOf } from '../../../miniapp/src/services/request';
import { clearSession, sessionStore, startSession } from '../../../miniapp/src/stores/session';

const taro = jest.requireMock<{ default: Record<string, jest.Mock> }>('@tarojs/taro').default;
// Defined at build time by the Taro config.
(globalThis as { API_BASE?: string }).API_BASE = 'https://baoxue.example.org/api';

const session: SessionResponse = {
  token: 'token-1',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  user: { id: 'u1', role: 'parent', displayName: '张秀英', position: null, unit: null, privacyConsentVersion: '2024-09' },
};

const reply = (statusCode: number, data: unknown) => Promise.resolve({ statusCode, data, header: {}, errMsg: 'request:ok' });
const networkDown = () => Promise.reject({ errMsg: 'request:fail timeout' });

beforeEach(() => {
  jest.useFakeTimers();
  jest.clearAllMocks();
  taro.request!.mockReset();
  clearSession();
});

afterEach(() => jest.useRealTimers());

/** Runs a call while letting its backoff timers fire. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  const result = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.runAllTimersAsync();
  const outcome = await result;
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

test('a call goes to the route under the build’s API base, with the token and a clean query', async () => {
  startSession(session);
  taro.request.mockReturnValueOnce(reply(200, { items: [], nextCursor: null }));
  await settle(call('schoolsList', { query: { q: '十里 镇', stage: undefined, limit: 20 } }));
  expect(taro.request).toHaveBeenCalledWith(
    expect.objectContaining({
      url: 'https://baoxue.example.org/api/schools?q=%E5%8D%81%E9%87%8C%20%E9%95%87&limit=20',
      method: 'GET',
      header: expect.objectContaining({ Authorization: 'Bearer token-1' }),
    }),
  );
});

test('path parameters are filled in and a body is sent as JSON', async () => {
  taro.request.mockReturnValueOnce(reply(200, { id: 'a1' }));
  await settle(call('accountsUpdate', { params: { id: 'a1' }, body: { disabled: true } }));
  expect(taro.request).toHaveBeenCalledWith(
    expect.objectContaining({
      url: 'https://baoxue.example.org/api/accounts/a1',
      method: 'PATCH',
      data: { disabled: true },
      header: expect.objectContaining({ 'Content-Type': 'application/json' }),
    }),
  );
});

test('the server’s error shape becomes an ApiError with its Chinese message and fields', async () => {
  taro.request.mockReturnValueOnce(
    reply(400, { code: 'VALIDATION_FAILED', message: '提交的内容有误，请按提示修改', fields: { displayName: '姓名至少2个字' } }),
  );
  const error = await settle(call('meUpdateProfile', { body: { displayName: '张' } })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: { displayName: '姓名至少2个字' } });
  expect(messageOf(error)).toBe('提交的内容有误，请按提示修改');
});

test('a read that meets 503 or a dropped connection is retried, then succeeds', async () => {
  taro.request
    .mockReturnValueOnce(reply(503, 'busy'))
    .mockReturnValueOnce(networkDown())
    .mockReturnValueOnce(reply(200, { items: [] }));
  await expect(settle(call('divisionsServed'))).resolves.toEqual({ items: [] });
  expect(taro.request).toHaveBeenCalledTimes(3);
});

test('a read that keeps failing gives up with a Chinese network message', async () => {
  taro.request.mockImplementation(networkDown);
  const error = await settle(call('divisionsServed')).catch((e: unknown) => e);
  expect(taro.request).toHaveBeenCalledTimes(3);
  expect(error).toMatchObject({ code: 'NETWORK_ERROR', message: '网络较慢，请求超时，请稍后重试' });
});

test('a write is never repeated behind the person’s back', async () => {
  taro.request.mockReturnValueOnce(
    reply(503, { code: 'DATABASE_UNAVAILABLE', message: '系统暂时无法访问数据库，请稍后再试，已提交的内容不会丢失', fields: {} }),
  );
  const error = await settle(call('invitationsRedeem', { body: { code: 'ABC', displayName: '张秀英' } })).catch((e: unknown) => e);
  expect(taro.request).toHaveBeenCalledTimes(1);
  expect(error).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
});

test('a non-JSON failure still reads as Chinese', async () => {
  taro.request.mockImplementation(() => reply(502, '<html>Bad Gateway</html>'));
  const error = await settle(call('me')).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 502, code: 'BAD_RESPONSE', message: '服务器暂时无法处理请求（502），请稍后再试' });
});

test('a 401 on a signed-in call ends the session and goes to sign-in', async () => {
  startSession(session);
  taro.request.mockReturnValueOnce(reply(401, { code: 'SESSION_EXPIRED', message: '登录已失效，请重新登录', fields: {} }));
  const error = await settle(call('me')).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 401, code: 'SESSION_EXPIRED' });
  expect(sessionStore.get().token).toBeNull();
  expect(taro.removeStorageSync).toHaveBeenCalledWith('baoxue.session');
  expect(taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
});

test('a 401 without a session (a wrong sign-in code) is only an error', async () => {
  taro.request.mockReturnValueOnce(
    reply(401, { code: 'WECHAT_CODE_INVALID', message: '微信登录凭证无效或已过期，请重新登录', fields: {} }),
  );
  await expect(settle(call('authWechatLogin', { body: { code: 'x' } }))).rejects.toMatchObject({ code: 'WECHAT_CODE_INVALID' });
  expect(taro.reLaunch).not.toHaveBeenCalled();
});

test('the entry page can handle a 401 itself', async () => {
  startSession(session);
  taro.request.mockReturnValueOnce(reply(401, { code: 'SESSION_EXPIRED', message: '登录已失效，请重新登录', fields: {} }));
  await expect(settle(call('me', {}, { redirectOnUnauthorized: false }))).rejects.toMatchObject({ status: 401 });
  expect(sessionStore.get().token).toBeNull();
  expect(taro.reLaunch).not.toHaveBeenCalled();
});
