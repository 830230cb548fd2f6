import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chinaDay,
  ERRORS,
  idNumberCheckCharacter,
  type CaseListItem,
  type DivisionView,
  type ImportView,
  type SessionResponse,
} from '@baoxue/shared';
import { createConnection, type Connection } from 'mysql2/promise';
import { BACKENDS, LocalCluster, type HaproxyServer } from '../../deploy/cluster/cluster';
import { newId } from '../../server/src/common/ids';
import { startFakeWechat, type FakeWechatServer } from '../../server/src/modules/wechat/fake-wechat.server';
import { insertSupervisor } from '../support/mysql';
import { csv, ROSTER_HEADER } from '../support/registry';
import { imageForm, photoWithGps, tipBody } from '../support/tips';

/**
 * Issue 17 item 7: two instances behind HAProxy on a real three-node Galera cluster, under a bounded
 * load of supervisors' tips, evidence photos and an official accepting cases, through five faults in
 * order: the writing Galera node killed (and rejoined), instance 1 killed with requests in flight (tips
 * held waiting on a row lock the test holds, so some surely are) and restarted, instance 2 killed in the
 * middle of a registry import (which the other instance takes over), a village renamed through one
 * instance and read through the other, and a rate limit counted across both.
 * Afterwards the database and the fake WeChat are checked: no acknowledged tip lost or stored twice, no
 * 5xx but 503, every outbox message delivered once, every job settled once. The figures are printed
 * and written to tests/cluster/.last-figures.json for the README.
 * Needs root, mariadbd with galera-4, rsync, haproxy, Redis and the compiled server
 * (`npx tsc -b shared server && npx jest tests/cluster/failover.test.ts --selectProjects cluster`).
 * BX_FAILOVER_LOGS=<dir> keeps the cluster's logs and every answer with its time (replies.json) there.
 */

const stateDir = join(tmpdir(), `bx-failover-${process.pid}-${Date.now()}`);
const FIGURES_FILE = join(__dirname, '.last-figures.json');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const WECHAT = { appId: 'wxfailoverdrill0001', appSecret: 'failover-drill-secret' };
const COUNTY = '411522000000';
const SHILI = '411522101000';
/** 吴明村民委员会, 十里镇: renamed in the fourth fault. */
const VILLAGE = '411522101203';
const SCHOOL = '光山县十里镇中心小学';
const TIP_CLIENTS = 4;
/** Tips held in flight (waiting on a row lock) in both instances while instance 1 is killed. */
const HELD_TIPS = 8;
/** Pupils of the roster imported while its instance is killed: enough to take several seconds. */
const IMPORT_PUPILS = 10_000;
/** One try of a request; a stalled one counts as a network error and is tried again. */
const REQUEST_TIMEOUT_MS = 15_000;
/** How long a client keeps trying one tip (same idempotency key) before it counts it as not acknowledged. */
const TIP_PATIENCE_MS = 45_000;
const LOAD_KINDS = new Set(['tip', 'upload', 'cases', 'accept']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it gives a value, at most `ms`; the error names what did not happen. */
async function until<T>(what: string, ms: number, check: () => Promise<T | null | undefined | false>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(everyMs);
  }
}

interface Reply {
  status: number;
  body: unknown;
  /** When the request was sent, and when its answer (or the failure) came. */
  sentAt: number;
  at: number;
}

/** Every answer the test got (status 0: no answer), in order: the figures and the stalls come from here. */
const replies: Array<{ at: number; sentAt: number; status: number; what: string; code: string | null }> = [];
/** When each fault began and ended (kept with the answers for BX_FAILOVER_LOGS). */
const marks: Record<string, number> = {};
const mark = (name: string, at = Date.now()) => (marks[name] = at);

async function request(method: string, url: string, token: string | null, what: string, body?: object | FormData): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const sentAt = Date.now();
  try {
    const response = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (HAProxy's own pages): kept as text, and counted
    }
    const code = parsed && typeof parsed === 'object' && 'code' in parsed ? String((parsed as { code: unknown }).code) : null;
    const reply = { status: response.status, body: parsed, sentAt, at: Date.now() };
    replies.push({ at: reply.at, sentAt, status: reply.status, what, code });
    return reply;
  } catch {
    const at = Date.now();
    replies.push({ at, sentAt, status: 0, what, code: null });
    return { status: 0, body: null, sentAt, at };
  }
}

