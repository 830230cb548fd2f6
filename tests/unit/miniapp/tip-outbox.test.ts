import type { CreateTipRequest, Me, SessionResponse } from '@baoxue/shared';
import { RETRY_DELAYS_MS } from '../../../miniapp/src/services/outbox';

/**
 * The tip outbox (miniapp/src/services/tip-outbox.ts, an instance of services/outbox.ts) over a
 * scripted Taro: a tip is stored before
 * it is sent, leaves the phone only on a 2xx, keeps its idempotency key through every retry, and
 * goes by itself when the network returns, on a timer, at the next launch and after sign-in.
 */
type Answer = { statusCode: number; data: unknown };
/** `held`: the request stays in flight until the test answers it. */
type Reply = Answer | 'offline' | { held: Promise<Answer> };

const mockStorage = new Map<string, unknown>();
const mockNetworkListeners: Array<(status: { isConnected: boolean; networkType: string }) => void> = [];
const mockReplies: Reply[] = [];
const mockRequests: Array<{ url: string; method: string; data: { idempotencyKey: string; child: { name: string } } }> = [];

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    request: jest.fn((options: { url: string; method: string; data: never }) => {
      mockRequests.push({ url: options.url, method: options.method, data: options.data });
      const reply = mockReplies.shift() ?? 'offline';
      if (reply === 'offline') return Promise.reject({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' });
      if ('held' in reply) return reply.held.then((answer) => ({ ...answer, header: {}, errMsg: 'request:ok' }));
      return Promise.resolve({ ...reply, header: {}, errMsg: 'request:ok' });
    }),
    reLaunch: jest.fn(() => Promise.resolve()),
    getStorageSync: jest.fn((key: string) => (mockStorage.has(key) ? structuredClone(mockStorage.get(key)) : '')),
    setStorageSync: jest.fn((key: string, value: unknown) => void mockStorage.set(key, structuredClone(value))),
    removeStorageSync: jest.fn((key: string) => void mockStorage.delete(key)),
    onNetworkStatusChange: jest.fn((listener: (typeof mockNetworkListeners)[number]) => void mockNetworkListeners.push(listener)),
  },
}));

(globalThis as { API_BASE?: string }).API_BASE = 'https://baoxue.example.org/api';

type Outbox = (typeof import('../../../miniapp/src/services/tip-outbox'))['tipOutbox'];
type SessionModule = typeof import('../../../miniapp/src/stores/session');

/** What the tip form does on 提交: the tip's key is its idempotency key. */
const submitTip = (outbox: Outbox, userId: string, body: CreateTipRequest, draft: unknown) =>
  outbox.submit({ key: body.idempotencyKey, userId, body, draft });

const supervisor: Me = {
  id: 'supervisor-1',
  role: 'supervisor',
  displayName: '李建国',
  position: null,
  unit: null,
  privacyConsentVersion: '2026-11',
};
const session = (user: Me = supervisor): SessionResponse => ({
  token: `token-${user.id}`,
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user,
});

let keyCounter = 0;
function tip(name = '王小明'): CreateTipRequest {
  keyCounter += 1;
  return {
    idempotencyKey: `00000000-0000-4000-8000-${String(keyCounter).padStart(12, '0')}`,
    child: { name, sex: 'male', age: 12 },
    divisionCode: '411522101203',
    observation: '开学两周都没有去学校上课。',
  };
}

const created = (body: CreateTipRequest, message = '线索已提交，乡镇将尽快受理。感谢您的监督！') => ({
  statusCode: 201,
  data: {
    message,
    tip: {
      id: `tip-${body.idempotencyKey.slice(-4)}`,
      createdAt: '2026-11-23T08:00:00.000Z',
      child: { name: body.child.name, sex: 'male', age: 12, grade: null, schoolName: null, idNumberMasked: null },
      place: '光山县 十里镇 吴明村民委员会',
      locationNote: null,
      observation: body.observation,
      contact: null,
      photoUrl: null,
      alreadyFollowed: false,
      milestones: [{ kind: 'received', at: '2026-11-23T08:00:00.000Z', note: null }],
    },
  },
});
const failure = (statusCode: number, code: string, message: string, fields: Record<string, string> = {}) => ({
  statusCode,
  data: { code, message, fields },
});

/** A fresh app run over the same phone storage, as after closing and reopening the mini program. */
function launch(): { outbox: Outbox; sessions: SessionModule } {
  let modules!: { outbox: Outbox; sessions: SessionModule };
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports -- isolateModules needs require: a fresh module registry per launch */
    modules = {
      sessions: require('../../../miniapp/src/stores/session') as SessionModule,
      outbox: (require('../../../miniapp/src/services/tip-outbox') as { tipOutbox: Outbox }).tipOutbox,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  return modules;
}

const stored = () => (mockStorage.get('baoxue.tipOutbox') as Array<{ key: string; state: string }> | undefined) ?? [];
const posted = () => mockRequests.filter((request) => request.method === 'POST' && request.url.endsWith('/api/tips'));
/** Lets every pending promise chain run (the scripted requests answer at once). */
const settle = () => new Promise((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['setImmediate'] });
  mockStorage.clear();
  mockNetworkListeners.length = 0;
  mockReplies.length = 0;
  mockRequests.length = 0;
});

