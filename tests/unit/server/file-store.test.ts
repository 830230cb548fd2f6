import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ConfigError, loadConfig } from '../../../server/src/config/config.schema';
import type { FileStore } from '../../../server/src/common/files/file-store';
import { LocalFileStore } from '../../../server/src/common/files/local-file-store';
import { BackupError, backupSqlite, restoreSqlite } from '../../../server/src/database/backup';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
}

const S3 = {
  S3_ENDPOINT: 'https://oss-cn-zhengzhou.example.cn',
  S3_BUCKET: 'baoxue-files',
  S3_ACCESS_KEY_ID: 'key-id',
  S3_SECRET_ACCESS_KEY: 'key-secret',
};
const SECRET = 'a-shared-secret-of-forty-characters!!!!!';
/** What a cluster needs besides its files (a shared database, Redis): the tests below vary the file settings only. */
const CLUSTER = { DEPLOYMENT: 'cluster', DATABASE_URL: 'mysql://baoxue:pw@10.0.0.5:3306/baoxue', REDIS_URL: 'redis://10.0.0.6:6379' };

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('choosing the file store (issue 17 item 5)', () => {
  it('keeps files in UPLOAD_DIR by default: a single process needs nothing else', () => {
    expect(loadConfig({}).uploads).toMatchObject({ dir: './data/uploads', store: { kind: 'local' } });
    expect(loadConfig({ UPLOAD_DIR: '/srv/files', S3_REGION: 'cn-north-1' }).uploads.store).toEqual({ kind: 'local' });
  });

  it('uses the S3 bucket once one is named, with its endpoint, region, keys and addressing', () => {
    expect(loadConfig({ ...S3, S3_FORCE_PATH_STYLE: 'true' }).uploads.store).toEqual({
      kind: 's3',
      endpoint: 'https://oss-cn-zhengzhou.example.cn',
      bucket: 'baoxue-files',
      region: 'us-east-1',
      credentials: { accessKeyId: 'key-id', secretAccessKey: 'key-secret' },
      forcePathStyle: true,
    });
    // on AWS itself: no endpoint, and the keys may come from the instance role
    expect(loadConfig({ FILE_STORE: 's3', S3_BUCKET: 'b', S3_REGION: 'cn-north-1' }).uploads.store).toEqual({
      kind: 's3',
      endpoint: null,
      bucket: 'b',
      region: 'cn-north-1',
      credentials: null,
      forcePathStyle: false,
    });
  });

  it('refuses a store it cannot use, naming the setting', () => {
    expect(problems({ FILE_STORE: 's3' })).toEqual(['S3_BUCKET: required when FILE_STORE=s3']);
    expect(problems({ FILE_STORE: 'disk' })).toEqual(['FILE_STORE: must be local or s3']);
    expect(problems({ ...S3, S3_ENDPOINT: 'not a url' })[0]).toMatch(/^S3_ENDPOINT: /);
    expect(problems({ ...S3, S3_SECRET_ACCESS_KEY: '' })).toEqual([
      expect.stringMatching(/^S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither/),
    ]);
    expect(problems({ ...S3, FILE_STORE: 'local' })).toEqual([expect.stringMatching(/^FILE_STORE: local, yet S3_BUCKET is set/)]);
  });

  it('refuses local disk in a cluster, and a cluster without one link secret for every instance', () => {
    expect(problems({ ...CLUSTER, FILE_URL_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^FILE_STORE: a cluster keeps files in an S3-compatible store .*local disk is seen by one instance only/),
    ]);
    expect(problems({ ...CLUSTER, ...S3 })).toEqual([
      'FILE_URL_SECRET: required in cluster mode, so that every instance accepts the links the others sign',
    ]);
    const config = loadConfig({ ...CLUSTER, ...S3, FILE_URL_SECRET: SECRET });
    expect(config.uploads).toMatchObject({ urlSecret: SECRET, store: { kind: 's3', bucket: 'baoxue-files' } });
  });

  it('refuses backup and restore when the files are in a bucket: the archive would hold the database without them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bx-s3-backup-'));
    try {
      const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, ...S3 });
      for (const attempt of [
        backupSqlite(config, join(dir, 'out.tar.gz')),
        restoreSqlite(config, join(dir, 'in.tar.gz'), { force: false }),
      ]) {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BackupError);
        expect((error as BackupError).message).toMatch(/files are in the S3 bucket baoxue-files .*object store's versioning/);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LocalFileStore', () => {
  let dir: string;
  let store: FileStore;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'bx-files-')), 'uploads');
    store = new LocalFileStore(dir);
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('keeps a file under its key in the folder, readable by its owner only, and reads it back as a stream', async () => {
    await store.put('a.jpg', Buffer.from('first'), 'image/jpeg');
    await store.put('a.jpg', Buffer.from('second'), 'image/jpeg');
    expect(readdirSync(dir)).toEqual(['a.jpg']);
    expect(statSync(join(dir, 'a.jpg')).mode & 0o777).toBe(0o600);
    const file = await store.get('a.jpg');
    expect(file?.bytes).toBe(6);
    expect(await text(file!.body)).toBe('second');
    expect(await store.exists('a.jpg')).toBe(true);
    await store.check();
  });

  it('answers null for a missing file, and deletes (twice) without complaint', async () => {
    expect(await store.get('missing.jpg')).toBeNull();
    expect(await store.exists('missing.jpg')).toBe(false);
    await store.put('b.jpg', Buffer.from('x'), 'image/jpeg');
    await store.delete('b.jpg');
    await store.delete('b.jpg');
    expect(existsSync(join(dir, 'b.jpg'))).toBe(false);
  });

  it('never names a path outside its folder', async () => {
    for (const key of ['../escape.jpg', '/etc/passwd', 'a/../../b', '', '.hidden']) {
      await expect(store.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/invalid file key/);
      await expect(store.get(key)).rejects.toThrow(/invalid file key/);
    }
    expect(existsSync(join(dir, '..', 'escape.jpg'))).toBe(false);
  });
});
