import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '../../../server/src/database/seed/demo-seed';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const MAIN = join(__dirname, '../../../server/dist/main.js');

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function waitForHealth(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not become healthy at ${url}`);
}

describe('the server process', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('migrates and seeds on first start, serves, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const uploadDir = mkdtempSync(join(tmpdir(), 'bx-uploads-'));
    const { child, output } = startProcess({
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      H5_DIR: '',
      APP_MODE: 'demo',
      UPLOAD_DIR: uploadDir,
    });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/api/health`);
      const options = (await (await fetch(`http://127.0.0.1:${port}/api/auth/options`)).json()) as { demoAccounts: unknown[] };
      // every demo account the seed writes (the school line added the school's leader)
      expect(options.demoAccounts).toHaveLength(DEMO_ACCOUNTS.length);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(output()).toContain('shutting down');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(uploadDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start with invalid configuration, naming the variable', async () => {
    const { child, output } = startProcess({ DATABASE_URL: db.url, PORT: 'eighty', APP_MODE: 'production' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(output()).toContain('PORT');
    expect(output()).toContain('WECHAT_API_BASE: required in production');
  }, 30_000);
});