const ok = (status: number) => status >= 200 && status < 300;
/** The API's error code of an answer, if it has one. */
const codeOf = (reply: Reply) => (reply.body as { code?: string } | null)?.code ?? null;
/** Worth trying again with the same request: no answer, the service unavailable, or a write conflict to retry. */
const retryable = (reply: Reply) =>
  reply.status === 0 || reply.status >= 500 || (reply.status === 409 && codeOf(reply) === 'WRITE_CONFLICT');

/** The longest time without a successful load response, among gaps that end after `from` and start before `to`. */
function longestStall(from: number, to: number): number {
  const successes = replies.filter((r) => LOAD_KINDS.has(r.what) && ok(r.status)).map((r) => r.at);
  successes.sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < successes.length; i++) {
    if (successes[i]! >= from && successes[i - 1]! <= to) longest = Math.max(longest, successes[i]! - successes[i - 1]!);
  }
  return longest;
}

const repliesBetween = (from: number, to: number, status: number) =>
  replies.filter((r) => r.at >= from && r.at <= to && r.status === status).length;

/** A roster of `count` pupils of 吴明村 with ID numbers of their own, and their 学籍号. */
function roster(count: number): { file: Buffer; studentNumbers: string[] } {
  const surnames = '王李张刘陈杨赵黄周吴';
  const given = '明华强伟芳敏静丽军磊洋勇艳杰娟涛超霞平刚';
  const rows = Array.from({ length: count }, (_, i) => {
    // 400 pupils per birth day, so that ID numbers never repeat (and names not within a day)
    const day = new Date(Date.UTC(2014, 8, 1) + Math.floor(i / 400) * 86_400_000);
    const first17 = `411522${day.toISOString().slice(0, 10).replace(/-/g, '')}${String((i % 400) * 2 + 1).padStart(3, '0')}`;
    const idNumber = first17 + idNumberCheckCharacter(first17);
    const name = `${surnames[i % 10]}${given[Math.floor(i / 10) % 20]}${given[Math.floor(i / 200) % 20]}`;
    return [`G${idNumber}`, name, '男', idNumber, SCHOOL, '4', '2班', '否', VILLAGE, '', '', ''];
  });
  return { file: csv(ROSTER_HEADER, rows), studentNumbers: rows.map((r) => r[0]!) };
}

/**
 * A tip sent on a connection of its own. Being the first request of its connection, it is answered by
 * HAProxy if its instance dies while it waits (a later request of a kept-alive connection is closed
 * without an answer, for the client to retry).
 */
function tipOnOwnConnection(token: string, body: object): Promise<Reply> {
  const payload = Buffer.from(JSON.stringify(body));
  const url = new URL(`${cluster.frontUrl}/api/tips`);
  const sentAt = Date.now();
  return new Promise<Reply>((resolve) => {
    const settle = (status: number, parsed: unknown) => {
      const code = parsed && typeof parsed === 'object' && 'code' in parsed ? String((parsed as { code: unknown }).code) : null;
      const at = Date.now();
      replies.push({ at, sentAt, status, what: 'held-tip', code });
      resolve({ status, body: parsed, sentAt, at });
    };
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(payload.length) },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', () => settle(0, null));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // HAProxy's own page, kept as text
          }
          settle(incoming.statusCode ?? 0, parsed);
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => settle(0, null));
    outgoing.end(payload);
  });
}

function fileForm(content: Buffer, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  return form;
}

async function query<T>(connection: Connection, sql: string, values: unknown[] = []): Promise<T[]> {
  const [rows] = await connection.query(sql, values);
  return rows as T[];
}

/** What the run measured: printed, written to FIGURES_FILE, quoted by the README. */
const figures: Record<string, Record<string, unknown>> = {};

let fake: FakeWechatServer;
let cluster: LocalCluster;
let supervisorTokens: string[];
let supervisorVillages: string[];
let photoToken: string;
let guesserToken: string;
let heldToken: string;
let cadreToken: string;
let adminToken: string;

/** What the load did, for the checks after it. */
const acknowledgedKeys: string[] = [];
const unacknowledgedKeys: string[] = [];
const uploads: Array<{ id: string; url: string }> = [];
const refusals: string[] = [];
/** Cases the cadre accepted: answered 2xx, or found accepted by a retry after the first answer was lost. */
const acceptedCases: string[] = [];
let acceptsFoundDoneOnRetry = 0;
let loadRunning = false;
let loadStartedAt = 0;
let loadEndedAt = 0;
/** When the last acknowledged tip was sent: a tip sent after a fault and acknowledged shows the service back. */
let lastTipSentAt = 0;

