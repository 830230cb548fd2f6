import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseDetail, ResponseOf } from '@baoxue/shared';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { create, extract } from 'tar';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../server/src/config/config.schema';
import { createLogger } from '../../server/src/common/logging/logger';
import { BackupError, restoreSqlite } from '../../server/src/database/backup';
import { dataSourceOptions } from '../../server/src/database/data-source';
import { migrations } from '../../server/src/database/migrations';
import { startServer, type RunningServer } from '../../server/src/main';
import { signInAs, type ApiClient } from '../support/api';
import { createTestDatabase, currentDatabaseKind, MYSQL_SERVER_URL, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, imageForm, photoWithGps, raiseTipLimit } from '../support/tips';

/**
 * Issue 15 item 6: `backup <file>` takes an online snapshot of the embedded SQLite database and the
 * uploads folder into one archive while the server goes on writing; `restore <file>` puts it into a
 * fresh database and uploads folder, where a server finds the same records and photos, refuses to
 * overwrite data without --force (or while the server runs), refuses damaged archives, and migrates
 * a backup of an older version. MySQL/MariaDB are backed up with the README's mysqldump steps.
 */
const CLI = join(__dirname, '../../server/dist/cli.js');
const kind = currentDatabaseKind();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The operator's command, run as its own process (asynchronously: the server in this process keeps serving). */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', APP_MODE: 'test', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A tip with an evidence photo: the case it opened. */
async function caseWithPhoto(server: TestServer, supervisor: ApiClient, childName: string): Promise<{ tipId: string; caseId: string }> {
  const uploaded = await supervisor.post<{ id: string }>('/uploads?purpose=tip_evidence', imageForm(await photoWithGps(800, 600)));
  expect(uploaded.status).toBe(201);
  const tip = await fileTip(supervisor, { photoId: uploaded.body.id, child: { name: childName } });
  expect(tip.status).toBe(201);
  const [row] = (await server.dataSource.query('SELECT case_id AS caseId FROM tips WHERE id = ?', [tip.body.tip.id])) as Array<{
    caseId: string;
  }>;
  return { tipId: tip.body.tip.id, caseId: row!.caseId };
}

