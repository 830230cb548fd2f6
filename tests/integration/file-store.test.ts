import { existsSync, readdirSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import type { ApiErrorBody, CaseDetail } from '@baoxue/shared';
import { APP_CONFIG, type AppConfig } from '../../server/src/config/config.schema';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { RetentionService } from '../../server/src/modules/cases/retention.service';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { Upload } from '../../server/src/modules/uploads/upload.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestS3, type TestS3 } from '../support/s3';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, imageForm, photoWithGps, raiseTipLimit } from '../support/tips';

const YEAR_MS = 365.25 * 86_400_000;

/**
 * Issue 17 item 5: two instances of one deployment (one database) keep their files in one S3 bucket
 * (s3rver here): a photo uploaded through one is read through the other with the link either signed,
 * retention deletes it from the bucket, and a file missing from the bucket is a 404 in Chinese.
 */
describe('files in an S3 bucket shared by two instances', () => {
  let s3: TestS3;
  let a: TestServer;
  let b: TestServer;
  let supervisorA: ApiClient;
  let cadreB: ApiClient;

  beforeAll(async () => {
    s3 = await startTestS3();
    a = await startTestServer({ env: s3.env });
    b = await startTestServer({ databaseUrl: a.databaseUrl, seedDemo: false, env: s3.env });
    supervisorA = await signInAs(a, 'supervisor');
    cadreB = await signInAs(b, 'township-cadre');
    await raiseTipLimit(a.dataSource);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await s3?.close();
  });

  const localFiles = (server: TestServer) => readdirSync(server.app.get<AppConfig>(APP_CONFIG).uploads.dir);

  /** A tip with a photo, filed through A; the case's photo link as B hands it out. */
  async function tipWithPhoto(name: string): Promise<{ photoId: string; caseId: string; linkFromA: string; linkFromB: string }> {
    const uploaded = await supervisorA.post<{ id: string; url: string }>(
      '/uploads?purpose=tip_evidence',
      imageForm(await photoWithGps(320, 240)),
    );
    expect(uploaded.status).toBe(201);
    const filed = await fileTip(supervisorA, { photoId: uploaded.body.id, child: { name } });
    expect(filed.status).toBe(201);
    const { caseId } = await a.dataSource.manager.findOneByOrFail(Tip, { id: filed.body.tip.id });
    const detail = await cadreB.get<CaseDetail>(`/cases/${caseId}`);
    expect(detail.status).toBe(200);
    return { photoId: uploaded.body.id, caseId, linkFromA: uploaded.body.url, linkFromB: detail.body.tips[0]!.photoUrl! };
  }

  it('reads through B a photo uploaded through A, with a link signed by either; nothing is kept on local disk', async () => {
    const { photoId, linkFromA, linkFromB } = await tipWithPhoto('桶中照片');
    expect(await s3.has(`${photoId}.jpg`)).toBe(true);
    expect([...localFiles(a), ...localFiles(b)]).toEqual([]);

    const throughB = await fetch(`${b.baseUrl}${linkFromA}`);
    expect(throughB.status).toBe(200);
    expect(throughB.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await throughB.arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(Number(throughB.headers.get('content-length'))).toBe(bytes.length);
    const stored = await b.dataSource.manager.findOneByOrFail(Upload, { id: photoId });
    expect(bytes.length).toBe(stored.bytes);

    const throughA = await fetch(`${a.baseUrl}${linkFromB}`);
    expect(throughA.status).toBe(200);
    expect(Buffer.from(await throughA.arrayBuffer())).toEqual(bytes);
  });

  it('answers 404 in Chinese, not 500, for a photo missing from the bucket', async () => {
    const { photoId, linkFromB } = await tipWithPhoto('丢失照片');
    await s3.remove(`${photoId}.jpg`);
    for (const server of [a, b]) {
      const response = await fetch(`${server.baseUrl}${linkFromB}`);
      expect(response.status).toBe(404);
      const body = (await response.json()) as ApiErrorBody;
      expect(body).toMatchObject({ code: 'NOT_FOUND', message: '图片不存在或已被删除' });
    }
  });

  it('deletes a photo from the bucket when retention strips its case, whichever instance runs it', async () => {
    const old = await tipWithPhoto('桶中旧案');
    const recent = await tipWithPhoto('桶中新案');
    const closedAt = new Date(a.clock.now().getTime() - 6 * YEAR_MS);
    await a.dataSource.manager.update(DropoutCase, { id: old.caseId }, { status: 'closed', closedAt, openedAt: closedAt });

    const result = await b.app.get(RetentionService).run();
    expect(result).toMatchObject({ cases: 1, photos: 1 });
    expect(await s3.has(`${old.photoId}.jpg`)).toBe(false);
    expect(await s3.has(`${recent.photoId}.jpg`)).toBe(true);
    expect(await a.dataSource.manager.findOneBy(Upload, { id: old.photoId })).toBeNull();
    expect((await fetch(`${a.baseUrl}${old.linkFromA}`)).status).toBe(404);
  });

  it('answers 503 in Chinese while the store cannot be reached, and keeps no row without its file', async () => {
    const rowsBefore = await a.dataSource.manager.count(Upload);
    const { linkFromB } = await tipWithPhoto('停机前照片');
    await s3.stop();
    const upload = await supervisorA.post('/uploads?purpose=tip_evidence', imageForm(await photoWithGps(64, 64)));
    expectError(upload, 503, 'FILE_STORE_UNAVAILABLE');
    expect(await a.dataSource.manager.count(Upload)).toBe(rowsBefore + 1);
    const read = await fetch(`${b.baseUrl}${linkFromB}`);
    expect(read.status).toBe(503);
    expect(((await read.json()) as ApiErrorBody).code).toBe('FILE_STORE_UNAVAILABLE');
  });
});

/** The tables a database holds (none: nothing ran on it). */
async function tablesIn(database: TestDatabase): Promise<number> {
  if (database.config.kind === 'sqlite') {
    if (!existsSync(database.config.file)) return 0;
    const sqlite = new Sqlite(database.config.file, { readonly: true });
    try {
      return (sqlite.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    } finally {
      sqlite.close();
    }
  }
  const conn = await createConnection(database.url);
  try {
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
    return Number((rows as Array<{ n: number }>)[0]!.n);
  } finally {
    await conn.end();
  }
}

describe('starting on an S3 store', () => {
  it('refuses to start on a bucket that does not exist, naming the setting, before it touches the database', async () => {
    const s3 = await startTestS3();
    const database = await createTestDatabase();
    try {
      const started = startTestServer({ databaseUrl: database.url, seedDemo: false, env: { ...s3.env, S3_BUCKET: 'no-such-bucket' } });
      await expect(started).rejects.toThrow(/S3_BUCKET: there is no bucket no-such-bucket at http:\/\/127\.0\.0\.1:\d+; create it first/);
      // nothing went on migrating after the refusal (as a provider, the store's check failed while the
      // database module took the deploy lock and migrated, with nobody left to stop it)
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await tablesIn(database)).toBe(0);
    } finally {
      await database.drop();
      await s3.close();
    }
  });
});
