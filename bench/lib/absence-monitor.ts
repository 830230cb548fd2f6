import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT } from './server';

/**
 * The daily absence monitor's run for a county, as its hourly timer calls it: the compiled server
 * built in a process of its own on the bench database (test mode: no workers, no HTTP), timed
 * around `AbsenceMonitorService.run` alone.
 */
export async function runAbsenceMonitor(
  databaseUrl: string,
  countyCode: string,
  day: string,
  uploadDir: string,
): Promise<{ ms: number; result: Record<string, number> }> {
  const dist = (path: string) => JSON.stringify(join(ROOT, 'server/dist', path));
  const script = `
    const { loadConfig } = require(${dist('config/config.schema')});
    const { createLogger } = require(${dist('common/logging/logger')});
    const { createApp } = require(${dist('app')});
    const { AbsenceMonitorService } = require(${dist('modules/registry/absence-monitor.service')});
    (async () => {
      const config = loadConfig({ ...process.env, APP_MODE: 'test', SEED_DEMO: 'false', H5_DIR: '', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', VALIDATE_RESPONSES: 'false' });
      const app = await createApp(config, createLogger('silent'));
      const t0 = performance.now();
      const result = await app.get(AbsenceMonitorService).run(process.env.BX_COUNTY, process.env.BX_DAY);
      const ms = performance.now() - t0;
      await app.close();
      process.stdout.write(JSON.stringify({ ms, result }));
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, UPLOAD_DIR: uploadDir, BX_COUNTY: countyCode, BX_DAY: day },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the absence monitor run exited with ${String(code)}: ${err.slice(0, 800)}`);
  return JSON.parse(out) as { ms: number; result: Record<string, number> };
}
