import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The compiled command line (`npx tsc -b shared server` first), as an operator runs it. */
export const CLI_MAIN = join(__dirname, '../../server/dist/cli.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node server/dist/cli.js …args` against a database (DATABASE_URL) in its own process, without
 * blocking this one: a test server in the same process keeps answering meanwhile.
 */
export function runCli(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'silent',
        UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'bx-cli-uploads-')),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The invitation code `invite-county-admin` printed. */
export function printedCode(result: CliResult): string {
  const match = /code:\s+([A-Z0-9]{10})\b/.exec(result.stdout);
  if (!match) throw new Error(`no code in the output:\n${result.stdout}\n${result.stderr}`);
  return match[1]!;
}
