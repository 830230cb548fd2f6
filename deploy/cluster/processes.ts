import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every process a cluster starts carries this variable (`<state dir>#<name>`), and so do its children
 * (Galera's SST scripts, their rsync daemons): `down` finds exactly what it started, and nothing else.
 */
const MARKER = 'BX_CLUSTER_PROCESS';

export interface ProcessSpec {
  /** Unique within the cluster: `node1`, `haproxy`, `instance2`, … */
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** stdout and stderr go here (appended: a restarted process continues its log). */
  logFile: string;
}

/** How long to wait for a killed process to be gone. */
const EXIT_TIMEOUT_MS = 10_000;

/**
 * The processes of one cluster, detached from whoever started them (the CLI exits, the cluster stays
 * up), each recorded in `<state dir>/run/<name>.pid`: its pid, then its command line. A pid is only
 * signalled when that process still has the recorded command line and this cluster's marker.
 */
export class ProcessTable {
  private readonly runDir: string;

  constructor(readonly stateDir: string) {
    this.runDir = join(stateDir, 'run');
  }

  start(spec: ProcessSpec): number {
    mkdirSync(this.runDir, { recursive: true });
    const log = openSync(spec.logFile, 'a');
    try {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: { ...spec.env, [MARKER]: this.marker(spec.name) },
        stdio: ['ignore', log, log],
        // its own process group: killing the group also ends what it started (SST scripts, rsync)
        detached: true,
      });
      if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
      child.unref();
      writeFileSync(this.pidFile(spec.name), `${child.pid}\n${[spec.command, ...spec.args].join('\0')}\n`);
      return child.pid;
    } finally {
      closeSync(log);
    }
  }

  /** The pid of a running process of this name started by this cluster, or null. */
  pid(name: string): number | null {
    const recorded = this.recorded(name);
    return recorded && this.isOurs(recorded.pid, name, recorded.commandLine) ? recorded.pid : null;
  }

  /** The names with a pid file, running or not. */
  names(): string[] {
    if (!existsSync(this.runDir)) return [];
    return readdirSync(this.runDir)
      .filter((file) => file.endsWith('.pid'))
      .map((file) => file.slice(0, -'.pid'.length))
      .sort();
  }

  /** Sends `signal` to the process (and its group) if it is ours, waits until it is gone and forgets it. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.pid(name);
    if (pid !== null) {
      signalGroup(pid, signal);
      await waitUntilGone([pid], `${name} (pid ${pid})`);
    }
    rmSync(this.pidFile(name), { force: true });
  }

  /**
   * Kills every process of this cluster: those of its pid files, then anything else that carries its
   * marker (children a killed process left behind). Returns what was killed.
   */
  async killAll(): Promise<string[]> {
    const killed: string[] = [];
    for (const name of this.names()) {
      if (this.pid(name) !== null) killed.push(name);
      await this.kill(name);
    }
    const strays = processesMarked(`${this.stateDir}#`);
    for (const stray of strays) signalOne(stray.pid, 'SIGKILL');
    await waitUntilGone(
      strays.map((s) => s.pid),
      `leftover processes ${strays.map((s) => `${s.pid} (${s.marker})`).join(', ')}`,
    );
    return [...killed, ...strays.map((s) => `${s.marker.split('#')[1]} child ${s.pid}`)];
  }

  private marker(name: string): string {
    return `${this.stateDir}#${name}`;
  }

  private pidFile(name: string): string {
    return join(this.runDir, `${name}.pid`);
  }

  private recorded(name: string): { pid: number; commandLine: string } | null {
    try {
      const [pid, commandLine] = readFileSync(this.pidFile(name), 'utf8').split('\n');
      return /^\d+$/.test(pid ?? '') ? { pid: Number(pid), commandLine: commandLine ?? '' } : null;
    } catch {
      return null;
    }
  }

  private isOurs(pid: number, name: string, commandLine: string): boolean {
    const proc = readProc(pid);
    return proc !== null && proc.commandLine === commandLine && proc.environ.includes(`${MARKER}=${this.marker(name)}`);
  }
}

interface ProcInfo {
  /** argv joined by NUL, as in /proc/<pid>/cmdline (without the trailing NUL). */
  commandLine: string;
  environ: string[];
}

/** What /proc says of a live process; null when it is gone or a zombie (no command line). */
function readProc(pid: number): ProcInfo | null {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
    if (!commandLine) return null;
    return { commandLine, environ: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0') };
  } catch {
    return null;
  }
}

function processesMarked(prefix: string): Array<{ pid: number; marker: string }> {
  const found: Array<{ pid: number; marker: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const marker = readProc(Number(entry))
      ?.environ.find((v) => v.startsWith(`${MARKER}=`))
      ?.slice(MARKER.length + 1);
    if (marker?.startsWith(prefix)) found.push({ pid: Number(entry), marker });
  }
  return found;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    signalOne(pid, signal);
  }
}

function signalOne(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export function isAlive(pid: number): boolean {
  return readProc(pid) !== null;
}

async function waitUntilGone(pids: number[], what: string): Promise<void> {
  const deadline = Date.now() + EXIT_TIMEOUT_MS;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) throw new Error(`${what} did not exit within ${EXIT_TIMEOUT_MS / 1000} s`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last lines of a log, for an error that says why something did not come up. */
export function logTail(file: string, lines = 25): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return text ? `last lines of ${file}:\n${text}` : `${file} is empty`;
  } catch {
    return `no log at ${file}`;
  }
}

/**
 * Polls `probe` until it returns a value (not null), at most `timeoutMs`. The error names what did
 * not come up, the last thing the probe saw and the tail of the log that explains it.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null>,
  explain: { logFile?: string; lastSeen?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) {
      const seen = explain.lastSeen ? ` (last seen: ${explain.lastSeen()})` : '';
      const log = explain.logFile ? `\n${logTail(explain.logFile)}` : '';
      throw new Error(`${what} did not come up within ${timeoutMs / 1000} s${seen}${log}`);
    }
    await sleep(200);
  }
}
