import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { contract, routes, type ApiErrorBody, type ImportView, type RouteDef, type RouteKey } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import sharp from 'sharp';
import type { z } from 'zod';
import { RouteRegistry, type RegisteredRoute } from '../../../server/src/common/http/route-registry';
import { APP_CONFIG, type AppConfig } from '../../../server/src/config/config.schema';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { SessionsService } from '../../../server/src/modules/auth/sessions.service';
import { CrosscheckService } from '../../../server/src/modules/registry/crosscheck.service';
import { RegistryImportService } from '../../../server/src/modules/registry/registry-import.service';
import { api, type ApiClient, type ApiResponse } from '../../support/api';
import {
  applyMutations,
  changedTables,
  describeRequest,
  examplesFor,
  mutationFor,
  rowCounter,
  type HostileRequest,
} from '../../support/hostile';
import {
  ACCOUNTS,
  refusedByService,
  ROLE_OF,
  sampleCall,
  seedSampleContext,
  type Account,
  type SampleContext,
} from '../../support/sample-calls';
import { currentDatabaseKind } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { raiseTipLimit } from '../../support/tips';

/**
 * BRIEF §7 "bad input is answered with a structured 4xx error naming the field; nothing
 * half-written is left", for every write endpoint of the shared route table: fast-check mutates a
 * valid sample request (its fields read from the shared zod schema) and the server must never
 * answer 5xx, must refuse in the error shape with a Chinese message, and a refused request must
 * not change the row count of any table. Uploads get hostile files and file names.
 *
 * Reproduce a failure with the seed it prints: BX_HOSTILE_SEED=… npm test -- hostile
 */
const SEED = Number(process.env.BX_HOSTILE_SEED ?? 20_261_120);
// MariaDB answers the row counts more slowly: fewer runs keep its run near a minute too
const RUNS = Number(process.env.BX_HOSTILE_RUNS ?? (currentDatabaseKind() === 'mysql' ? 12 : 24));

const WRITE_ROUTES = (Object.keys(routes) as RouteKey[]).filter((key) => routes[key].method !== 'GET');
const UPLOAD_ROUTES = WRITE_ROUTES.filter((key) => 'fileField' in routes[key]);

/** Tables a refused request writes by design: failed binding attempts are what the lockout counts. */
const ATTEMPT_TABLES: Partial<Record<RouteKey, readonly string[]>> = { childrenBind: ['binding_attempts'] };
/** Routes that end the caller's session: each request gets a session of its own. */
const ENDS_SESSION: ReadonlySet<RouteKey> = new Set(['authLogout']);

const CHINESE = /[\u4e00-\u9fa5]/;

/** What is wrong with a response to a hostile request, or null. */
function problemWith(response: ApiResponse, changed: Record<string, unknown>): string | null {
  if (response.status >= 500) return `answered ${response.status}`;
  if (response.status < 400) return null;
  const body = response.body as Partial<ApiErrorBody> | null;
  if (!body || typeof body.code !== 'string' || typeof body.message !== 'string' || typeof body.fields !== 'object' || !body.fields)
    return `refused without the error shape: ${JSON.stringify(body)}`;
  if (!CHINESE.test(body.message)) return `refused with a message that is not Chinese: ${body.message}`;
  const foreign = Object.entries(body.fields).filter(([, message]) => typeof message !== 'string' || !CHINESE.test(message));
  if (foreign.length) return `refused naming fields in a message that is not Chinese: ${JSON.stringify(foreign)}`;
  if (Object.keys(changed).length) return `refused (${response.status} ${body.code}) but changed rows: ${JSON.stringify(changed)}`;
  return null;
}