beforeAll(async () => {
  fake = await startFakeWechat(WECHAT);
  const started = Date.now();
  cluster = await LocalCluster.up({
    stateDir,
    instances: 2,
    seedDemo: true,
    instanceEnv: {
      WECHAT_API_BASE: fake.url,
      WECHAT_APP_ID: WECHAT.appId,
      WECHAT_APP_SECRET: WECHAT.appSecret,
      WECHAT_TIMEOUT_MS: '2000',
      OUTBOX_POLL_MS: '200',
      // a send that failed while the database was away is tried again soon, and a message held by a
      // killed instance is taken over within the test
      OUTBOX_RETRY_MS: '500',
      OUTBOX_LEASE_MS: '5000',
      JOBS_POLL_MS: '300',
      JOBS_LEASE_MS: '3000',
      LOG_LEVEL: 'info',
    },
  });
  figures.bringUp = { ms: Date.now() - started, clusterUpMs: cluster.bringUpMs };

  const db = await createConnection({ uri: cluster.writeUrl, timezone: 'Z' });
  try {
    const [county] = await query<{ settings: string | null }>(db, 'SELECT settings FROM served_counties WHERE code = ?', [COUNTY]);
    const settings = { ...(county?.settings ? (JSON.parse(county.settings) as object) : {}), tipsPerSupervisorPerDay: 100_000 };
    await db.query('UPDATE served_counties SET settings = ? WHERE code = ?', [JSON.stringify(settings), COUNTY]);
    const villages = (
      await query<{ code: string }>(db, "SELECT code FROM divisions WHERE level = 'village' AND parent_code = ? ORDER BY code", [SHILI])
    ).map((v) => v.code);
    // supervisors with WeChat accounts and tokens written straight into the database: every client of
    // the test is one address behind HAProxy, and sign-ins are limited per address
    supervisorVillages = Array.from({ length: TIP_CLIENTS }, (_, i) => villages[(i * 3) % villages.length]!);
    supervisorTokens = [];
    for (const [i, village] of supervisorVillages.entries()) supervisorTokens.push(await insertSupervisor(db, village, i));
    photoToken = await insertSupervisor(db, VILLAGE, TIP_CLIENTS);
    heldToken = await insertSupervisor(db, VILLAGE, 98);
    guesserToken = await insertSupervisor(db, VILLAGE, 99);
    // a township cadre with WeChat, told of every new case; the supervisors told of their tips' progress
    await db.query(
      "INSERT INTO users (id, openid, demo_account, role, display_name, position, unit_division_code, unit_school_id, county_code, disabled) VALUES (?, 'o_failover_cadre', NULL, 'official', '演练干部', 'cadre', ?, NULL, ?, 0)",
      [newId(), SHILI, COUNTY],
    );
    await db.query(
      "INSERT INTO subscription_grants (user_id, template, remaining) SELECT id, 'tip_progress', 10000 FROM users WHERE openid LIKE 'o_load_%'",
    );
    await db.query(
      "INSERT INTO subscription_grants (user_id, template, remaining) SELECT id, 'new_case', 10000 FROM users WHERE openid = 'o_failover_cadre'",
    );
  } finally {
    await db.end();
  }
  const signIn = async (account: string) => {
    const reply = await request('POST', `${cluster.frontUrl}/api/auth/dev-login`, null, 'sign-in', { account });
    if (reply.status !== 200) throw new Error(`dev-login ${account}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return (reply.body as SessionResponse).token;
  };
  cadreToken = await signIn('township-cadre');
  adminToken = await signIn('county-admin');
}, 240_000);

afterAll(async () => {
  try {
    if (Object.keys(figures).length) {
      writeFileSync(FIGURES_FILE, `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
      console.log(`failover drill figures (also in ${FIGURES_FILE}):\n${figureTable()}`);
    }
  } finally {
    const keep = process.env.BX_FAILOVER_LOGS;
    if (keep && existsSync(stateDir)) {
      cpSync(join(stateDir, 'logs'), join(keep, 'logs'), { recursive: true });
      writeFileSync(join(keep, 'replies.json'), JSON.stringify({ marks, replies }));
    }
    if (existsSync(stateDir)) await LocalCluster.down(stateDir);
    await fake?.close();
  }
}, 60_000);

