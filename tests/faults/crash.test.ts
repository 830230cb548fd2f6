import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertSupervisor, sql } from '../support/mysql';
import { freePort, startServerProcess, waitForHealth, type ServerProcess } from '../support/process';
import { tipBody } from '../support/tips';

const CLIENTS = 8;
const TIPS_PER_CLIENT = 40;

/** Sends one tip until the server has it, retrying the same request (same idempotency key) on any failure. */
async function submit(base: () => string, token: string, body: object, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base()}/api/tips`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (response.status === 200 || response.status === 201) return true;
      if (response.status < 500) throw new Error(`refused: ${response.status} ${await response.text()}`);
    } catch (error) {
      if ((error as Error).message.startsWith('refused')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('no tip lost when the server is killed mid-run', () => {
  let db: TestDatabase;
  let conn: Connection;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await conn?.end();
    await db?.drop();
  });

  it('stores every acknowledged tip exactly once across a SIGKILL and restart', async () => {
    const port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      H5_DIR: '',
      APP_MODE: 'test',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'silent',
    };
    server = startServerProcess(env);
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);
    conn = await sql(db.url);
    await conn.query(`UPDATE served_counties SET settings = '{"tipsPerSupervisorPerDay":100000}'`);
    const [villages] = await conn.query("SELECT code FROM divisions WHERE level = 'village' ORDER BY code");
    const codes = (villages as Array<{ code: string }>).map((v) => v.code);
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => insertSupervisor(conn, codes[i * 40]!, i)));
    const bodies = tokens.map((_, c) =>
      Array.from({ length: TIPS_PER_CLIENT }, (_, i) =>
        tipBody({
          idempotencyKey: randomUUID(),
          divisionCode: codes[(c * 53 + i * 7) % codes.length]!,
          child: { name: `崩溃测试${c}-${i}` },
        }),
      ),
    );

    const base = () => `http://127.0.0.1:${port}`;
    let acknowledged = 0;
    const deadline = Date.now() + 90_000;
    const clients = tokens.map(async (token, c) => {
      for (const body of bodies[c]!) {
        if (await submit(base, token, body, deadline)) acknowledged++;
      }
    });
    // kill the server hard once a third of the tips are in, then bring it back
    const killer = (async () => {
      while (acknowledged < (CLIENTS * TIPS_PER_CLIENT) / 3) await new Promise((resolve) => setTimeout(resolve, 20));
      server.child.kill('SIGKILL');
      await server.exited;
      server = startServerProcess(env);
      await waitForHealth(`http://127.0.0.1:${port}/api/health`);
    })();
    await Promise.all([...clients, killer]);

    expect(acknowledged).toBe(CLIENTS * TIPS_PER_CLIENT);
    const [duplicates] = await conn.query(
      'SELECT idempotency_key, COUNT(*) AS n FROM tips GROUP BY supervisor_id, idempotency_key HAVING COUNT(*) > 1',
    );
    expect(duplicates).toEqual([]);
    const [[{ n: stored }]] = (await conn.query('SELECT COUNT(*) AS n FROM tips')) as unknown as [[{ n: number }]];
    expect(Number(stored)).toBe(CLIENTS * TIPS_PER_CLIENT);
    const keys = new Set(bodies.flat().map((b) => b.idempotencyKey));
    const [rows] = await conn.query('SELECT idempotency_key AS k FROM tips');
    expect(new Set((rows as Array<{ k: string }>).map((r) => r.k))).toEqual(keys);
    // nothing half-written: every tip has its case, and every case its routing
    const [orphans] = await conn.query('SELECT t.id FROM tips t LEFT JOIN cases c ON c.id = t.case_id WHERE c.id IS NULL');
    expect(orphans).toEqual([]);
    const [unrouted] = await conn.query('SELECT c.id FROM cases c LEFT JOIN case_routings r ON r.case_id = c.id WHERE r.id IS NULL');
    expect(unrouted).toEqual([]);
  }, 120_000);
});