describe(`hostile input (fast-check seed ${SEED}, ${RUNS} runs a route)`, () => {
  let server: TestServer;
  let registered: Map<RouteKey, RegisteredRoute>;
  let clients: Record<Account, ApiClient>;
  let ctx: SampleContext;
  let countRows: () => Promise<Record<string, number>>;
  let uploadDir: string;

  beforeAll(async () => {
    server = await startTestServer();
    registered = new Map(
      server.app
        .get(RouteRegistry)
        .list()
        .map((r) => [r.key, r]),
    );
    ({ clients, ctx } = await seedSampleContext(server));
    countRows = rowCounter(server.dataSource);
    uploadDir = resolve(server.app.get<AppConfig>(APP_CONFIG).uploads.dir);
  }, 90_000);
  afterAll(async () => server?.close());

  /** A caller the route lets through to its validation and its service: the first allowed account. */
  async function callerFor(key: RouteKey): Promise<ApiClient> {
    const access = registered.get(key)!.access;
    if (access.kind === 'public') return api(server);
    if (ENDS_SESSION.has(key)) {
      const parent = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'parent' });
      return api(server, (await server.app.get(SessionsService).issue(parent.id)).token);
    }
    const account = ACCOUNTS.find(
      (a) => (access.kind === 'signed-in' || access.roles.includes(ROLE_OF[a] as never)) && !refusedByService(key, a, ctx),
    )!;
    return clients[account];
  }

  /** Background work a request started (imports, cross-checks) finishes before rows are counted. */
  async function settle(key: RouteKey, response: ApiResponse): Promise<void> {
    const id = (response.body as { id?: string } | null)?.id;
    if (response.status >= 300 || !id) return;
    if (key === 'registryImport') await server.app.get(RegistryImportService).settled(id);
    if (key === 'crosscheckStart') await server.app.get(CrosscheckService).settled(id);
  }

  async function send(key: RouteKey, request: HostileRequest): Promise<{ response: ApiResponse; changed: Record<string, unknown> }> {
    const client = await callerFor(key);
    const before = await countRows();
    const response = await client.request(routes[key].method, request.path, request.body, request.headers);
    await settle(key, response);
    const changed = changedTables(before, await countRows());
    for (const table of ATTEMPT_TABLES[key] ?? []) delete changed[table];
    return { response, changed };
  }

  it('has a valid sample request for every write route of the shared table', () => {
    const missing = WRITE_ROUTES.filter((key) => sampleCall(key, ctx) === null);
    expect({ routesWithoutSample: missing }).toEqual({ routesWithoutSample: [] });
    const invalid = WRITE_ROUTES.flatMap((key) => {
      const body = sampleCall(key, ctx)?.body;
      const schema = (contract[key] as { body?: z.ZodType }).body;
      if (!schema || body instanceof FormData) return [];
      const parsed = schema.safeParse(body ?? {});
      return parsed.success ? [] : [`${key}: ${parsed.error.issues.map((i) => i.message).join('; ')}`];
    });
    expect({ samplesTheSchemaRefuses: invalid }).toEqual({ samplesTheSchemaRefuses: [] });
  });

  describe.each(WRITE_ROUTES)('%s', (key) => {
    it('never answers 5xx; refusals are structured, in Chinese, and store nothing', async () => {
      const sample = sampleCall(key, ctx);
      if (!sample) throw new Error(`${key} has no sample request in tests/support/sample-calls.ts`);
      // earlier routes may have changed the county's settings; keep the supervisor able to send tips
      if (key === 'tipsCreate') await raiseTipLimit(server.dataSource);
      const examples = examplesFor(key);
      await fc.assert(
        fc.asyncProperty(mutationFor(key), async (mutations) => {
          const request = applyMutations(key, sample, mutations);
          const { response, changed } = await send(key, request);
          const problem = problemWith(response, changed);
          if (problem) throw new Error(`${routes[key].method} ${describeRequest(request)}: ${problem}`);
        }),
        // the examples count against numRuns: every route gets all of them plus RUNS random ones
        { seed: SEED, numRuns: RUNS + examples.length, endOnFailure: true, examples },
      );
    }, 60_000);
  });

  describe('uploads', () => {
    /**
     * A refused upload is answered before its body has been read to the end, and the server then
     * drops the connection: a fresh one for each upload keeps the next request off a dead socket.
     */
    const CLOSE = { connection: 'close' };
    const MARKER = `bx-hostile-${process.pid}-${Date.now()}`;

    /**
     * Files in the upload directory, and multer's temporary files that hold our marker, in the
     * temporary directory of this jest worker's own (tests/support/test-environment.ts).
     */
    function filesWritten(): { uploads: string[]; strayTemp: string[] } {
      const strayTemp = readdirSync(tmpdir()).filter((name) => {
        if (!/^[0-9a-f]{32}$/.test(name)) return false;
        try {
          return readFileSync(join(tmpdir(), name)).includes(MARKER);
        } catch {
          return false; // removed meanwhile
        }
      });
      return { uploads: readdirSync(uploadDir).sort(), strayTemp };
    }

    /**
     * `filesWritten` once multer's temporary files of a refused request are gone. Nest removes them
     * when the response has closed, so the client may read the answer a moment before the unlink
     * lands: a file still there after a few seconds has been left behind.
     */
    async function filesWrittenSettled(): Promise<ReturnType<typeof filesWritten>> {
      const deadline = Date.now() + 5_000;
      let seen = filesWritten();
      while (seen.strayTemp.length && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 50));
        seen = filesWritten();
      }
      return seen;
    }

    function form(key: RouteKey, content: Buffer, name: string, type = 'application/octet-stream'): FormData {
      const data = new FormData();
      data.append((routes[key] as RouteDef).fileField!, new Blob([new Uint8Array(content)], { type }), name);
      return data;
    }

    it("looks for stray files where only this worker's server writes", () => {
      expect(tmpdir()).toBe(process.env.BX_WORKER_TMPDIR);
    });

    /** A path for the request: the sample's (its query names the registry kind). */
    const pathOf = (key: RouteKey) => sampleCall(key, ctx)!.path;

    async function junkZip(): Promise<Buffer> {
      // a real zip archive (as .xlsx files are) holding no workbook
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('x');
      const valid = Buffer.from(await workbook.xlsx.writeBuffer());
      const junk = Buffer.from(valid);
      junk.fill(0x41, 64, junk.length - 64); // keep the zip signature, ruin the contents
      return junk;
    }

    /** Contents every upload route must refuse, named as the route's files are named. */
    async function badContents(
      key: RouteKey,
    ): Promise<Array<{ label: string; content: Buffer; name: string; type?: string; path?: string; oversize?: boolean }>> {
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ccc' } })
        .png()
        .toBuffer();
      const maxBytes = (contract[key] as { file: { maxBytes: number } }).file.maxBytes;
      const text = Buffer.from(`${MARKER} 这不是图片，只是一段文字\n`);
      const oversize = Buffer.alloc(maxBytes + 1, 0x20);
      text.copy(oversize);
      const common = [
        { label: 'an empty file', content: Buffer.alloc(0), name: 'empty.xlsx' },
        { label: 'one byte over the limit', content: oversize, name: 'big.csv', oversize: true },
        // the file arrives before the query is checked: refusing the query must not leave it behind
        {
          label: 'a bad query beside the file',
          content: text,
          name: 'list.csv',
          path: `${routes[key].path}?kind=nonsense&purpose=nonsense`,
        },
      ];
      if (key === 'uploadsCreate')
        return [
          ...common,
          { label: 'a text file named .jpg', content: text, name: 'photo.jpg', type: 'image/jpeg' },
          { label: 'a zip named .png', content: await junkZip(), name: 'photo.png', type: 'image/png' },
          { label: 'a truncated JPEG', content: ctx.photo.subarray(0, 200), name: 'photo.jpg', type: 'image/jpeg' },
        ];
      return [
        ...common,
        { label: 'a PNG renamed .xlsx', content: png, name: 'sheet.xlsx', type: 'application/vnd.ms-excel' },
        { label: 'a zip of junk named .xlsx', content: await junkZip(), name: 'sheet.xlsx' },
        { label: 'a PNG renamed .csv', content: png, name: 'list.csv', type: 'text/csv' },
      ];
    }

    it.each(UPLOAD_ROUTES)(
      '%s refuses empty, oversize and mislabelled files and stores nothing',
      async (key) => {
        const problems: string[] = [];
        for (const bad of await badContents(key)) {
          const before = { files: filesWritten(), rows: await countRows() };
          const request = { path: bad.path ?? pathOf(key), body: form(key, bad.content, bad.name, bad.type), headers: CLOSE };
          const sent = await send(key, request).catch((error: Error) => {
            // Over the limit the server may answer 413 and close before the client has sent it all,
            // and the client then sees the connection reset: refused all the same, checked below.
            if (bad.oversize && /ECONNRESET|EPIPE/.test(String((error.cause as Error | undefined)?.message ?? error))) return null;
            throw error;
          });
          const after = await filesWrittenSettled();
          const changed = sent?.changed ?? changedTables(before.rows, await countRows());
          if (sent && key === 'registryImport' && sent.response.status === 201) {
            // registries are checked in the background (a job): the import is recorded and fails, importing nothing
            const view = (await clients['county-admin'].get<ImportView>(`/registry/imports/${(sent.response.body as ImportView).id}`)).body;
            // the import's record, audit entry and job; and the tallies' recount, a scheduled job any
            // job's run may pick up when due (it writes the tallies and clears the change rows)
            const [changesBefore, changesAfter] = (changed.enrolment_tally_changes as [number, number] | undefined) ?? [0, 0];
            const recount = changesAfter < changesBefore;
            const dataTables = Object.keys(changed).filter(
              (t) =>
                !['registry_imports', 'audit_log', 'jobs'].includes(t) &&
                !(recount && (t === 'enrolment_tallies' || t === 'enrolment_tally_changes')),
            );
            if (view.status !== 'failed' || !CHINESE.test(view.errors[0]?.message ?? '') || dataTables.length)
              problems.push(`${bad.label}: import ${view.status} ${JSON.stringify(view.errors)} changed ${JSON.stringify(changed)}`);
          } else if (sent) {
            const problem = sent.response.status < 400 ? `accepted with ${sent.response.status}` : problemWith(sent.response, changed);
            if (problem) problems.push(`${bad.label}: ${problem}`);
          } else if (Object.keys(changed).length) problems.push(`${bad.label}: cut off, but changed rows ${JSON.stringify(changed)}`);
          if (JSON.stringify(after.uploads) !== JSON.stringify(before.files.uploads))
            problems.push(`${bad.label}: wrote to the upload directory`);
          if (after.strayTemp.length) problems.push(`${bad.label}: left temporary files ${after.strayTemp.join(', ')}`);
        }
        expect({ key, problems }).toEqual({ key, problems: [] });
      },
      60_000,
    );

    it.each(UPLOAD_ROUTES)(
      '%s keeps hostile file names out of the file system',
      async (key) => {
        const good = sampleCall(key, ctx)!.body as FormData;
        const content = Buffer.from(await (good.get((routes[key] as RouteDef).fileField!) as Blob).arrayBuffer());
        const target = `${MARKER}-escaped`;
        const names = [
          `../../../../../../../../tmp/${target}.jpg`,
          `..\\..\\..\\..\\${target}.jpg`,
          `${target}\u0000.jpg`,
          `/${target}.jpg`,
          `%2e%2e%2f%2e%2e%2f${target}.jpg`,
          `${'长'.repeat(2_000)}.jpg`,
          '',
        ];
        const problems: string[] = [];
        for (const name of names) {
          const before = filesWritten();
          const { response } = await send(key, { path: pathOf(key), body: form(key, content, name), headers: CLOSE });
          const after = await filesWrittenSettled();
          if (response.status >= 500) problems.push(`${JSON.stringify(name.slice(0, 60))}: answered ${response.status}`);
          const added = after.uploads.filter((f) => !before.uploads.includes(f));
          // an accepted photo is stored under a name the server makes (its id), never the client's
          if (added.some((f) => !/^[0-9a-f-]{36}\.jpg$/.test(f)))
            problems.push(`${JSON.stringify(name.slice(0, 60))}: stored as ${added.join(', ')}`);
          for (const place of [join(tmpdir(), `${target}.jpg`), resolve(uploadDir, `${target}.jpg`), resolve('/', `${target}.jpg`)])
            if (existsSync(place)) problems.push(`${JSON.stringify(name.slice(0, 60))}: wrote ${place}`);
          if (after.strayTemp.length) problems.push(`${JSON.stringify(name.slice(0, 60))}: left temporary files`);
        }
        expect({ key, problems }).toEqual({ key, problems: [] });
      },
      60_000,
    );
  });
});
