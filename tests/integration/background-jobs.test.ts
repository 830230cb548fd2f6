import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { idNumberCheckCharacter, type CrosscheckRunView, type ImportView } from '@baoxue/shared';
import { In } from 'typeorm';
import { FileStore } from '../../server/src/common/files/file-store';
import { Job } from '../../server/src/common/jobs/job.entity';
import { JobRunner } from '../../server/src/common/jobs/job-runner';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { ChildRegistry } from '../../server/src/modules/children/child-registry.service';
import { Child } from '../../server/src/modules/children/child.entity';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { RegistryImportService, ROSTER_BATCH } from '../../server/src/modules/registry/registry-import.service';
import { CrosscheckRun, RegistryImport } from '../../server/src/modules/registry/registry.entities';
import { api, expectError, signInAs, type ApiClient, type ApiResponse } from '../support/api';
import { currentDatabaseKind } from '../support/database';
import { csv, ROSTER_HEADER } from '../support/registry';
import { startTestS3, type TestS3 } from '../support/s3';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 17 item 6: registry imports and cross-checks are background jobs of the deployment, not of the
 * instance that took the request. Two instances (two Nest apps on one database) keep the sheets in one
 * S3 bucket (s3rver); an instance "dies" by leaving its job's row as a dead process leaves it: running,
 * held by a holder that no longer renews, its lease run out.
 */