afterEach(() => jest.useRealTimers());

test('a tip sent with network is stored first, then leaves the outbox on the server’s 2xx', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const body = tip();
  mockReplies.push(created(body));

  const pending = submitTip(outbox, supervisor.id, body, { form: 'state' });
  // Before any answer, the tip is on the phone.
  expect(stored()).toEqual([expect.objectContaining({ key: body.idempotencyKey, state: 'waiting' })]);
  const outcome = await pending;

  expect(outcome).toMatchObject({ kind: 'sent', sent: { message: expect.stringContaining('线索已提交') } });
  expect(posted()).toHaveLength(1);
  expect(posted()[0]!.data.idempotencyKey).toBe(body.idempotencyKey);
  expect(stored()).toEqual([]);
  expect(outbox.sent(body.idempotencyKey)).toMatchObject({ tip: { child: { name: '王小明' } } });
});

test('without network the tip waits as 待发送 and goes, under the same key, when the network returns', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  outbox.start();
  await settle();
  const body = tip();

  mockReplies.push('offline');
  const outcome = await submitTip(outbox, supervisor.id, body, {});
  expect(outcome).toEqual({ kind: 'queued', reason: '网络连接失败，请检查网络后重试' });
  expect(stored()).toEqual([expect.objectContaining({ key: body.idempotencyKey, state: 'waiting', attempts: 1 })]);
  expect(outbox.queued(supervisor.id)).toHaveLength(1);

  const sent = jest.fn();
  outbox.onSent(sent);
  mockReplies.push(created(body));
  mockNetworkListeners.forEach((listener) => listener({ isConnected: true, networkType: 'wifi' }));
  await settle();

  expect(posted().map((request) => request.data.idempotencyKey)).toEqual([body.idempotencyKey, body.idempotencyKey]);
  expect(sent).toHaveBeenCalledWith(
    expect.objectContaining({ key: body.idempotencyKey }),
    expect.objectContaining({ message: expect.any(String) }),
  );
  expect(stored()).toEqual([]);
});

test('a server error or timeout queues the tip too, and a backoff timer retries it', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const body = tip();
  mockReplies.push(failure(503, 'DATABASE_UNAVAILABLE', '系统暂时无法访问数据库，请稍后再试，已提交的内容不会丢失'));

  await expect(submitTip(outbox, supervisor.id, body, {})).resolves.toMatchObject({ kind: 'queued' });
  expect(posted()).toHaveLength(1);

  // The first retry comes after RETRY_DELAYS_MS[0] and meets the network down again; the next one gets through.
  mockReplies.push('offline');
  await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0]);
  expect(posted()).toHaveLength(2);
  expect(stored()).toEqual([expect.objectContaining({ attempts: 2, error: '网络连接失败，请检查网络后重试' })]);

  mockReplies.push(created(body));
  await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[1]);
  expect(posted()).toHaveLength(3);
  expect(stored()).toEqual([]);
});

test('a refusal on submit (bad field, rate limit) is the form’s to show: thrown, and nothing stays queued', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const first = tip();
  mockReplies.push(failure(400, 'VALIDATION_FAILED', '提交的内容有误，请按提示修改', { divisionCode: '所选地区不存在，请重新选择' }));
  await expect(submitTip(outbox, supervisor.id, first, {})).rejects.toMatchObject({
    status: 400,
    fields: { divisionCode: '所选地区不存在，请重新选择' },
  });
  expect(stored()).toEqual([]);

  mockReplies.push(failure(429, 'TIP_DAILY_LIMIT', '每位监督员每天最多提交20条线索，请明天再提交'));
  await expect(submitTip(outbox, supervisor.id, tip(), {})).rejects.toMatchObject({ status: 429, code: 'TIP_DAILY_LIMIT' });
  expect(stored()).toEqual([]);
});

test('tips left by an earlier run go at the next launch, the owner’s only, oldest first', async () => {
  const before = launch();
  before.sessions.startSession(session());
  const older = tip('王小明');
  const newer = tip('赵小军');
  mockReplies.push('offline', 'offline');
  await submitTip(before.outbox, supervisor.id, older, { step: 1 });
  await submitTip(before.outbox, supervisor.id, newer, { step: 2 });
  // Someone else's tip on the same phone waits for them.
  const other = tip('钱小兰');
  mockStorage.set('baoxue.tipOutbox', [
    ...stored(),
    { ...stored()[0], key: other.idempotencyKey, userId: 'supervisor-2', body: other, state: 'waiting' },
  ]);
  jest.clearAllTimers();
  mockRequests.length = 0;

  const after = launch();
  expect(after.outbox.store.get()).toHaveLength(3);
  mockReplies.push(created(older), created(newer));
  after.outbox.start();
  await settle();

  expect(posted().map((request) => request.data.child.name)).toEqual(['王小明', '赵小军']);
  expect(stored()).toEqual([expect.objectContaining({ key: other.idempotencyKey, userId: 'supervisor-2' })]);
});

