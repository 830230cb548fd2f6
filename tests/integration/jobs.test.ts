import pino from 'pino';
import { loadConfig } from '../../server/src/config/config.schema';
import { Clock } from '../../server/src/common/clock';
import { Job } from '../../server/src/common/jobs/job.entity';
import { JobRunner, periodKey } from '../../server/src/common/jobs/job-runner';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 17 item 6: background work runs once across instances and survives its holder. Each runner here
 * is one instance (its own holder name) on the test server's database; leases are short so a silent
 * holder's job is taken over within the test.
 */

const LEASE_MS = 400;
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background jobs (leases, heartbeats, takeover)', () => {
  let server: TestServer;
  const runners: JobRunner[] = [];

  function instance(clock = new Clock(), concurrency = 2): JobRunner {
    const config = { ...loadConfig({ APP_MODE: 'test' }), jobs: { pollMs: 0, leaseMs: LEASE_MS, concurrency } };
    const runner = new JobRunner(server.dataSource, config, silent, clock);
    runners.push(runner);
    return runner;
  }

  const job = (id: string) => server.dataSource.manager.findOneByOrFail(Job, { id });

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: false });
  });

  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.beforeApplicationShutdown();
  });

  afterAll(async () => {
    await server.close();
  });

  it('runs a scheduled period once however many instances poll at once, and the next period once more', async () => {
    const clock = new Clock();
    const runs: string[] = [];
    const instances = [instance(clock), instance(clock), instance(clock)];
    for (const runner of instances) runner.every('probe_minute', 'minute', async () => void runs.push(periodKey('minute', clock.now())));

    await Promise.all(instances.flatMap((runner) => [runner.runDue(), runner.runDue(), runner.runDue()]));
    await Promise.all(instances.map((runner) => runner.drain()));
    expect(runs).toHaveLength(1);

    clock.advance(60_000);
    await Promise.all(instances.map((runner) => runner.runDue()));
    await Promise.all(instances.map((runner) => runner.drain()));
    expect(runs).toHaveLength(2);
    expect(new Set(runs).size).toBe(2);
    const rows = await server.dataSource.manager.findBy(Job, { kind: 'probe_minute' });
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
  });

  it('queues one job for one key even when many requests queue it at once', async () => {
    const runner = instance();
    runner.define('probe_once', { run: async () => undefined });
    const ids = await Promise.all(Array.from({ length: 10 }, () => runner.enqueue(server.dataSource.manager, 'probe_once', 'same-key')));
    expect(new Set(ids).size).toBe(1);
    expect(await server.dataSource.manager.countBy(Job, { kind: 'probe_once' })).toBe(1);
  });

  it('takes over a job whose holder stopped renewing its lease, and leaves a live holder alone', async () => {
    const seen: Array<{ attempt: number; runKey: string }> = [];
    const runner = instance();
    runner.define('probe_takeover', { run: async ({ attempt, runKey }) => void seen.push({ attempt, runKey }) });
    const manager = server.dataSource.manager;
    const dead = await runner.enqueue(manager, 'probe_takeover', 'dead-holder');
    const alive = await runner.enqueue(manager, 'probe_takeover', 'live-holder');
    // one instance died holding `dead` (its lease ran out); another still holds `alive`
    await manager.update(Job, { id: dead }, { status: 'running', holder: 'gone/1/x', attempts: 1, leasedUntil: new Date(Date.now() - 1) });
    await manager.update(
      Job,
      { id: alive },
      { status: 'running', holder: 'busy/2/y', attempts: 1, leasedUntil: new Date(Date.now() + 60_000) },
    );

    await runner.drain();
    expect(seen).toEqual([{ attempt: 2, runKey: 'dead-holder' }]);
    expect(await job(dead)).toMatchObject({ status: 'done', attempts: 2, holder: runner.holder });
    expect(await job(alive)).toMatchObject({ status: 'running', holder: 'busy/2/y', attempts: 1 });
  });

  it('stops a holder that lost its lease and keeps the new holder’s outcome', async () => {
    const a = instance();
    const b = instance();
    let aborted: unknown = null;
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    a.define('probe_lost', {
      run: async ({ signal }) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = signal.reason;
        await blocked;
        signal.throwIfAborted();
      },
    });
    b.define('probe_lost', { run: async () => undefined });
    const id = await a.enqueue(server.dataSource.manager, 'probe_lost', 'k');
    expect(await a.runDue()).toBe(1);
    // A stalls (a long pause): its lease expires and B takes the job over
    await server.dataSource.manager.update(Job, { id }, { leasedUntil: new Date(Date.now() - 1) });
    expect(await b.runDue()).toBe(1);
    await b.drain();
    // A's next heartbeat finds it no longer holds the job and aborts its work
    for (let i = 0; i < 40 && !aborted; i++) await sleep(50);
    expect(String(aborted)).toContain('taken over');
    release();
    await a.drain();
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2, holder: b.holder });
  });

  it('gives up a job once its attempts are spent, telling its owner once', async () => {
    const givenUp: string[] = [];
    const instances = [instance(), instance()];
    for (const runner of instances)
      runner.define('probe_give_up', {
        run: async () => undefined,
        maxAttempts: 2,
        givenUp: async ({ reason }) => void givenUp.push(reason),
      });
    const id = await instances[0]!.enqueue(server.dataSource.manager, 'probe_give_up', 'k');
    await server.dataSource.manager.update(
      Job,
      { id },
      { status: 'running', holder: 'gone/1/x', attempts: 2, leasedUntil: new Date(Date.now() - 1) },
    );

    await Promise.all(instances.map((runner) => runner.runDue()));
    expect(givenUp).toHaveLength(1);
    expect(givenUp[0]).toContain('gone/1/x stopped renewing the lease on attempt 2 of 2');
    expect(await job(id)).toMatchObject({ status: 'failed', finishedAt: expect.any(Date) });
  });

  it('retries a failing job after a backoff and gives it up after its last attempt', async () => {
    const givenUp: string[] = [];
    const runner = instance();
    let calls = 0;
    runner.define('probe_failing', {
      maxAttempts: 2,
      run: async () => {
        calls++;
        throw new Error(`broken ${calls}`);
      },
      givenUp: async ({ reason }) => void givenUp.push(reason),
    });
    const id = await runner.enqueue(server.dataSource.manager, 'probe_failing', 'k');
    await runner.drain();
    const retrying = await job(id);
    expect(retrying).toMatchObject({ status: 'queued', attempts: 1, holder: null, error: 'broken 1' });
    expect(retrying.runAfter.getTime()).toBeGreaterThan(Date.now());

    await server.dataSource.manager.update(Job, { id }, { runAfter: new Date(Date.now() - 1) });
    await runner.drain();
    expect(calls).toBe(2);
    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 2, error: 'attempt 2 of 2 failed: broken 2' });
    expect(givenUp).toEqual(['attempt 2 of 2 failed: broken 2']);
  });

  it('hands its running jobs back when it stops, without spending an attempt, and another instance finishes them', async () => {
    const a = instance();
    const b = instance();
    const finishedBy: string[] = [];
    a.define('probe_handback', {
      run: async ({ signal }) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        signal.throwIfAborted();
      },
    });
    b.define('probe_handback', { run: async () => void finishedBy.push('b') });
    const id = await a.enqueue(server.dataSource.manager, 'probe_handback', 'k');
    await a.runDue();
    expect(await job(id)).toMatchObject({ status: 'running', holder: a.holder });

    await a.beforeApplicationShutdown();
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 0, holder: null });
    await b.drain();
    expect(finishedBy).toEqual(['b']);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('keeps a long job’s lease alive by heart-beating, so nobody takes it over while its holder works', async () => {
    const a = instance();
    const b = instance();
    let runs = 0;
    const work = async () => {
      runs++;
      await sleep(LEASE_MS * 3);
    };
    a.define('probe_long', { run: work });
    b.define('probe_long', { run: work });
    const id = await a.enqueue(server.dataSource.manager, 'probe_long', 'k');
    await a.runDue();
    for (let i = 0; i < 6; i++) {
      await sleep(LEASE_MS / 2);
      expect(await b.runDue()).toBe(0);
    }
    await a.drain();
    expect(runs).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, holder: a.holder });
  });
});
