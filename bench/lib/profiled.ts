import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchContext } from './context';
import { summariseProfiles } from './profile';
import { startServer } from './server';

export const PROFILES_DIR = resolve(__dirname, '../profiles');

/**
 * Runs `load` once more against a server started with `node --cpu-prof` on the same database, and
 * returns where the server spent its CPU time. The .cpuprofile files are kept in bench/profiles/<name>/
 * (open them in Chrome DevTools or speedscope). Not part of the measured figures: profiling slows V8.
 */
export async function profiledRun(
  ctx: BenchContext,
  name: string,
  databaseUrl: string,
  logFile: string,
  load: (url: string) => Promise<unknown>,
  env: Record<string, string> = {},
): Promise<string> {
  const dir = join(ctx.tmp, `profile-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  ctx.log(`${name}: profiled run`);
  const spawned = performance.now();
  const server = await startServer({ databaseUrl, logFile, cpuProfileDir: dir, env });
  const bootMs = performance.now() - spawned;
  try {
    await load(server.url);
  } finally {
    await server.stop();
  }
  const kept = join(PROFILES_DIR, name);
  rmSync(kept, { recursive: true, force: true });
  cpSync(dir, kept, { recursive: true });
  return summariseProfiles(dir, 8, bootMs);
}