async function photoOf(baseUrl: string, client: ApiClient, caseId: string): Promise<Buffer> {
  const detail = await client.get<CaseDetail>(`/cases/${caseId}`);
  expect(detail.status).toBe(200);
  const response = await fetch(`${baseUrl}${detail.body.tips[0]!.photoUrl!}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function sqliteCount(file: string, sql: string, ...params: string[]): number {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  } finally {
    db.close();
  }
}

(kind === 'sqlite' ? describe : describe.skip)('backup and restore of the embedded SQLite database', () => {
  let work: string;
  let server: TestServer;
  let liveEnv: Record<string, string>;
  let supervisor: ApiClient;
  let cadre: ApiClient;
  let archive: string;
  let original: { caseId: string; photo: Buffer; childName: string };
  const fresh = () => {
    const dir = mkdtempSync(join(work, 'restored-'));
    return { dir, env: { DATABASE_URL: `sqlite:${join(dir, 'data', 'baoxue.sqlite')}`, UPLOAD_DIR: join(dir, 'data', 'uploads') } };
  };
  const startOn = async (env: Record<string, string>): Promise<RunningServer> =>
    startServer(
      loadConfig({ APP_MODE: 'test', PORT: '0', HOST: '127.0.0.1', H5_DIR: '', SEED_DEMO: 'false', LOG_LEVEL: 'silent', ...env }),
      createLogger('silent'),
    );
  const origin = (running: RunningServer) => running.url.replace('localhost', '127.0.0.1');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'bx-backup-'));
    const uploads = join(work, 'live-uploads');
    server = await startTestServer({ env: { UPLOAD_DIR: uploads } });
    liveEnv = { DATABASE_URL: `sqlite:${(server.dataSource.options as { database: string }).database}`, UPLOAD_DIR: uploads };
    [supervisor, cadre] = await Promise.all(['supervisor', 'township-cadre'].map((a) => signInAs(server, a)));
    await raiseTipLimit(server.dataSource);
    archive = join(work, 'backups', 'baoxue-2026-12-05.tar.gz');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up while the server writes, and a fresh database and uploads folder restored from it hold the same records and photos', async () => {
    const childName = '备份前的孩子';
    const { tipId, caseId } = await caseWithPhoto(server, supervisor, childName);
    const photo = await photoOf(server.baseUrl, cadre, caseId);
    original = { caseId, photo, childName };
    const admin = await signInAs(server, 'county-admin');
    expect((await admin.request('PUT', '/county/settings', { acknowledgeHours: 12, complaintAnswerDays: 3 })).status).toBe(200);

    // tips keep arriving while the backup runs: it is an online backup
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        expect((await fileTip(supervisor, { child: { name: `备份中${written}` } })).status).toBe(201);
        written += 1;
      }
    })();
    const backup = await cli(['backup', archive], liveEnv);
    writing = false;
    await writer;
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^backup written to .*baoxue-2026-12-05\.tar\.gz/);
    expect(backup.stdout).toMatch(/uploads: 1 file\b/);
    expect(written).toBeGreaterThan(0);
    // personal data: only its owner may read the archive; nothing half-written is left beside it
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(work, 'backups'))).toEqual(['baoxue-2026-12-05.tar.gz']);
    expect((await fileTip(supervisor, { child: { name: '备份之后的孩子' } })).status).toBe(201);

    const target = fresh();
    const restore = await cli(['restore', archive], target.env);
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(restore.stdout).toMatch(/restored the backup of \d{4}-\d\d-\d\dT/);
    expect(restore.stdout).toContain('the database is up to date');
    const restoredFile = target.env.DATABASE_URL.slice('sqlite:'.length);
    expect(statSync(restoredFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(target.env.UPLOAD_DIR)).toHaveLength(1);

    // a consistent snapshot: every tip written during the backup is there whole (tip, case, child) or not at all
    const orphans = `SELECT COUNT(*) FROM tips t LEFT JOIN cases c ON c.id = t.case_id LEFT JOIN children ch ON ch.id = c.child_id
                      WHERE c.id IS NULL OR ch.id IS NULL`;
    expect(sqliteCount(restoredFile, orphans)).toBe(0);
    expect(sqliteCount(restoredFile, "SELECT COUNT(*) FROM children WHERE name = '备份之后的孩子'")).toBe(0);
    expect(backup.stdout).toContain(`tips ${sqliteCount(restoredFile, 'SELECT COUNT(*) FROM tips')}`);

    const running = await startOn(target.env);
    try {
      const restored = { apiUrl: `${origin(running)}/api` };
      const official = await signInAs(restored, 'township-cadre');
      const detail = await official.get<CaseDetail>(`/cases/${caseId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.child.name).toBe(childName);
      expect(await photoOf(origin(running), official, caseId)).toEqual(photo);
      const settings = await (await signInAs(restored, 'county-admin')).get<ResponseOf<'countySettingsGet'>>('/county/settings');
      expect(settings.body).toMatchObject({ acknowledgeHours: 12, complaintAnswerDays: 3 });
      // the supervisor still has their tip, photo and all
      const mine = await (
        await signInAs(restored, 'supervisor')
      ).get<{ child: { name: string }; photoUrl: string | null }>(`/tips/${tipId}`);
      expect(mine.body).toMatchObject({ child: { name: childName }, photoUrl: expect.stringContaining('/api/uploads/') });

      // while a server has it open, even --force is refused
      const busy = await cli(['restore', archive, '--force'], target.env);
      expect(busy.code).toBe(65);
      expect(busy.stderr).toMatch(/^restore: the database .* is in use: stop the server/);
    } finally {
      await running.close();
    }
  }, 120_000);

  it('refuses to overwrite a database or uploads that hold data without --force; with it, moves them aside', async () => {
    const target = fresh();
    expect((await cli(['restore', archive], target.env)).code).toBe(0);
    const file = target.env.DATABASE_URL.slice('sqlite:'.length);
    // the county's data changes after the restore…
    const db = new Database(file);
    db.prepare("UPDATE children SET name = '恢复后改过的名字' WHERE name = ?").run(original.childName);
    db.close();

    const refused = await cli(['restore', archive], target.env);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(
      /^restore: refusing to overwrite the database .*baoxue\.sqlite \(\d+ tables\) and the uploads folder .*uploads \(1 file\)/,
    );
    expect(refused.stderr).toContain('--force');
    expect(sqliteCount(file, "SELECT COUNT(*) FROM children WHERE name = '恢复后改过的名字'")).toBe(1);

    // a database alone (photos elsewhere) is refused as well
    rmSync(target.env.UPLOAD_DIR, { recursive: true });
    expect((await cli(['restore', archive], target.env)).stderr).toMatch(/refusing to overwrite the database/);

    const forced = await cli(['restore', archive, '--force'], target.env);
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(forced.stdout).toMatch(/the replaced data is kept at .*baoxue\.sqlite\.replaced-\d{8}T\d{6}Z/);
    expect(sqliteCount(file, 'SELECT COUNT(*) FROM children WHERE name = ?', original.childName)).toBe(1);
    const aside = readdirSync(join(target.dir, 'data')).find(
      (name) => /^baoxue\.sqlite\.replaced-/.test(name) && !/-(wal|shm)$/.test(name),
    )!;
    expect(sqliteCount(join(target.dir, 'data', aside), "SELECT COUNT(*) FROM children WHERE name = '恢复后改过的名字'")).toBe(1);
    expect(readdirSync(target.env.UPLOAD_DIR)).toHaveLength(1);
  }, 60_000);

  it('refuses a damaged or foreign archive and leaves the target as it was', async () => {
    const bad = join(work, 'bad');
    await mkdir(bad, { recursive: true });
    const bytes = readFileSync(archive);
    // cut short (a copy that stopped half-way)
    writeFileSync(join(bad, 'truncated.tar.gz'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    // a photo changed after the backup was made
    const unpacked = join(bad, 'unpacked');
    await mkdir(unpacked);
    await extract({ file: archive, cwd: unpacked });
    const photo = readdirSync(join(unpacked, 'uploads'))[0]!;
    writeFileSync(join(unpacked, 'uploads', photo), Buffer.from('not the photo'));
    await create({ gzip: true, file: join(bad, 'altered.tar.gz'), cwd: unpacked }, ['manifest.json', 'database.sqlite', 'uploads']);
    // a photo smuggled in that the manifest does not list
    writeFileSync(join(unpacked, 'uploads', photo), readFileSync(join(unpacked, 'uploads', photo)));
    await extract({ file: archive, cwd: unpacked });
    writeFileSync(join(unpacked, 'uploads', 'extra.jpg'), Buffer.from('extra'));
    await create({ gzip: true, file: join(bad, 'extra.tar.gz'), cwd: unpacked }, ['manifest.json', 'database.sqlite', 'uploads']);
    // some other archive
    writeFileSync(join(bad, 'notes.txt'), 'hello');
    await create({ gzip: true, file: join(bad, 'other.tar.gz'), cwd: bad }, ['notes.txt']);

    for (const [name, message] of [
      ['truncated.tar.gz', /is not a readable backup archive/],
      ['altered.tar.gz', /is damaged: uploads\/.* does not match its checksum/],
      ['extra.tar.gz', /is damaged: uploads\/extra\.jpg is not in the manifest/],
      ['other.tar.gz', /is not a baoxue backup: it holds notes\.txt/],
      ['missing.tar.gz', /there is no file/],
    ] as const) {
      const target = fresh();
      await expect(restoreSqlite(loadConfig({ APP_MODE: 'test', ...target.env }), join(bad, name), { force: true })).rejects.toThrow(
        expect.objectContaining({ constructor: BackupError, message: expect.stringMatching(message) }),
      );
      expect(existsSync(target.env.DATABASE_URL.slice('sqlite:'.length))).toBe(false);
      expect(existsSync(target.env.UPLOAD_DIR)).toBe(false);
      // no staging folder left behind
      expect(existsSync(join(target.dir, 'data')) ? readdirSync(join(target.dir, 'data')) : []).toEqual([]);
    }
    // the operator reads one line and the command exits 65 (66: no archive to read); a wrong call is a usage error (64)
    const run = await cli(['restore', join(bad, 'altered.tar.gz')], fresh().env);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^restore: .*altered\.tar\.gz is damaged: uploads\/.* does not match its checksum\n$/);
    expect((await cli(['restore', join(bad, 'missing.tar.gz')], fresh().env)).code).toBe(66);
    expect((await cli(['restore'], fresh().env)).code).toBe(64);
    expect((await cli(['backup'], liveEnv)).code).toBe(64);
  }, 120_000);

  it('migrates the backup of an older version after restoring it', async () => {
    const older = fresh();
    const file = older.env.DATABASE_URL.slice('sqlite:'.length);
    const config = loadConfig({ APP_MODE: 'test', ...older.env });
    const previous = new DataSource({ ...dataSourceOptions(config.database), migrations: migrations.slice(0, -1) });
    await previous.initialize();
    await previous.runMigrations({ transaction: 'each' });
    await previous.destroy();
    expect(sqliteCount(file, 'SELECT COUNT(*) FROM migrations')).toBe(migrations.length - 1);

    const oldArchive = join(work, 'backups', 'older.tar.gz');
    const backup = await cli(['backup', oldArchive], older.env);
    expect(backup.code).toBe(0);
    // the backup leaves the database it copies as it was: no migration ran on it
    expect(sqliteCount(file, 'SELECT COUNT(*) FROM migrations')).toBe(migrations.length - 1);

    const target = fresh();
    const restore = await cli(['restore', oldArchive], target.env);
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(restore.stdout).toContain(`migrated to this version: ${migrations.at(-1)!.name}`);
    expect(sqliteCount(target.env.DATABASE_URL.slice('sqlite:'.length), 'SELECT COUNT(*) FROM migrations')).toBe(migrations.length);
  }, 60_000);
});