function figureTable(): string {
  const lines: string[] = [];
  for (const [section, values] of Object.entries(figures)) {
    for (const [name, value] of Object.entries(values)) {
      lines.push(`  ${`${section}.${name}`.padEnd(40)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    }
  }
  return lines.join('\n');
}

/** Sends one tip until it is acknowledged, with the same idempotency key every time. */
async function submitTip(token: string, body: object): Promise<boolean> {
  const deadline = Date.now() + TIP_PATIENCE_MS;
  while (Date.now() < deadline) {
    const reply = await request('POST', `${cluster.frontUrl}/api/tips`, token, 'tip', body);
    if (ok(reply.status)) {
      lastTipSentAt = Math.max(lastTipSentAt, reply.sentAt);
      return true;
    }
    if (!retryable(reply)) {
      refusals.push(`tip: ${reply.status} ${JSON.stringify(reply.body)}`);
      return false;
    }
    await sleep(200);
  }
  return false;
}

async function tipClient(token: string, village: string, client: number): Promise<void> {
  for (let i = 0; loadRunning; i++) {
    const body = tipBody({ idempotencyKey: randomUUID(), divisionCode: village, child: { name: `故障演练${client}-${i}` } });
    if (await submitTip(token, body)) acknowledgedKeys.push(body.idempotencyKey);
    else unacknowledgedKeys.push(body.idempotencyKey);
    await sleep(150);
  }
}

/** Uploads an evidence photo, then files a tip with it. */
async function photoClient(): Promise<void> {
  const photo = await photoWithGps(64, 48);
  for (let i = 0; loadRunning; i++) {
    let uploaded: { id: string; url: string } | null = null;
    const deadline = Date.now() + TIP_PATIENCE_MS;
    while (!uploaded && loadRunning && Date.now() < deadline) {
      const reply = await request('POST', `${cluster.frontUrl}/api/uploads?purpose=tip_evidence`, photoToken, 'upload', imageForm(photo));
      if (ok(reply.status)) uploaded = reply.body as { id: string; url: string };
      else if (!retryable(reply)) {
        refusals.push(`upload: ${reply.status} ${JSON.stringify(reply.body)}`);
        return;
      } else await sleep(200);
    }
    if (!uploaded) continue;
    uploads.push(uploaded);
    const body = tipBody({ idempotencyKey: randomUUID(), divisionCode: VILLAGE, photoId: uploaded.id, child: { name: `照片演练${i}` } });
    if (await submitTip(photoToken, body)) acknowledgedKeys.push(body.idempotencyKey);
    else unacknowledgedKeys.push(body.idempotencyKey);
    await sleep(400);
  }
}

/** The township cadre accepts every case waiting in 十里镇. */
async function caseClient(): Promise<void> {
  while (loadRunning) {
    const page = await request('GET', `${cluster.frontUrl}/api/cases?status=reported&limit=20`, cadreToken, 'cases');
    const waiting = ok(page.status) ? (page.body as { items: CaseListItem[] }).items : [];
    for (const item of waiting) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const reply = await request('POST', `${cluster.frontUrl}/api/cases/${item.id}/accept`, cadreToken, 'accept', {});
        // a retry of an accept whose answer was lost (yet which committed) finds the case accepted already
        const foundDone = attempt > 0 && codeOf(reply) === 'CASE_STEP_OUT_OF_ORDER';
        if (ok(reply.status) || foundDone) {
          acceptedCases.push(item.id);
          if (foundDone) acceptsFoundDoneOnRetry++;
          break;
        }
        if (!retryable(reply)) {
          refusals.push(`accept: ${reply.status} ${JSON.stringify(reply.body)}`);
          break;
        }
        await sleep(200);
      }
    }
    await sleep(300);
  }
}

const appServer = (servers: HaproxyServer[], name: string) => servers.find((s) => s.backend === BACKENDS.app && s.server === name);
const pidOf = (name: string) => cluster.processIds()[name];

/** Until a tip sent after `since` is acknowledged, then `settleMs` more of load; when that tip was acknowledged. */
async function loadRecovered(what: string, since: number, settleMs = 2000): Promise<number> {
  const recoveredAt = await until(what, 60_000, async () => (lastTipSentAt > since ? Date.now() : null), 20);
  await sleep(settleMs);
  return recoveredAt;
}

it('keeps answering through a writer node lost, instances killed mid-request and mid-import, a rename and a shared limit', async () => {
  loadRunning = true;
  loadStartedAt = Date.now();
  const clients = [...supervisorTokens.map((token, i) => tipClient(token, supervisorVillages[i]!, i)), photoClient(), caseClient()];
  try {
    await sleep(4000);

    // (1) the writing Galera node dies; HAProxy moves the write port, Galera evicts it; then it rejoins
    expect(await cluster.writeNode()).toBe('node1');
    const nodeKilledAt = mark('nodeKilledAt');
    await cluster.killNode(1);
    const writesBackAt = mark('writesBackAt', await loadRecovered('a tip acknowledged after node1 was killed', nodeKilledAt));
    const newWriter = await cluster.writeNode();
    const rejoinStarted = mark('rejoinStarted');
    await cluster.startNode(1);
    await cluster.waitForHaproxy('node1 writing again', (servers) =>
      servers.some((s) => s.backend === BACKENDS.write && s.server === 'node1' && s.status === 'UP'),
    );
    const rejoinedAt = mark('rejoinedAt');
    await loadRecovered('a tip acknowledged after node1 rejoined', rejoinedAt);
    const writerPhaseEnd = mark('writerPhaseEnd');
    figures.writerKill = {
      newWriter,
      writesBackAfterMs: writesBackAt - nodeKilledAt,
      longestStallMs: longestStall(nodeKilledAt, rejoinStarted),
      status503: repliesBetween(nodeKilledAt, rejoinStarted, 503),
      noAnswer: repliesBetween(nodeKilledAt, rejoinStarted, 0),
      rejoinMs: rejoinedAt - rejoinStarted,
      longestStallOnRejoinMs: longestStall(rejoinStarted, writerPhaseEnd),
      status503OnRejoin: repliesBetween(rejoinStarted, writerPhaseEnd, 503),
      noAnswerOnRejoin: repliesBetween(rejoinStarted, writerPhaseEnd, 0),
      writerAtEnd: await cluster.writeNode(),
    };
    expect(newWriter).toMatch(/^node[23]$/);
    expect(figures.writerKill.writerAtEnd).toBe('node1');

    // (2) instance 1 dies with requests in flight: one supervisor's tips wait in both instances on the
    // row of their daily count, which the test holds locked; the instance is killed under them
    const heldBodies = Array.from({ length: HELD_TIPS }, (_, i) =>
      tipBody({ idempotencyKey: randomUUID(), divisionCode: VILLAGE, child: { name: `锁等演练${i}` } }),
    );
    const lock = await createConnection({ uri: cluster.writeUrl, timezone: 'Z' });
    let held: Reply[] = [];
    let inFlight = 0;
    let instanceKilledAt = 0;
    try {
      const [{ id: heldUser }] = await query<{ id: string }>(lock, "SELECT id FROM users WHERE openid LIKE 'o_load_98_%'");
      await lock.beginTransaction();
      // today's row, and tomorrow's should the day turn meanwhile
      for (const day of new Set([chinaDay(new Date()), chinaDay(new Date(Date.now() + 60_000))])) {
        await lock.query('INSERT INTO quota_counters (subject, period, used) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE used = used', [
          `tips:${heldUser}`,
          day,
        ]);
      }
      const waiting = heldBodies.map((body) => tipOnOwnConnection(heldToken, body));
      inFlight = await until('the held tips waiting on the lock', 10_000, async () => {
        const [{ n }] = await query<{ n: number }>(
          lock,
          "SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE '%quota_counters%'",
        );
        return Number(n) >= HELD_TIPS ? Number(n) : null;
      });
      instanceKilledAt = mark('instanceKilledAt');
      await cluster.killInstance(1);
      // the tips on instance 2 go on once the row is free; those on instance 1 were answered for by HAProxy
      await sleep(500);
      await lock.rollback();
      held = await Promise.all(waiting);
    } finally {
      await lock.end();
    }
    // those HAProxy answered for: the API's 503 to retry (not a 502 page), and retried with the same key
    expect(held.filter((r) => !ok(r.status) && codeOf(r) !== 'SERVICE_UNAVAILABLE').map((r) => `${r.status} ${codeOf(r)}`)).toEqual([]);
    const lostWithInstance = held.filter((r) => r.status === 503).length;
    expect(lostWithInstance).toBeGreaterThan(0);
    for (const [i, body] of heldBodies.entries()) {
      if (ok(held[i]!.status) || (await submitTip(heldToken, body))) acknowledgedKeys.push(body.idempotencyKey);
      else unacknowledgedKeys.push(body.idempotencyKey);
    }
    await sleep(2500);
    await cluster.startInstance(1);
    await cluster.waitForHaproxy('instance1 back behind the front', (servers) => appServer(servers, 'instance1')?.status === 'UP');
    const instanceBackAt = mark('instanceBackAt');
    await loadRecovered('a tip acknowledged after instance1 came back', instanceBackAt);
    figures.instanceKill = {
      heldTipsInFlight: inFlight,
      heldTipsAnswered503: lostWithInstance,
      heldTipsServedByInstance2: held.filter((r) => ok(r.status)).length,
      longestStallMs: longestStall(instanceKilledAt, instanceBackAt),
      status503: repliesBetween(instanceKilledAt, Date.now(), 503),
      noAnswer: repliesBetween(instanceKilledAt, Date.now(), 0),
      downMs: instanceBackAt - instanceKilledAt,
    };

    // (3) a registry import through instance 2 directly; the instance running it dies mid-import
    const db = await createConnection({ uri: cluster.writeUrl, timezone: 'Z' });
    try {
      const { file, studentNumbers } = roster(IMPORT_PUPILS);
      const started = await request(
        'POST',
        `${cluster.instanceUrls[1]}/api/registry/imports?kind=roster`,
        adminToken,
        'import',
        fileForm(file, '花名册.csv'),
      );
      expect(started.status).toBe(201);
      const importId = (started.body as ImportView).id;
      type JobRow = { status: string; holder: string | null; attempts: number; error: string | null };
      const jobOf = async () =>
        (
          await query<JobRow>(db, "SELECT status, holder, attempts, error FROM jobs WHERE kind = 'registry_import' AND run_key = ?", [
            importId,
          ])
        )[0];
      const claimed = await until('the import job claimed', 10_000, async () => {
        const job = await jobOf();
        return job?.status === 'running' ? job : null;
      });
      const claimedAt = Date.now();
      // instance 2 starts the job it queued; should the other instance's poll have won it, that one dies
      const holderInstance = [1, 2].find((i) => claimed.holder?.includes(`/${pidOf(`instance${i}`)}/`));
      expect(holderInstance).toBeDefined();
      await sleep(1000);
      // still running: the kill lands in the middle of the import, not after it
      const [beforeKill] = await query<{ status: string }>(db, 'SELECT status FROM registry_imports WHERE id = ?', [importId]);
      expect(beforeKill?.status).toBe('running');
      const importKilledAt = mark('importKilledAt');
      await cluster.killInstance(holderInstance!);
      const restart = (async () => {
        await sleep(3000);
        await cluster.startInstance(holderInstance!);
        return Date.now();
      })();
      let takenOver: { at: number; holder: string | null } | null = null;
      const settled = await until(
        'the import job settled after its holder died',
        90_000,
        async () => {
          const job = await jobOf();
          if (!takenOver && job && job.attempts >= 2 && job.status === 'running') takenOver = { at: Date.now(), holder: job.holder };
          return job && (job.status === 'done' || job.status === 'failed') ? { ...job, at: Date.now() } : null;
        },
        100,
      );
      const restartedAt = mark('restartedAt', await restart);
      const outcome = await request('GET', `${cluster.frontUrl}/api/registry/imports/${importId}`, adminToken, 'import');
      const view = outcome.body as ImportView;
      const takeover = takenOver as { at: number; holder: string | null } | null;
      const takenOverBy = [1, 2].find((i) => takeover?.holder?.includes(`/${pidOf(`instance${i}`)}/`));
      const [pupils] = await query<{ n: number; distinctNumbers: number }>(
        db,
        'SELECT COUNT(*) AS n, COUNT(DISTINCT student_number) AS distinctNumbers FROM children WHERE student_number IN (?)',
        [studentNumbers],
      );
      figures.import = {
        pupils: IMPORT_PUPILS,
        ranOn: `instance${holderInstance}`,
        ranBeforeKillMs: importKilledAt - claimedAt,
        outcome: view.status,
        failure: view.status === 'failed' ? view.errors.map((e) => e.message).join('；') : null,
        created: view.created,
        unchanged: view.unchanged,
        jobAttempts: settled.attempts,
        takenOverBy: takenOverBy ? `instance${takenOverBy}` : takeover ? takeover.holder : null,
        takeoverMs: takeover ? takeover.at - importKilledAt : null,
        settledAfterKillMs: settled.at - importKilledAt,
        runAfterTakeoverMs: takeover ? settled.at - takeover.at : null,
        restartMs: restartedAt - importKilledAt,
        pupilsInDb: Number(pupils!.n),
      };
      expect({ job: settled.status, import: view.status, errors: view.errors }).toEqual({ job: 'done', import: 'completed', errors: [] });
      expect(takeover).not.toBeNull();
      expect(view.created + view.unchanged).toBe(IMPORT_PUPILS);
      expect({ rows: Number(pupils!.n), distinct: Number(pupils!.distinctNumbers) }).toEqual({
        rows: IMPORT_PUPILS,
        distinct: IMPORT_PUPILS,
      });
    } finally {
      await db.end();
    }
    await cluster.waitForHaproxy('both instances behind the front', (servers) =>
      ['instance1', 'instance2'].every((name) => appServer(servers, name)?.status === 'UP'),
    );

    // (4) a village renamed through instance 1 reads renamed through instance 2, which had it cached
    const nameVia2 = async () =>
      ((await request('GET', `${cluster.instanceUrls[1]}/api/divisions/${VILLAGE}`, supervisorTokens[0]!, 'rename')).body as DivisionView)
        ?.fullName;
    expect(await nameVia2()).toBe('光山县 十里镇 吴明村民委员会');
    const renamed = await request(
      'POST',
      `${cluster.instanceUrls[0]}/api/divisions/import`,
      adminToken,
      'rename',
      fileForm(Buffer.from(`code,name,level,parent_code\n${VILLAGE},吴明村,village,${SHILI}\n`), 'divisions.csv'),
    );
    expect(renamed.status).toBe(201);
    const renamedAt = mark('renamedAt');
    await until('the new name read through instance 2', 5000, async () => (await nameVia2()) === '光山县 十里镇 吴明村');
    figures.rename = { seenThroughInstance2AfterMs: Date.now() - renamedAt };

    // (5) one user's wrong invitation codes, alternating between the instances: the hour's 10 tries count once
    const tries = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request('POST', `${cluster.instanceUrls[i % 2]}/api/invitations/redeem`, guesserToken, 'redeem', {
          code: `WRONG${String(i).padStart(2, '0')}ABC`,
          displayName: '猜码人',
        }),
      ),
    );
    const answered = tries.filter((r) => r.status === 400 && codeOf(r) === 'INVITATION_INVALID').length;
    const refused = tries.filter((r) => r.status === 429 && codeOf(r) === 'RATE_LIMITED').length;
    figures.rateLimit = { answeredWrongCode: answered, refused429: refused };
    expect({ answered, refused }).toEqual({ answered: 10, refused: 10 });
  } finally {
    loadRunning = false;
    await Promise.all(clients);
    loadEndedAt = Date.now();
  }
}, 300_000);

describe('after the load', () => {
  let db: Connection;
  beforeAll(async () => {
    db = await createConnection({ uri: cluster.writeUrl, timezone: 'Z' });
  });
  afterAll(async () => db?.end());

  it('stored every acknowledged tip once, and lost none', async () => {
    const supervisors = (await query<{ id: string }>(db, "SELECT id FROM users WHERE openid LIKE 'o_load_%'")).map((u) => u.id);
    const stored = await query<{ k: string }>(db, 'SELECT idempotency_key AS k FROM tips WHERE supervisor_id IN (?)', [supervisors]);
    const duplicates = await query<{ k: string; n: number }>(
      db,
      'SELECT idempotency_key AS k, COUNT(*) AS n FROM tips WHERE supervisor_id IN (?) GROUP BY supervisor_id, idempotency_key HAVING COUNT(*) > 1',
      [supervisors],
    );
    const storedKeys = new Set(stored.map((r) => r.k));
    const load = replies.filter((r) => r.at >= loadStartedAt && r.at <= loadEndedAt);
    figures.load = {
      durationMs: loadEndedAt - loadStartedAt,
      requests: load.length,
      tipsAcknowledged: acknowledgedKeys.length,
      tipsNotAcknowledged: unacknowledgedKeys.length,
      tipsInDb: stored.length,
      duplicates: duplicates.length,
      photosUploaded: uploads.length,
      casesAccepted: acceptedCases.length,
      acceptsFoundDoneOnRetry,
    };
    expect(refusals).toEqual([]);
    expect(unacknowledgedKeys).toEqual([]);
    expect(acknowledgedKeys.filter((k) => !storedKeys.has(k))).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(stored.length).toBe(new Set(acknowledgedKeys).size);
    expect(acknowledgedKeys.length).toBeGreaterThan(100);
    expect(acceptedCases.length).toBeGreaterThan(20);
    const notAccepted = await query<{ id: string; status: string }>(
      db,
      "SELECT id, status FROM cases WHERE id IN (?) AND status <> 'assigned'",
      [acceptedCases],
    );
    expect(notAccepted).toEqual([]);
  });

  it('answered no 5xx but 503, each in the API error shape in Chinese', () => {
    const failures = replies.filter((r) => r.status >= 500);
    const byCode: Record<string, number> = {};
    for (const r of failures.filter((f) => f.status === 503)) byCode[r.code ?? 'not JSON'] = (byCode[r.code ?? 'not JSON'] ?? 0) + 1;
    figures.errors = {
      status503: failures.filter((r) => r.status === 503).length,
      other5xx: failures.filter((r) => r.status !== 503).length,
      noAnswer: replies.filter((r) => r.status === 0).length,
      codesOf503: byCode,
    };
    expect(failures.filter((r) => r.status !== 503).map((r) => `${r.what} ${r.status}`)).toEqual([]);
    expect(failures.filter((r) => !r.code || !(r.code in ERRORS))).toEqual([]);
  });

  it('delivered every outbox message to WeChat once', async () => {
    const pending = async () =>
      Number((await query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"))[0]!.n) === 0;
    await until('the outbox drained', 60_000, pending, 250);
    const rows = await query<{ id: string; status: string }>(db, 'SELECT id, status FROM outbox');
    const sent = rows.filter((r) => r.status === 'sent').map((r) => r.id);
    const delivered = fake.messages.map((m) => m.deliveryKey);
    figures.outbox = {
      messages: rows.length,
      sent: sent.length,
      skipped: rows.filter((r) => r.status === 'skipped').length,
      failed: rows.filter((r) => r.status === 'failed').length,
      deliveries: delivered.length,
      resendsRecognised: fake.duplicateDeliveries,
    };
    expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'skipped')).toEqual([]);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(new Set(delivered)).toEqual(new Set(sent));
    // the new cases and the accepted tips really went out
    expect(sent.length).toBeGreaterThan(acknowledgedKeys.length);
  });

  it('settled every job once: none left running, one per period, the import done', async () => {
    // a minute's deadline pass may be running right now: it finishes within moments
    await until(
      'no job running',
      15_000,
      async () => Number((await query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'"))[0]!.n) === 0,
      250,
    );
    const jobs = await query<{ kind: string; runKey: string; status: string; attempts: number; error: string | null }>(
      db,
      'SELECT kind, run_key AS runKey, status, attempts, error FROM jobs ORDER BY kind, run_key',
    );
    const perPeriod = await query<{ kind: string; runKey: string; n: number }>(
      db,
      'SELECT kind, run_key AS runKey, COUNT(*) AS n FROM jobs GROUP BY kind, run_key HAVING COUNT(*) > 1',
    );
    const minutes = jobs.filter((j) => j.kind === 'deadlines').map((j) => Date.parse(`${j.runKey}:00Z`));
    const missedMinutes = minutes.slice(1).filter((at, i) => at - minutes[i]! !== 60_000).length;
    const byKind: Record<string, Record<string, number>> = {};
    for (const job of jobs) {
      byKind[job.kind] ??= {};
      byKind[job.kind]![job.status] = (byKind[job.kind]![job.status] ?? 0) + 1;
    }
    figures.jobs = {
      byKind,
      retriedOrTakenOver: jobs.filter((j) => j.attempts > 1).map((j) => `${j.kind} ${j.runKey} ×${j.attempts}`),
      missedMinutes,
    };
    const now = new Date().toISOString().slice(0, 16);
    expect(jobs.filter((j) => j.status === 'running' || (j.status === 'queued' && j.runKey !== now))).toEqual([]);
    expect(jobs.filter((j) => j.status === 'failed')).toEqual([]);
    expect(perPeriod).toEqual([]);
    expect(missedMinutes).toBe(0);
    expect(jobs.filter((j) => j.kind === 'registry_import').map((j) => j.status)).toEqual(['done']);
  });

  it('serves every photo uploaded through the front through both instances', async () => {
    expect(uploads.length).toBeGreaterThan(5);
    const bytesVia = async (base: string, url: string) => {
      const response = await fetch(`${base}${url}`, { signal: AbortSignal.timeout(10_000) });
      return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
    };
    for (const upload of uploads) {
      const [one, two] = await Promise.all(cluster.instanceUrls.map((base) => bytesVia(base, upload.url)));
      expect({ one: one!.status, two: two!.status, type: one!.type }).toEqual({ one: 200, two: 200, type: 'image/jpeg' });
      expect(two!.bytes.equals(one!.bytes)).toBe(true);
    }
  });

  it('reads the renamed village through instance 2 still', async () => {
    const reply = await request('GET', `${cluster.instanceUrls[1]}/api/divisions/${VILLAGE}`, supervisorTokens[0]!, 'rename');
    expect((reply.body as DivisionView).fullName).toBe('光山县 十里镇 吴明村');
  });
});