const LEASE_MS = 1000;
const COUNTY = '411522000000';
const SCHOOL = '光山县十里镇中心小学';
const VILLAGE = '411522101203';
const DEAD_HOLDER = 'dead-host/1/00000000';
const SURNAMES = '王李张刘陈杨赵黄周吴';
const GIVEN = '明华强伟芳敏静丽军磊洋勇艳杰娟涛超霞平刚';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles with `promise`, or fails naming what did not happen within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it holds, at most `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
}

let batchSerial = 0;

/** A roster of `count` pupils of their own (fresh ID numbers for each call), and their 学籍号. */
function roster(count: number): { file: Buffer; studentNumbers: string[] } {
  // a birth date of its own for each batch of 400, so ID numbers and names never repeat across calls
  const rows = Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2015, 0, 1) + (batchSerial * 10 + Math.floor(i / 400)) * 86_400_000);
    const first17 = `411522${day.toISOString().slice(0, 10).replace(/-/g, '')}${String((i % 400) * 2 + 1).padStart(3, '0')}`;
    const idNumber = first17 + idNumberCheckCharacter(first17);
    const name = `${SURNAMES[i % 10]}${GIVEN[Math.floor(i / 10) % 20]}${GIVEN[Math.floor(i / 200) % 20]}`;
    return [`G${idNumber}`, name, '男', idNumber, SCHOOL, '3', '1班', '否', VILLAGE, '', '', ''];
  });
  batchSerial++;
  return { file: csv(ROSTER_HEADER, rows), studentNumbers: rows.map((r) => r[0]!) };
}

function form(content: Buffer, name: string): FormData {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(content)]), name);
  return data;
}

/** Multer's temporary upload files in this worker's temporary folder. */
const strayUploads = () => readdirSync(tmpdir()).filter((name) => /^[0-9a-f]{32}$/.test(name));
/** The folders an import's job fetches its sheet into. */
const importFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('bx-import-'));

describe('imports and cross-checks as jobs that outlive their instance', () => {
  let s3: TestS3;
  let a: TestServer;
  let b: TestServer;
  let adminA: ApiClient;
  let adminB: ApiClient;

  beforeAll(async () => {
    s3 = await startTestS3();
    const env = { ...s3.env, JOBS_LEASE_MS: String(LEASE_MS) };
    a = await startTestServer({ env });
    b = await startTestServer({ env, databaseUrl: a.databaseUrl, seedDemo: false });
    adminA = await signInAs(a, 'county-admin');
    // sessions are rows of the shared database: the same sign-in works through either instance
    adminB = api(b, adminA.token);
  }, 60_000);

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await s3?.close();
  });

  const manager = () => a.dataSource.manager;
  const jobOf = (kind: string, runKey: string) => manager().findOneByOrFail(Job, { kind, runKey });
  const importOf = (id: string) => manager().findOneByOrFail(RegistryImport, { id });

  /** Starts an import through `server` and returns its id, without waiting for it. */
  async function startImport(client: ApiClient, content: Buffer, name = 'roster.csv'): Promise<string> {
    const started = await client.post<ImportView>('/registry/imports?kind=roster', form(content, name));
    expect(started.status).toBe(201);
    expect(started.body.status).toBe('running');
    return started.body.id;
  }

  /** The instance accepts work but never runs it itself, as one that dies right after answering. */
  const runNothingOn = (server: TestServer) => jest.spyOn(server.app.get(JobRunner), 'start').mockImplementation(() => undefined);

  /** What a dead holder leaves: the job running on `attempts`, its lease run out and never renewed. */
  async function dieHolding(jobId: string, attempts: number): Promise<void> {
    const past = new Date(Date.now() - 5_000);
    await manager().update(
      Job,
      { id: jobId },
      { status: 'running', holder: DEAD_HOLDER, attempts, leasedUntil: past, heartbeatAt: past, startedAt: past },
    );
  }

  /** Holds the instance's next fetch of a sheet until released: the instance is mid-import meanwhile. */
  function holdSheetFetch(server: TestServer): { fetching: Promise<void>; release(): void } {
    const store = server.app.get(FileStore);
    const original = store.get.bind(store);
    let reached!: () => void;
    let release!: () => void;
    const fetching = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    jest.spyOn(store, 'get').mockImplementationOnce(async (key) => {
      reached();
      await gate;
      return original(key);
    });
    return { fetching, release };
  }

  describe('registry imports', () => {
    it('are finished by another instance when the one that took them dies holding the job; the pupils exist once', async () => {
      const { file, studentNumbers } = roster(1200);
      runNothingOn(a);
      const id = await startImport(adminA, file);
      // the sheet waits in the bucket, not on A's disk
      expect(await s3.has(`registry-import-${id}`)).toBe(true);
      expect(strayUploads()).toEqual([]);
      const job = await jobOf('registry_import', id);
      expect(job).toMatchObject({ status: 'queued', attempts: 0, payload: { sheet: `registry-import-${id}` } });
      await manager().update(RegistryImport, { id }, { processed: 600 });
      await dieHolding(job.id, 1);

      await within(b.app.get(RegistryImportService).settled(id), 60_000, 'B finishing the import');
      const view = (await adminB.get<ImportView>(`/registry/imports/${id}`)).body;
      expect(view).toMatchObject({
        status: 'completed',
        total: 1200,
        processed: 1200,
        created: 1200,
        updated: 0,
        unchanged: 0,
        errors: [],
      });
      expect(await jobOf('registry_import', id)).toMatchObject({ status: 'done', attempts: 2, holder: b.app.get(JobRunner).holder });
      expect(await manager().countBy(Child, { studentNumber: In(studentNumbers) })).toBe(1200);
      expect(await s3.has(`registry-import-${id}`)).toBe(false);
      expect(importFolders()).toEqual([]);
    });

    it('are not failed by an instance that starts while another holds one, and the holder finishes it', async () => {
      const { file, studentNumbers } = roster(50);
      const held = holdSheetFetch(a);
      const id = await startImport(adminA, file);
      await within(held.fetching, 10_000, 'A fetching the sheet');
      const job = await jobOf('registry_import', id);
      expect(job).toMatchObject({ status: 'running', attempts: 1, holder: a.app.get(JobRunner).holder });

      // a new instance of the deployment boots on the same database (a restart, a deployment, a scale-out)
      const restarted = await startTestServer({
        env: { ...s3.env, JOBS_LEASE_MS: String(LEASE_MS) },
        databaseUrl: a.databaseUrl,
        seedDemo: false,
      });
      try {
        // longer than a lease: A renews it all along
        await sleep(LEASE_MS * 1.5);
        expect(await importOf(id)).toMatchObject({ status: 'running', errorCount: 0, errors: [] });
        expect(await jobOf('registry_import', id)).toMatchObject({ status: 'running', attempts: 1, holder: a.app.get(JobRunner).holder });
      } finally {
        await restarted.close();
      }

      held.release();
      await within(a.app.get(RegistryImportService).settled(id), 30_000, 'A finishing the import');
      expect(await importOf(id)).toMatchObject({ status: 'completed', created: 50 });
      expect(await jobOf('registry_import', id)).toMatchObject({ status: 'done', attempts: 1 });
      expect(await manager().countBy(Child, { studentNumber: In(studentNumbers) })).toBe(50);
    });

    it('are failed with the reason in Chinese, and their sheet deleted, once the holders spent every attempt', async () => {
      const { file, studentNumbers } = roster(20);
      runNothingOn(a);
      const id = await startImport(adminA, file);
      const job = await jobOf('registry_import', id);
      await dieHolding(job.id, 3);

      await within(b.app.get(RegistryImportService).settled(id), 30_000, 'B giving the import up');
      const view = (await adminB.get<ImportView>(`/registry/imports/${id}`)).body;
      expect(view).toMatchObject({
        status: 'failed',
        errorCount: 1,
        errors: [{ line: 0, message: '导入被中断（处理它的服务器停止运行），请重新导入' }],
        created: 0,
      });
      expect(view.finishedAt).not.toBeNull();
      const given = await jobOf('registry_import', id);
      expect(given.status).toBe('failed');
      expect(given.error).toContain(DEAD_HOLDER);
      expect(await s3.has(`registry-import-${id}`)).toBe(false);
      expect(await manager().countBy(Child, { studentNumber: In(studentNumbers) })).toBe(0);
    });

    // On SQLite an open transaction blocks every other writer, A's stalled one included: MariaDB only.
    (currentDatabaseKind() === 'mysql' ? it : it.skip)(
      'stop before their commit when the holder loses the job mid-write, and the next holder writes it whole',
      async () => {
        const pupils = ROSTER_BATCH + 500;
        const { file, studentNumbers } = roster(pupils);
        // A stalls inside the writing transaction, its first batch written but not committed
        const registry = a.app.get(ChildRegistry);
        const original = registry.resolveMany.bind(registry);
        let calls = 0;
        let reached!: () => void;
        let release!: () => void;
        const writing = new Promise<void>((resolve) => (reached = resolve));
        const gate = new Promise<void>((resolve) => (release = resolve));
        jest.spyOn(registry, 'resolveMany').mockImplementation(async (...args) => {
          if (++calls === 2) {
            reached();
            await gate;
          }
          return original(...args);
        });
        const id = await startImport(adminA, file);
        await within(writing, 30_000, 'A writing its second batch');
        const job = await jobOf('registry_import', id);
        // A's lease is lost (another instance would have taken the job); A notices at its next renewal
        await dieHolding(job.id, 1);
        await sleep(LEASE_MS * 1.5);
        release();
        await until(() => importFolders().length === 0, 30_000, 'A giving the import up');
        expect(await manager().countBy(Child, { studentNumber: In(studentNumbers) })).toBe(0);
        expect(await importOf(id)).toMatchObject({ status: 'running' });

        await within(b.app.get(RegistryImportService).settled(id), 60_000, 'B finishing the import');
        // A committed nothing: B created every pupil
        expect(await importOf(id)).toMatchObject({ status: 'completed', created: pupils, unchanged: 0 });
        expect(await jobOf('registry_import', id)).toMatchObject({ status: 'done', attempts: 2, holder: b.app.get(JobRunner).holder });
        expect(await manager().countBy(Child, { studentNumber: In(studentNumbers) })).toBe(pupils);
      },
      90_000,
    );
  });

  describe('cross-checks', () => {
    const runsOfCounty = () => manager().countBy(CrosscheckRun, { countyCode: COUNTY });
    const auditedStarts = () => manager().countBy(AuditEntry, { action: 'crosscheck.run' });

    it('run once for a county however many starts arrive at once; the others are refused with 409', async () => {
      runNothingOn(a);
      runNothingOn(b);
      const runsBefore = await runsOfCounty();
      const auditBefore = await auditedStarts();
      // SQLite serialises writers per process: two instances would wait on each other's locks
      const clients = currentDatabaseKind() === 'mysql' ? [adminA, adminB] : [adminA];
      const answers: Array<ApiResponse<CrosscheckRunView>> = await Promise.all(
        Array.from({ length: 8 }, (_, i) => clients[i % clients.length]!.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 })),
      );
      const started = answers.filter((r) => r.status === 201);
      expect(started).toHaveLength(1);
      for (const refused of answers.filter((r) => r.status !== 201)) expectError(refused, 409, 'CROSSCHECK_RUNNING');
      expect(await runsOfCounty()).toBe(runsBefore + 1);
      expect(await auditedStarts()).toBe(auditBefore + 1);
      const runId = started[0]!.body.id;
      expect(await manager().findOneByOrFail(CrosscheckRun, { id: runId })).toMatchObject({ status: 'running', runningCounty: COUNTY });

      await within(b.app.get(CrosscheckService).settled(runId), 60_000, 'the cross-check');
      expect(await manager().findOneByOrFail(CrosscheckRun, { id: runId })).toMatchObject({ status: 'completed', runningCounty: null });
    });

    it('fail with the reason when their holder is gone, and the county can run one again', async () => {
      runNothingOn(a);
      const started = await adminA.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
      expect(started.status).toBe(201);
      const job = await jobOf('crosscheck', started.body.id);
      expect(job.maxAttempts).toBe(1);
      await dieHolding(job.id, 1);
      // until an instance notices, the run holds its county
      expectError(await adminB.post('/crosscheck/runs', { schoolYear: 2026 }), 409, 'CROSSCHECK_RUNNING');

      await b.app.get(JobRunner).runDue();
      const failed = (await adminB.get<CrosscheckRunView>(`/crosscheck/runs/${started.body.id}`)).body;
      expect(failed).toMatchObject({ status: 'failed', error: '比对中断（处理它的服务器停止运行），请重新比对' });
      expect(failed.finishedAt).not.toBeNull();
      expect(await jobOf('crosscheck', started.body.id)).toMatchObject({ status: 'failed', attempts: 1 });

      jest.restoreAllMocks();
      const again = await adminB.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
      expect(again.status).toBe(201);
      await within(b.app.get(CrosscheckService).settled(again.body.id), 60_000, 'the next cross-check');
      expect((await adminA.get<CrosscheckRunView>(`/crosscheck/runs/${again.body.id}`)).body.status).toBe('completed');
    });

    it('do not keep the county when their job ended without recording the outcome', async () => {
      runNothingOn(a);
      const stuck = await adminA.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
      expect(stuck.status).toBe(201);
      // given up while the database was away: the job failed, the run was never told
      const job = await jobOf('crosscheck', stuck.body.id);
      await manager().update(Job, { id: job.id }, { status: 'failed', finishedAt: new Date(), error: 'given up' });
      jest.restoreAllMocks();

      const next = await adminA.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
      expect(next.status).toBe(201);
      expect(await manager().findOneByOrFail(CrosscheckRun, { id: stuck.body.id })).toMatchObject({
        status: 'failed',
        error: '比对中断（处理它的服务器停止运行），请重新比对',
        runningCounty: null,
      });
      await within(a.app.get(CrosscheckService).settled(next.body.id), 60_000, 'the cross-check');
      expect(await manager().findOneByOrFail(CrosscheckRun, { id: next.body.id })).toMatchObject({
        status: 'completed',
        runningCounty: null,
      });
    });
  });

  // last: the bucket stays down
  it('refuses an import with 503 while the store cannot be reached, recording nothing', async () => {
    const importsBefore = await manager().count(RegistryImport);
    const jobsBefore = await manager().countBy(Job, { kind: 'registry_import' });
    await s3.stop();
    const refused = await adminA.post('/registry/imports?kind=roster', form(roster(3).file, 'roster.csv'));
    expectError(refused, 503, 'FILE_STORE_UNAVAILABLE');
    expect(await manager().count(RegistryImport)).toBe(importsBefore);
    expect(await manager().countBy(Job, { kind: 'registry_import' })).toBe(jobsBefore);
    expect(strayUploads()).toEqual([]);
  });
});
