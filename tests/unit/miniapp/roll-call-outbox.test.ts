import type { Me, RollCallRequest, SessionResponse } from '@baoxue/shared';
import { RETRY_DELAYS_MS } from '../../../miniapp/src/services/outbox';

/**
 * The roll-call outbox (miniapp/src/services/roll-call-outbox.ts, an instance of services/outbox.ts,
 * filled by packages/school/roll-call-queue.ts) over a scripted Taro: a roll call
 * is stored before it is sent, leaves the phone only on a 2xx, keeps its clientKey through every
 * retry, goes by itself when the network returns, on a timer and at the next launch; a newer
 * submission of the same class and day replaces a waiting one and never overtakes an older attempt.
 */
type Answer = { statusCode: number; data: unknown };
/** `held`: the request stays in flight until the test answers it. */
type Reply = Answer | 'offline' | { held: Promise<Answer> };

const mockStorage = new Map<string, unknown>();
const mockNetworkListeners: Array<(status: { isConnected: boolean; networkType: string }) => void> = [];
const mockReplies: Reply[] = [];
const mockRequests: Array<{ url: string; method: string; data: RollCallRequest }> = [];

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

type Outbox = typeof import('../../../miniapp/src/services/roll-call-outbox') &
  typeof import('../../../miniapp/src/packages/school/roll-call-queue');
type SessionModule = typeof import('../../../miniapp/src/stores/session');

const teacher: Me = {
  id: 'teacher-1',
  role: 'official',
  displayName: '赵敏',
  position: 'school_staff',
  unit: null,
  privacyConsentVersion: '2026-11',
};
const session = (user: Me = teacher): SessionResponse => ({
  token: `token-${user.id}`,
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user,
});

const CHILD_A = '0000000000000000000000000a';
const CHILD_B = '0000000000000000000000000b';
function rollCall(day = '2026-11-23', marks: RollCallRequest['marks'] = [{ childId: CHILD_A, reason: 'unexcused' }]) {
  return { grade: 7, className: '2班', day, marks };
}

const taken = (body: RollCallRequest) => ({
  statusCode: 201,
  data: {
    rollCall: {
      id: `rc-${body.clientKey.slice(-4)}`,
      grade: body.grade,
      className: body.className,
      day: body.day,
      pupils: 50,
      absent: body.marks.length,
      late: 0,
      takenAt: '2026-11-23T00:10:00.000Z',
      takenByName: '赵敏',
      updatedAt: '2026-11-23T00:10:00.000Z',
    },
    newAlerts: 0,
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
      outbox: {
        ...(require('../../../miniapp/src/services/roll-call-outbox') as object),
        ...(require('../../../miniapp/src/packages/school/roll-call-queue') as object),
      } as Outbox,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  return modules;
}

const stored = () =>
  (mockStorage.get('baoxue.rollCallOutbox') as Array<{ key: string; state: string; attempts: number }> | undefined) ?? [];
const posted = () => mockRequests.filter((request) => request.method === 'POST' && request.url.endsWith('/api/roll-calls'));
/** Lets every pending promise chain run (the scripted requests answer at once). */
const settle = () => new Promise((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['setImmediate'] });
  mockStorage.clear();
  mockNetworkListeners.length = 0;
  mockReplies.length = 0;
  mockRequests.length = 0;
});

afterEach(() => jest.useRealTimers());

test('a roll call sent with network is stored first under a fresh clientKey, then leaves the phone on the 2xx', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  const pending = outbox.submitRollCall(teacher.id, '初一2班', rollCall());
  // Before any answer, the roll call is on the phone.
  expect(stored()).toEqual([expect.objectContaining({ state: 'waiting', attempts: 0 })]);
  const key = stored()[0]!.key;
  expect(key).toMatch(UUID);
  mockReplies.push(taken({ ...rollCall(), clientKey: key }));
  const outcome = await pending;

  expect(outcome).toMatchObject({ kind: 'sent', sent: { rollCall: { day: '2026-11-23', absent: 1 } } });
  expect(posted()).toHaveLength(1);
  expect(posted()[0]!.data).toEqual({ ...rollCall(), clientKey: key });
  expect(stored()).toEqual([]);
});

test('without network it waits on the phone and goes under the same clientKey when the network returns', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  outbox.rollCallOutbox.start();
  await settle();

  mockReplies.push('offline');
  const outcome = await outbox.submitRollCall(teacher.id, '初一2班', rollCall());
  expect(outcome).toEqual({ kind: 'queued', reason: '网络连接失败，请检查网络后重试' });
  expect(stored()).toEqual([expect.objectContaining({ state: 'waiting', attempts: 1 })]);
  expect(outbox.queuedRollCall(teacher.id, { grade: 7, className: '2班', day: '2026-11-23' })).not.toBeNull();
  const key = stored()[0]!.key;

  const sent = jest.fn();
  outbox.rollCallOutbox.onSent(sent);
  mockReplies.push(taken({ ...rollCall(), clientKey: key }));
  mockNetworkListeners.forEach((listener) => listener({ isConnected: true, networkType: 'wifi' }));
  await settle();

  expect(posted().map((request) => request.data.clientKey)).toEqual([key, key]);
  expect(sent).toHaveBeenCalledWith(expect.objectContaining({ key }), expect.objectContaining({ newAlerts: 0 }));
  expect(stored()).toEqual([]);
});

