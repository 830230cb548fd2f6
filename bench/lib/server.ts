import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, waitForHealth } from '../../tests/support/process';

export const ROOT = resolve(__dirname, '../..');
const SERVER_MAIN = join(ROOT, 'server/dist/main.js');

export interface ServerOptions {
  databaseUrl: string;
  /** Extra environment (H5_DIR, OUTBOX_POLL_MS, …). */
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the whole server run into this directory (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** Where the server's log goes; the bench keeps it for a failing run. */
  logFile: string;
  healthTimeoutMs?: number;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Peak resident memory since start or the last `resetPeak()`, in MiB (VmHWM). */
  peakRssMiB(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

/**
 * The compiled server as its own process, configured like a deployment: demo mode (in-process fake
 * WeChat, the outbox worker delivering every 2 s), response validation off as in production, logs
 * at `info` written straight to a file (not through the bench process).
 */
export async function startServer(options: ServerOptions): Promise<BenchServer> {
  const port = await freePort();
  mkdirSync(resolve(options.logFile, '..'), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const args = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, SERVER_MAIN] : [SERVER_MAIN];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_MODE: 'demo',
      SEED_DEMO: 'true',
      H5_DIR: '',
      LOG_LEVEL: 'info',
      VALIDATE_RESPONSES: 'false',
      UPLOAD_DIR: mkdtempSync(join(options.logFile, '..', 'uploads-')),
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForHealth(`${url}/api/health`, options.healthTimeoutMs ?? 120_000),
      exited.then(([code]) => {
        throw new Error(`server exited with ${String(code)} before it was healthy; see ${options.logFile}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
    },
    // Linux: writing 5 to clear_refs resets the peak resident set size of the process.
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    stop: async () => {
      if (child.exitCode !== null) return;
      // SIGINT lets Node write the CPU profile; the server shuts down gracefully on it.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Bearer-token JSON calls against a bench server. */
export async function call<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}
