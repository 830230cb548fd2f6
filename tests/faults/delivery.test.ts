import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';
import { FakeWechatServer } from '../../server/src/modules/wechat/fake-wechat.server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sql } from '../support/mysql';
import { freePort, startServerProcess, waitForHealth, type ServerProcess } from '../support/process';

const USERS = 30;
const MESSAGES_PER_USER = 10;
const TOTAL = USERS * MESSAGES_PER_USER;

async function count(conn: Connection, query: string): Promise<number> {
  const [[row]] = (await conn.query(query)) as unknown as [[{ n: number }]];
  return Number(row.n);
}

describe('notification delivery through a flaky WeChat and a killed worker', () => {
  let db: TestDatabase;
  let conn: Connection;
  let server: ServerProcess;
  let fake: FakeWechatServer;

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    fake = await new FakeWechatServer({ appId: 'wxfaultdelivery0001', appSecret: 'fault-delivery-secret' }).listen();
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await conn?.end();
    await fake?.close();
    await db?.drop();
  });

  it('delivers every queued message exactly once to the user, using every grant exactly once', async () => {
    const port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      H5_DIR: '',
      APP_MODE: 'test',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'silent',
      WECHAT_API_BASE: fake.url,
      WECHAT_APP_ID: 'wxfaultdelivery0001',
      WECHAT_APP_SECRET: 'fault-delivery-secret',
      WECHAT_TIMEOUT_MS: '300',
      OUTBOX_POLL_MS: '50',
      OUTBOX_RETRY_MS: '100',
      OUTBOX_LEASE_MS: '1500',
    };
    // migrate and seed with the worker idle, then queue the messages straight into the outbox
    server = startServerProcess({ ...env, OUTBOX_POLL_MS: '0' });
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);
    server.child.kill('SIGKILL');
    await server.exited;

    conn = await sql(db.url);
    const now = new Date();
    const ids: string[] = [];
    for (let u = 0; u < USERS; u++) {
      const userId = newId();
      await conn.query(
        "INSERT INTO users (id, openid, demo_account, role, display_name, position, unit_division_code, unit_school_id, county_code, disabled) VALUES (?, ?, NULL, 'supervisor', ?, NULL, NULL, NULL, '411522000000', 0)",
        [userId, `o_delivery_${u}_${randomBytes(4).toString('hex')}`, `监督员${u}`],
      );
      await conn.query("INSERT INTO subscription_grants (user_id, template, remaining) VALUES (?, 'tip_progress', ?)", [
        userId,
        MESSAGES_PER_USER,
      ]);
      for (let m = 0; m < MESSAGES_PER_USER; m++) {
        const id = newId();
        ids.push(id);
        const payload = { page: 'pages/index/index', data: { thing1: `线索进展${m}`, time2: '2026-11-23 10:00' } };
        await conn.query(
          "INSERT INTO outbox (id, dedupe_key, user_id, template, payload, status, attempts, next_attempt_at, leased_until, last_error, created_at, sent_at) VALUES (?, ?, ?, 'tip_progress', ?, 'pending', 0, ?, NULL, NULL, ?, NULL)",
          [id, `fault-delivery:${id}`, userId, JSON.stringify(payload), now, now],
        );
      }
    }

    // a fifth of sends fail outright, a tenth are delivered but answered too late for the client
    fake.setChaos({ failureRate: 0.2, timeoutRate: 0.1, timeoutMs: 600, seed: 7 });
    server = startServerProcess(env);
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);

    // kill the worker hard while it is in the middle of the queue, then start it again
    const halfway = Date.now() + 60_000;
    while (fake.messages.length < TOTAL / 3 && Date.now() < halfway) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.messages.length).toBeLessThan(TOTAL);
    server.child.kill('SIGKILL');
    await server.exited;
    server = startServerProcess(env);
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);

    const deadline = Date.now() + 90_000;
    while ((await count(conn, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    expect(await count(conn, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'")).toBe(TOTAL);
    // each message reached WeChat under its own delivery key, once
    const keys = fake.messages.map((m) => m.deliveryKey);
    expect(keys.length).toBe(TOTAL);
    expect(new Set(keys)).toEqual(new Set(ids));
    // the chaos really happened: some sends were repeated after a lost answer, and recognised
    expect(fake.duplicateDeliveries).toBeGreaterThan(0);
    expect(await count(conn, 'SELECT MAX(attempts) AS n FROM outbox')).toBeGreaterThan(1);
    // every message used exactly one of the user's grants
    expect(await count(conn, 'SELECT SUM(remaining) AS n FROM subscription_grants WHERE user_id IN (SELECT user_id FROM outbox)')).toBe(0);
  }, 180_000);
});