test('in the background a refused tip is kept as 未能提交 with the server’s reasons, and the next one still goes', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const refused = tip('王小明');
  const fine = tip('赵小军');
  mockReplies.push('offline', 'offline');
  await submitTip(outbox, supervisor.id, refused, { draft: 'kept' });
  await submitTip(outbox, supervisor.id, fine, {});
  jest.clearAllTimers();

  mockReplies.push(failure(400, 'VALIDATION_FAILED', '提交的内容有误，请按提示修改', { photoId: '照片不存在或已被使用，请重新上传' }));
  mockReplies.push(created(fine));
  await outbox.flush();

  expect(stored()).toEqual([
    expect.objectContaining({
      key: refused.idempotencyKey,
      state: 'rejected',
      error: '提交的内容有误，请按提示修改',
      fields: { photoId: '照片不存在或已被使用，请重新上传' },
      draft: { draft: 'kept' },
    }),
  ]);
  // A refused tip is not sent again by itself.
  mockRequests.length = 0;
  await outbox.flush();
  expect(posted()).toHaveLength(0);
});

test('in the background a rate limit or an ended session only means later', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const body = tip();
  mockReplies.push('offline');
  await submitTip(outbox, supervisor.id, body, {});
  jest.clearAllTimers();

  mockReplies.push(failure(429, 'TIP_DAILY_LIMIT', '每位监督员每天最多提交20条线索，请明天再提交'));
  await outbox.flush();
  expect(stored()).toEqual([expect.objectContaining({ state: 'waiting', error: '每位监督员每天最多提交20条线索，请明天再提交' })]);

  mockReplies.push(failure(401, 'SESSION_EXPIRED', '登录已失效，请重新登录'));
  await outbox.flush();
  expect(stored()).toEqual([expect.objectContaining({ state: 'waiting' })]);
  // A background send never takes the person to the sign-in page.
  const taro = jest.requireMock<{ default: { reLaunch: jest.Mock } }>('@tarojs/taro').default;
  expect(taro.reLaunch).not.toHaveBeenCalled();
});

test('signing in sends what waits for that person', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const body = tip();
  mockReplies.push('offline');
  await submitTip(outbox, supervisor.id, body, {});
  jest.clearAllTimers();
  sessions.clearSession();
  outbox.start();
  await settle();
  mockRequests.length = 0;

  mockReplies.push(created(body));
  sessions.startSession(session());
  await settle();
  expect(posted()).toHaveLength(1);
  expect(stored()).toEqual([]);
});

test('one flush at a time: a tip is never sent twice at once', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const body = tip();
  mockReplies.push('offline');
  await submitTip(outbox, supervisor.id, body, {});
  jest.clearAllTimers();
  mockRequests.length = 0;

  mockReplies.push(created(body));
  await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
  expect(posted()).toHaveLength(1);
});

test('a tip submitted while a waiting one is being sent goes after it, never at the same time', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const older = tip('王小明');
  mockReplies.push('offline');
  await submitTip(outbox, supervisor.id, older, {});
  jest.clearAllTimers();
  mockRequests.length = 0;

  let answerOlder!: (answer: Answer) => void;
  mockReplies.push({ held: new Promise<Answer>((resolve) => (answerOlder = resolve)) });
  const flushing = outbox.flush();
  await settle();
  const newer = tip('赵小军');
  const submitting = submitTip(outbox, supervisor.id, newer, {});
  await settle();
  // Stored at once, sent only once the older attempt is over.
  expect(stored().map((item) => item.key)).toEqual([older.idempotencyKey, newer.idempotencyKey]);
  expect(posted()).toHaveLength(1);

  mockReplies.push(created(newer));
  answerOlder(created(older));
  await flushing;
  await expect(submitting).resolves.toMatchObject({ kind: 'sent', sent: { tip: { child: { name: '赵小军' } } } });
  expect(posted().map((request) => request.data.child.name)).toEqual(['王小明', '赵小军']);
  expect(stored()).toEqual([]);
});

test('submitting again a tip the outbox is already sending does not send it twice', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const body = tip();
  mockReplies.push('offline');
  await submitTip(outbox, supervisor.id, body, {});
  jest.clearAllTimers();
  mockRequests.length = 0;

  let answer!: (answer: Answer) => void;
  mockReplies.push({ held: new Promise<Answer>((resolve) => (answer = resolve)) });
  const flushing = outbox.flush();
  await settle();
  const again = submitTip(outbox, supervisor.id, body, { tapped: 'again' });
  answer(created(body));
  await flushing;

  await expect(again).resolves.toMatchObject({ kind: 'sent', sent: { tip: { child: { name: '王小明' } } } });
  expect(posted()).toHaveLength(1);
  expect(stored()).toEqual([]);
});
