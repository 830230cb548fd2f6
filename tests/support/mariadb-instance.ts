import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './process';

/**
 * A MariaDB server of the test's own, on its own port and data directory, so it can be stopped
 * under the application without touching the machine's shared one. Authentication is off.
 */
export class MariadbInstance {
  private process: ChildProcess | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<MariadbInstance> {
    const dir = mkdtempSync(join(tmpdir(), 'bx-mariadb-'));
    chownSync(dir, uid('mysql'), gid('mysql'));
    const installed = spawnSync(
      'mariadb-install-db',
      [`--datadir=${dir}/data`, '--user=mysql', '--skip-test-db', '--auth-root-authentication-method=normal'],
      { encoding: 'utf8' },
    );
    if (installed.status !== 0) throw new Error(`mariadb-install-db failed: ${installed.stderr}`);
    const instance = new MariadbInstance(dir, await freePort());
    await instance.start();
    return instance;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('/usr/sbin/mariadbd', [
      `--datadir=${this.dir}/data`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${this.dir}/mariadb.sock`,
      `--pid-file=${this.dir}/mariadb.pid`,
      `--log-error=${this.dir}/error.log`,
      '--user=mysql',
      '--skip-grant-tables',
      '--skip-log-bin',
    ]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const connection = await createConnection({ uri: this.url, connectTimeout: 1000 });
        await connection.end();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error('MariaDB did not start');
  }

  /** Stops the server the way an outage would: at once, with clients connected. */
  async stop(): Promise<void> {
    if (!this.process) return;
    const exited = once(this.process, 'exit');
    this.process.kill('SIGKILL');
    await exited;
    this.process = null;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async createDatabase(name: string): Promise<string> {
    const connection = await createConnection(this.url);
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.end();
    return `${this.url}/${name}`;
  }
}

function uid(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}

function gid(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}