/** The README's MySQL/MariaDB steps, run as written: a dump of the live database restored into a new one. */
(kind === 'mysql' ? describe : describe.skip)('backups of MySQL/MariaDB', () => {
  const server = new URL(MYSQL_SERVER_URL);
  const clientArgs = ['-h', server.hostname, '-P', server.port || '3306', '-u', decodeURIComponent(server.username || 'root')];
  if (server.password) clientArgs.push(`-p${decodeURIComponent(server.password)}`);
  const which = (names: string[]) => names.find((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0);
  const dumpTool = which(['mariadb-dump', 'mysqldump']);
  const clientTool = which(['mariadb', 'mysql']);

  it('points the backup command at mysqldump and mariadb-backup', async () => {
    const run = await cli(['backup', join(tmpdir(), 'never.tar.gz')], { DATABASE_URL: `${MYSQL_SERVER_URL}/baoxue` });
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^backup: .*mysqldump --single-transaction.*mariadb-backup/);
  });

  it('restores a mysqldump --single-transaction of the live database and a copy of its uploads: the same records and photos', async () => {
    if (!dumpTool || !clientTool) {
      if (process.env.CI) throw new Error('mariadb-dump/mysqldump and the mariadb client are needed on CI');
      console.warn('⚠ skipping the MySQL dump round trip: no mariadb-dump/mysqldump on this machine');
      return;
    }
    const work = mkdtempSync(join(tmpdir(), 'bx-dump-'));
    const live = await startTestServer({ env: { UPLOAD_DIR: join(work, 'live', 'uploads') } });
    let copy: TestDatabase | null = null;
    try {
      const [supervisor, cadre] = await Promise.all(['supervisor', 'township-cadre'].map((a) => signInAs(live, a)));
      const { caseId } = await caseWithPhoto(live, supervisor, '导出前的孩子');
      const photo = await photoOf(live.baseUrl, cadre, caseId);
      const liveUrl = (live.dataSource.options as { url: string }).url;

      // README, "Backups": the dump, and the uploads folder beside it
      const dump = join(work, 'baoxue.sql');
      const dumped = spawnSync(
        dumpTool,
        [
          ...clientArgs,
          '--single-transaction',
          '--quick',
          '--routines',
          '--default-character-set=utf8mb4',
          `--result-file=${dump}`,
          new URL(liveUrl).pathname.slice(1),
        ],
        { encoding: 'utf8' },
      );
      expect({ status: dumped.status, stderr: dumped.stderr }).toEqual({ status: 0, stderr: '' });
      const uploadsArchive = join(work, 'uploads.tar.gz');
      expect(spawnSync('tar', ['czf', uploadsArchive, '-C', join(work, 'live'), 'uploads']).status).toBe(0);

      // …restored into an empty database and a new data folder
      copy = await createTestDatabase('mysql');
      const loaded = spawnSync(clientTool, [...clientArgs, new URL(copy.url).pathname.slice(1)], {
        input: readFileSync(dump),
        encoding: 'utf8',
      });
      expect({ status: loaded.status, stderr: loaded.stderr }).toEqual({ status: 0, stderr: '' });
      await mkdir(join(work, 'restored'));
      expect(spawnSync('tar', ['xzf', uploadsArchive, '-C', join(work, 'restored')]).status).toBe(0);

      // every table holds the same rows
      const counts = async (url: string) => {
        const connection = await createConnection(url);
        try {
          const [tables] = await connection.query('SHOW TABLES');
          const result: Record<string, number> = {};
          for (const row of tables as Array<Record<string, string>>) {
            const table = Object.values(row)[0]!;
            const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
            result[table] = Number((rows as Array<{ n: number }>)[0]!.n);
          }
          return result;
        } finally {
          await connection.end();
        }
      };
      const before = await counts(liveUrl);
      expect(before.children).toBeGreaterThan(0);
      expect(await counts(copy.url)).toEqual(before);

      // the copy is up to date for this version, and a server on it shows the case, Chinese intact, with its photo
      expect(await cli(['migrate'], { DATABASE_URL: copy.url })).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
      const running = await startServer(
        loadConfig({
          APP_MODE: 'test',
          PORT: '0',
          HOST: '127.0.0.1',
          H5_DIR: '',
          SEED_DEMO: 'false',
          LOG_LEVEL: 'silent',
          DATABASE_URL: copy.url,
          UPLOAD_DIR: join(work, 'restored', 'uploads'),
        }),
        createLogger('silent'),
      );
      try {
        const restoredOrigin = running.url.replace('localhost', '127.0.0.1');
        const official = await signInAs({ apiUrl: `${restoredOrigin}/api` }, 'township-cadre');
        const detail = await official.get<CaseDetail>(`/cases/${caseId}`);
        expect(detail.body.child.name).toBe('导出前的孩子');
        expect(await photoOf(restoredOrigin, official, caseId)).toEqual(photo);
      } finally {
        await running.close();
      }
    } finally {
      await live.close();
      await copy?.drop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