test('a server error queues it too, and the backoff timer retries it with the same key', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  mockReplies.push(failure(503, 'DATABASE_UNAVAILABLE', '系统暂时无法访问数据库，请稍后再试'));
  await expect(outbox.submitRollCall(teacher.id, '初一2班', rollCall())).resolves.toMatchObject({ kind: 'queued' });
  const key = stored()[0]!.key;

  mockReplies.push('offline');
  await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0]);
  expect(posted()).toHaveLength(2);
  expect(stored()).toEqual([expect.objectContaining({ attempts: 2 })]);

  mockReplies.push(taken({ ...rollCall(), clientKey: key }));
  await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[1]);
  expect(posted().map((request) => request.data.clientKey)).toEqual([key, key, key]);
  expect(stored()).toEqual([]);
});

test('a refusal on submit is the page’s to show: thrown with its fields, nothing stays queued', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  mockReplies.push(failure(400, 'VALIDATION_FAILED', '提交的内容有误', { 'marks.0.childId': '该学生不在本班' }));
  await expect(outbox.submitRollCall(teacher.id, '初一2班', rollCall())).rejects.toMatchObject({
    status: 400,
    fields: { 'marks.0.childId': '该学生不在本班' },
  });
  expect(stored()).toEqual([]);
});

test('the same marks again keep the waiting key; changed marks replace the waiting submission with a new key', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  mockReplies.push('offline');
  await outbox.submitRollCall(teacher.id, '初一2班', rollCall());
  const first = stored()[0]!.key;

  mockReplies.push('offline');
  await outbox.submitRollCall(teacher.id, '初一2班', rollCall());
  expect(stored().map((item) => item.key)).toEqual([first]);

  mockReplies.push('offline');
  const changed = rollCall('2026-11-23', [
    { childId: CHILD_A, reason: 'sick' },
    { childId: CHILD_B, reason: 'unexcused' },
  ]);
  await outbox.submitRollCall(teacher.id, '初一2班', changed);
  expect(stored()).toHaveLength(1);
  const second = stored()[0]!.key;
  expect(second).not.toBe(first);
  expect(posted().map((request) => request.data.clientKey)).toEqual([first, first, second]);
  expect(posted().at(-1)!.data.marks).toEqual(changed.marks);
});

test('roll calls left by an earlier run go at the next launch, the owner’s only, oldest first; a refused one stays for correction', async () => {
  const before = launch();
  before.sessions.startSession(session());
  mockReplies.push('offline', 'offline');
  await before.outbox.submitRollCall(teacher.id, '初一2班', rollCall('2026-11-20'));
  await before.outbox.submitRollCall(teacher.id, '初一2班', rollCall('2026-11-23'));
  const [older, newer] = stored().map((item) => item.key);
  expect(stored()).toHaveLength(2);

  // The app is closed and opened again; the first is refused (closed meanwhile), the second accepted.
  mockRequests.length = 0;
  const after = launch();
  after.sessions.startSession(session());
  mockReplies.push(failure(409, 'ROLL_CALL_CLOSED', '点名只能在当天修改'), taken({ ...rollCall('2026-11-23'), clientKey: newer! }));
  after.outbox.rollCallOutbox.start();
  await settle();
  await settle();

  expect(posted().map((request) => request.data.clientKey)).toEqual([older, newer]);
  expect(stored()).toEqual([expect.objectContaining({ key: older, state: 'rejected', attempts: 2 })]);
  expect(after.outbox.rollCallOutbox.queued(teacher.id)[0]).toMatchObject({ error: '点名只能在当天修改' });
  expect(after.outbox.rollCallOutbox.queued('someone-else')).toEqual([]);

  after.outbox.rollCallOutbox.remove(older!);
  expect(stored()).toEqual([]);
});

test('a newer submission made while an older attempt is in flight is sent after it, never before', async () => {
  const { outbox, sessions } = launch();
  sessions.startSession(session());
  let answerFirst!: (answer: Answer) => void;
  mockReplies.push({ held: new Promise<Answer>((resolve) => (answerFirst = resolve)) });

  const first = outbox.submitRollCall(teacher.id, '初一2班', rollCall());
  await settle();
  const second = outbox.submitRollCall(teacher.id, '初一2班', rollCall('2026-11-23', [{ childId: CHILD_B, reason: 'late' }]));
  await settle();
  expect(posted()).toHaveLength(1);

  // The newer submission replaced the older on the phone; the older is still in flight.
  const older = posted()[0]!.data.clientKey;
  const newer = stored()[0]!.key;
  expect(stored()).toHaveLength(1);
  expect(newer).not.toBe(older);
  mockReplies.push(taken({ ...rollCall(), clientKey: newer }));
  answerFirst(taken({ ...rollCall(), clientKey: older }));
  await first;
  await expect(second).resolves.toMatchObject({ kind: 'sent' });
  expect(posted()).toHaveLength(2);
  expect(posted()[1]!.data.marks).toEqual([{ childId: CHILD_B, reason: 'late' }]);
  expect(stored()).toEqual([]);
});
