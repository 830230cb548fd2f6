import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, copyFile, cp, link, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import { create, extract, type ReadEntry } from 'tar';
import { z } from 'zod';
import type { AppConfig } from '../config/config.schema';
import { openDatabase } from './data-source';
import { migrations } from './migrations';

/**
 * `backup <file>` and `restore <file>` for the embedded SQLite database: one gzipped tar archive holding
 * an online snapshot of the database (SQLite's backup API, consistent while the server writes), the
 * uploads folder (evidence photos, documents) and a manifest with a checksum of every file. MySQL and
 * MariaDB are backed up with their own tools (README, "Running in production").
 */
export const BACKUP_FORMAT = 'baoxue-backup';
const FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const DATABASE = 'database.sqlite';
const UPLOADS = 'uploads';
/** The largest step better-sqlite3's backup takes. */
const ALL_PAGES = 0x7fffffff;
/** Counted into the manifest and printed, so an operator can compare a restore with its backup. */
const COUNTED_TABLES = ['served_counties', 'users', 'children', 'cases', 'tips', 'uploads', 'audit_log'] as const;

const fileEntry = z.object({ path: z.string(), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().min(1),
  createdAt: z.string(),
  database: fileEntry.extend({ migrations: z.array(z.string()), rows: z.record(z.string(), z.number()) }),
  uploads: z.array(fileEntry),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/**
 * A refusal or a bad archive: the message is for the operator. The command exits 65 (refused, like the
 * other operator commands), or 66 when the archive to restore cannot be read at all.
 */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly exitCode: 65 | 66 = 65,
  ) {
    super(message);
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations this server applied to the restored database (a backup of an older version). */
  migrated: string[];
  /** What was there before a `--force` restore, moved aside rather than deleted. */
  keptAside: string[];
}

function sqliteFile(config: AppConfig): string {
  if (config.database.kind !== 'sqlite') {
    throw new BackupError(
      'backup and restore work on the embedded SQLite database, and DATABASE_URL points at MySQL/MariaDB: back it up and ' +
        'restore it with its own tools (`mysqldump --single-transaction` or `mariadb-backup`) and a copy of UPLOAD_DIR ' +
        '(README, "Running in production", 5. Backups)',
    );
  }
  if (config.database.file === ':memory:') throw new BackupError('an in-memory database has nothing to back up or restore');
  return resolve(config.database.file);
}

/** The archive holds UPLOAD_DIR: with files in an S3 bucket it would hold the database without its photos. */
function assertLocalFiles(config: AppConfig): void {
  const store = config.uploads.store;
  if (store.kind === 'local') return;
  throw new BackupError(
    `backup and restore archive the embedded database with UPLOAD_DIR, and the files are in the S3 bucket ${store.bucket} ` +
      "(FILE_STORE=s3): back up the database with its own tools and keep the bucket with the object store's versioning " +
      '(README, "Running in production", 5. Backups)',
  );
}

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent + sep);

