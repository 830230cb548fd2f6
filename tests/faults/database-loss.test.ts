import type { ApiErrorBody, SessionResponse } from '@baoxue/shared';
import { MariadbInstance } from '../support/mariadb-instance';
import { freePort, startServerProcess, waitForHealth, type ServerProcess } from '../support/process';
import { tipBody } from '../support/tips';

describe('losing the database', () => {
  let mariadb: MariadbInstance;
  let server: ServerProcess;
  let base: string;

  beforeAll(async () => {
    mariadb = await MariadbInstance.create();
    const url = await mariadb.createDatabase('baoxue');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServerProcess({
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      H5_DIR: '',
      APP_MODE: 'test',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'silent',
    });
    await waitForHealth(`${base}/api/health`);
  }, 90_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await mariadb?.destroy();
  });

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${base}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('answers 503 in Chinese while the database is down, and recovers without a restart', async () => {
    const session = (await (await post('/auth/dev-login', { account: 'supervisor' })).json()) as SessionResponse;
    const before = tipBody({ child: { name: '停库前' } });
    expect((await post('/tips', before, session.token)).status).toBe(201);

    await mariadb.stop();
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', database: { status: 'down' } });
    const during = tipBody({ child: { name: '停库时' } });
    const refused = await post('/tips', during, session.token);
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as ApiErrorBody;
    expect(body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: '系统暂时无法访问数据库，请稍后再试，已提交的内容不会丢失' });
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(me.status).toBe(503);

    await mariadb.start();
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${base}/api/health`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the server did not recover');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(server.child.exitCode).toBeNull();
    // the tip refused during the outage is accepted now (same key), and the earlier one is still there
    expect([200, 201]).toContain((await post('/tips', during, session.token)).status);
    const replay = await post('/tips', before, session.token);
    expect(replay.status).toBe(200);
    const mine = (await (await fetch(`${base}/api/tips/mine`, { headers: { authorization: `Bearer ${session.token}` } })).json()) as {
      items: Array<{ child: { name: string } }>;
    };
    expect(mine.items.map((t) => t.child.name).sort()).toEqual(['停库前', '停库时']);
  }, 90_000);
});