/** Writes a backup of the database and the uploads folder to `target` (replaced atomically if it exists). */
export async function backupSqlite(config: AppConfig, target: string, now: Date = new Date()): Promise<BackupResult> {
  assertLocalFiles(config);
  const source = sqliteFile(config);
  const uploadDir = resolve(config.uploads.dir);
  const out = resolve(target);
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source} (DATABASE_URL)`);
  if (isInside(out, uploadDir)) throw new BackupError(`write the backup outside UPLOAD_DIR (${uploadDir})`);
  if (out === source) throw new BackupError('the backup file cannot be the database itself');
  await mkdir(dirname(out), { recursive: true });
  // Staged beside the archive: the same file system, so photos are hard links rather than copies.
  const stage = await mkdtemp(join(dirname(out), '.baoxue-backup-'));
  const partial = `${out}.partial`;
  try {
    await chmod(stage, 0o700);
    const snapshot = join(stage, DATABASE);
    // The online backup API copies a consistent snapshot while the server goes on reading and writing.
    // All pages in one step: the step reads one snapshot (WAL: the server's writes go on meanwhile), so a
    // busy server cannot make the copy start over page by page for ever.
    const live = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      await live.backup(snapshot, { progress: () => ALL_PAGES });
    } finally {
      live.close();
    }
    await chmod(snapshot, 0o600);
    const database = inspectDatabase(snapshot, { standalone: true });
    // After the snapshot: a photo uploaded meanwhile is one more file, never a row without its file.
    const uploads = await stageUploads(uploadDir, join(stage, UPLOADS));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: FORMAT_VERSION,
      createdAt: now.toISOString(),
      database: { path: DATABASE, ...(await describeFile(snapshot)), ...database },
      uploads,
    };
    await writeFile(join(stage, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    // Personal data: the archive is readable by its owner only.
    await create({ gzip: true, file: partial, cwd: stage, portable: true, mode: 0o600 }, [MANIFEST, DATABASE, UPLOADS]);
    await rename(partial, out);
    return { file: out, bytes: (await stat(out)).size, manifest };
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

/**
 * Restores a backup into DATABASE_URL and UPLOAD_DIR, then migrates the database to this version.
 * Refuses while the database is open in another process (the server), and refuses to replace a
 * database or uploads folder that holds anything unless `force`; what it replaces is moved aside.
 */
export async function restoreSqlite(
  config: AppConfig,
  archive: string,
  options: { force: boolean },
  now: Date = new Date(),
): Promise<RestoreResult> {
  assertLocalFiles(config);
  const target = sqliteFile(config);
  const uploadDir = resolve(config.uploads.dir);
  const source = resolve(archive);
  if (!existsSync(source)) throw new BackupError(`there is no file ${archive}`, 66);
  assertNotInUse(target);
  const present = await occupied(target, uploadDir);
  if (present.length && !options.force) {
    throw new BackupError(
      `refusing to overwrite ${present.join(' and ')}. To replace them with the backup, run restore again with --force ` +
        '(what is there now is moved aside, not deleted).',
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const stage = await mkdtemp(join(dirname(target), '.baoxue-restore-'));
  try {
    await chmod(stage, 0o700);
    const manifest = await unpack(source, stage);
    const known = new Set(migrations.map((m) => m.name));
    const unknown = manifest.database.migrations.filter((name) => !known.has(name));
    if (unknown.length) {
      throw new BackupError(
        `the backup was made by a newer version of the server (its migrations ${unknown.join(', ')} are unknown here): restore it with that version`,
      );
    }
    assertNotInUse(target);
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const keptAside = await clearTargets(target, uploadDir, `replaced-${stamp}`);
    await rename(join(stage, DATABASE), target);
    await moveDirectory(join(stage, UPLOADS), uploadDir);
    await chmod(uploadDir, 0o700);

    // Migrations run now, not at the next start, so a failure shows here while the backup is at hand.
    const dataSource = await openDatabase(config.database);
    let applied: string[];
    try {
      applied = ((await dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((row) => row.name);
    } finally {
      await dataSource.destroy();
    }
    const before = new Set(manifest.database.migrations);
    return { manifest, migrated: applied.filter((name) => !before.has(name)), keptAside };
  } finally {
    // An archive that breaks off mid-file fails the extraction while tar still writes that file into
    // the stage: its last write can land between the removal's emptying and its rmdir (ENOTEMPTY),
    // so the removal tries again a little later.
    await rm(stage, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

/** Integrity, applied migrations and row counts of a database file we hold (a snapshot, an extracted copy). */
function inspectDatabase(file: string, options: { standalone: boolean }): Pick<BackupManifest['database'], 'migrations' | 'rows'> {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (error) {
    throw new BackupError(`the database in the backup cannot be opened (${(error as Error).message})`);
  }
  try {
    // A snapshot in one file: no write-ahead log to carry along (the server turns WAL back on at start).
    if (options.standalone) db.pragma('journal_mode = DELETE');
    const check = db.pragma('integrity_check', { simple: true }) as string;
    if (check !== 'ok') throw new BackupError(`the database in the backup is damaged (integrity check: ${check})`);
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const applied = tables.has('migrations')
      ? (db.prepare('SELECT name FROM migrations ORDER BY timestamp, id').pluck().all() as string[])
      : [];
    const rows: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (tables.has(table)) rows[table] = db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    }
    return { migrations: applied, rows };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`the database in the backup cannot be read (${(error as Error).message})`);
  } finally {
    db.close();
  }
}

async function describeFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Hard-links (or copies) every file of the uploads folder into `dest` and describes it. */
async function stageUploads(uploadDir: string, dest: string): Promise<BackupManifest['uploads']> {
  await mkdir(dest, { mode: 0o700 });
  const staged: BackupManifest['uploads'] = [];
  const walk = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no uploads yet
      throw error;
    }
    for (const name of names) {
      const from = join(dir, name);
      const rel = relative(uploadDir, from);
      const to = join(dest, rel);
      const info = await lstat(from).catch(() => null);
      if (!info) continue; // deleted since the listing (retention)
      if (info.isDirectory()) {
        await mkdir(to, { mode: 0o700 });
        await walk(from);
      } else if (info.isFile()) {
        try {
          await link(from, to).catch(async (error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') throw error;
            await copyFile(from, to);
          });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw error;
        }
        staged.push({ path: rel.split(sep).join('/'), ...(await describeFile(to)) });
      }
      // anything else (a link, a socket) is not something the server wrote: left out
    }
  };
  await walk(uploadDir);
  return staged;
}

/** Refuses while another process (a running server) has the database open. */
function assertNotInUse(file: string): void {
  if (!existsSync(file)) return;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    // An exclusive lock is refused while any other connection, even an idle one, holds the database.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new BackupError(`the database ${file} is in use: stop the server (and anything else using it), then restore`);
    }
    if (code !== 'SQLITE_NOTADB') throw error;
  } finally {
    db?.close();
  }
}

/** What a restore would overwrite: a database holding tables, an uploads folder holding files. */
async function occupied(target: string, uploadDir: string): Promise<string[]> {
  const present: string[] = [];
  if (existsSync(target) && (await stat(target)).size > 0) {
    let tables = 0;
    try {
      const db = new Database(target, { readonly: true, fileMustExist: true });
      try {
        tables = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
      } finally {
        db.close();
      }
    } catch {
      tables = -1; // not a database: still something an operator may want
    }
    if (tables !== 0) present.push(tables > 0 ? `the database ${target} (${plural(tables, 'table')})` : `the file ${target}`);
  }
  const files = await readdir(uploadDir).catch(() => [] as string[]);
  if (files.length) present.push(`the uploads folder ${uploadDir} (${plural(files.length, 'file')})`);
  return present;
}

/** Extracts and checks an archive: only the expected entries, every checksum, a sound database. */
async function unpack(archive: string, stage: string): Promise<BackupManifest> {
  const unexpected: string[] = [];
  try {
    await extract({
      file: archive,
      cwd: stage,
      strict: true,
      filter: (path, entry) => {
        const name = path.replace(/^\.\//, '').replace(/\/$/, '');
        const type = (entry as ReadEntry).type;
        const expected =
          ((name === MANIFEST || name === DATABASE) && type === 'File') ||
          (name === UPLOADS && type === 'Directory') ||
          (name.startsWith(`${UPLOADS}/`) && !name.split('/').includes('..') && (type === 'File' || type === 'Directory'));
        if (!expected) unexpected.push(name);
        return expected;
      },
    });
  } catch (error) {
    throw new BackupError(`${archive} is not a readable backup archive (${(error as Error).message})`);
  }
  if (unexpected.length) throw new BackupError(`${archive} is not a baoxue backup: it holds ${unexpected.slice(0, 5).join(', ')}`);
  let manifest: BackupManifest;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(join(stage, MANIFEST), 'utf8')));
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    manifest = parsed.data;
  } catch (error) {
    throw new BackupError(`${archive} is not a baoxue backup (manifest: ${(error as Error).message})`);
  }
  if (manifest.version > FORMAT_VERSION) {
    throw new BackupError(`${archive} has backup format ${manifest.version}, newer than this server reads (${FORMAT_VERSION})`);
  }
  const damaged: string[] = [];
  const check = async (entry: { path: string; bytes: number; sha256: string }, file: string) => {
    const actual = existsSync(file) ? await describeFile(file) : null;
    if (!actual) damaged.push(`${entry.path} is missing`);
    else if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) damaged.push(`${entry.path} does not match its checksum`);
  };
  await check(manifest.database, join(stage, DATABASE));
  const listed = new Set<string>();
  for (const upload of manifest.uploads) {
    if (upload.path.split('/').includes('..')) damaged.push(`${upload.path} is outside the uploads folder`);
    else await check({ ...upload, path: `${UPLOADS}/${upload.path}` }, join(stage, UPLOADS, upload.path));
    listed.add(upload.path);
  }
  for (const extra of (await protectAndList(join(stage, UPLOADS))).filter((path) => !listed.has(path))) {
    damaged.push(`${UPLOADS}/${extra} is not in the manifest`);
  }
  if (damaged.length) {
    const more = damaged.length > 5 ? ` and ${damaged.length - 5} more` : '';
    throw new BackupError(`${archive} is damaged: ${damaged.slice(0, 5).join('; ')}${more}`);
  }
  inspectDatabase(join(stage, DATABASE), { standalone: false });
  await chmod(join(stage, DATABASE), 0o600);
  return manifest;
}

/** The files under `root`, made readable by their owner only (restored photos are personal data). */
async function protectAndList(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await protectAndList(root, full)));
    else {
      await chmod(full, 0o600);
      files.push(relative(root, full).split(sep).join('/'));
    }
  }
  return files;
}

/** Makes room for the restored files: moves what is there aside (`--force` was checked before). */
async function clearTargets(target: string, uploadDir: string, suffix: string): Promise<string[]> {
  const kept: string[] = [];
  if (existsSync(target)) {
    if ((await stat(target)).size > 0) {
      await rename(target, `${target}.${suffix}`);
      kept.push(`${target}.${suffix}`);
    } else {
      await rm(target);
    }
  }
  // A write-ahead log left beside the old file would be replayed into the restored one.
  for (const companion of ['-wal', '-shm', '-journal']) {
    if (existsSync(target + companion)) await rename(target + companion, `${target}.${suffix}${companion}`);
  }
  if (existsSync(uploadDir)) {
    if ((await readdir(uploadDir)).length) {
      await rename(uploadDir, `${uploadDir}.${suffix}`);
      kept.push(`${uploadDir}.${suffix}`);
    } else {
      await rmdir(uploadDir);
    }
  }
  return kept;
}

/** Renames a folder into place, or copies it when the uploads folder is on another file system. */
async function moveDirectory(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true });
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const describeRows = (rows: Record<string, number>) =>
  Object.entries(rows)
    .map(([table, count]) => `${table} ${count}`)
    .join(', ');

/** A refusal or a bad archive is one line for the operator and its exit code; anything else is a crash with its stack. */
async function refusalToExitCode<T>(command: string, run: () => Promise<T>): Promise<T | number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`${command}: ${error.message}`);
    return error.exitCode;
  }
}

/** `backup <file>`: prints what the archive holds. */
export async function backupCommand(config: AppConfig, args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error('usage: backup <file>   e.g. backup /var/backups/baoxue/baoxue-$(date +%F).tar.gz');
    return 64;
  }
  const started = Date.now();
  const done = await refusalToExitCode('backup', () => backupSqlite(config, args[0]!));
  if (typeof done === 'number') return done;
  const { file, bytes, manifest } = done;
  console.log(`backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`  database: ${describeRows(manifest.database.rows)}; ${plural(manifest.database.migrations.length, 'migration')}`);
  console.log(`  uploads: ${plural(manifest.uploads.length, 'file')}`);
  return 0;
}

/** `restore <file> [--force]`: prints what was restored, migrated and moved aside. */
export async function restoreCommand(config: AppConfig, args: string[]): Promise<number> {
  const force = args.includes('--force');
  const files = args.filter((arg) => arg !== '--force');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    console.error('usage: restore <file> [--force]   (stop the server first; --force replaces a database that holds data)');
    return 64;
  }
  const done = await refusalToExitCode('restore', () => restoreSqlite(config, files[0]!, { force }));
  if (typeof done === 'number') return done;
  const { manifest, migrated, keptAside } = done;
  console.log(`restored the backup of ${manifest.createdAt}`);
  console.log(`  database: ${describeRows(manifest.database.rows)}`);
  console.log(`  uploads: ${plural(manifest.uploads.length, 'file')}`);
  console.log(migrated.length ? `  migrated to this version: ${migrated.join(', ')}` : '  the database is up to date');
  for (const path of keptAside) console.log(`  the replaced data is kept at ${path}: delete it once the restore is checked`);
  return 0;
}
