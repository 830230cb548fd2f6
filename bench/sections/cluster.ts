import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { BACKENDS, LocalCluster } from '../../deploy/cluster/cluster';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { fmt, type Figure, type SectionResult } from '../lib/figures';
import { undoOnInterrupt } from '../lib/interrupt';
import { httpLoad, httpLoadTimed, type LoadResult, type TimedAnswer, type TimedLoadResult } from '../lib/load';
import { connect, createDatabase } from '../lib/mysql';
import { startServer, type BenchServer } from '../lib/server';
import { prepareSupervisors, tipRequest, villagesOf, type Supervisors } from '../lib/tips';

const CONNECTIONS = 16;
const SUPERVISORS = 400;
const INSTANCES = 2;

/** Where each run of tip intake sends its load. */
interface Target {
  label: string;
  url: string;
  supervisors: Supervisors;
  villages: string[];
}

/**
 * 8. The cluster deployment (issue 17, BRIEF §9) beside one MariaDB: tip intake, the same load as
 * section 1, on (a) one instance on the machine's MariaDB, (b) one instance on the three-node
 * Galera cluster through HAProxy's write port, (c) two instances behind HAProxy's HTTP front; then
 * the stall in tip intake when the Galera node taking the writes is killed under load.
 */
export const clusterSection: Section = {
  key: 'cluster',
  title: '8. Cluster deployment (three Galera nodes, HAProxy, two instances)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const duration = seconds(ctx, 30, 8);
    const warmUp = seconds(ctx, 5, 3);
    const repeats = ctx.quick ? 1 : 3;
    const failoverRepeats = ctx.quick ? 1 : 3;
    const beforeKill = seconds(ctx, 5, 3);
    const afterKill = seconds(ctx, 20, 15);

    // not in ctx.tmp (mode 700): mariadbd runs as mysql and must reach its node directories
    const stateDir = join(tmpdir(), `bx-bench-cluster-${process.pid}`);
    const db = await createDatabase('cluster');
    const forget = undoOnInterrupt(() => LocalCluster.down(stateDir));
    let server: BenchServer | undefined;
    let single: Connection | undefined;
    let onCluster: Connection | undefined;
    try {
      server = await startServer({ databaseUrl: db.url, logFile: join(ctx.tmp, 'cluster-single-server.log') });
      single = await connect(db.url);
      ctx.log('cluster: bringing up three Galera nodes, HAProxy, s3rver and two instances');
      const cluster = await LocalCluster.up({
        stateDir,
        instances: INSTANCES,
        seedDemo: true,
        // as the single server runs (bench/lib/server.ts): response validation off, logs at info
        instanceEnv: { VALIDATE_RESPONSES: 'false', LOG_LEVEL: 'info' },
        log: (line) => ctx.log(`cluster: ${line}`),
      });
      onCluster = await connect(cluster.writeUrl);

      const singleVillages = await villagesOf(single);
      const clusterVillages = await villagesOf(onCluster);
      const singleSupervisors = await prepareSupervisors(single, singleVillages, SUPERVISORS);
      const clusterSupervisors = await prepareSupervisors(onCluster, clusterVillages, SUPERVISORS);
      const a: Target = { label: '(a) 1 instance, one MariaDB', url: server.url, supervisors: singleSupervisors, villages: singleVillages };
      const b: Target = {
        label: '(b) 1 instance on the cluster',
        url: cluster.instanceUrls[0]!,
        supervisors: clusterSupervisors,
        villages: clusterVillages,
      };
      const c: Target = {
        label: '(c) 2 instances behind HAProxy',
        url: cluster.frontUrl,
        supervisors: clusterSupervisors,
        villages: clusterVillages,
      };
      const load = (target: Target, secs: number) =>
        httpLoad({
          url: target.url,
          connections: CONNECTIONS,
          seconds: secs,
          request: tipRequest(target.supervisors.tokens, target.villages),
        });

      ctx.log('cluster: warm-up');
      for (const target of [a, b, c]) await load(target, warmUp);
      const runs = new Map<Target, LoadResult[]>([
        [a, []],
        [b, []],
        [c, []],
      ]);
      for (let r = 0; r < repeats; r++) {
        for (const target of [a, b, c]) {
          const result = await load(target, duration);
          runs.get(target)!.push(result);
          ctx.log(
            `cluster: ${target.label} ${r + 1}: ${fmt(result.throughput)} tips/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, failures ${result.failures} ${result.failureDetail}`,
          );
        }
      }
      const singleCounts = await tipsAndCases(single);
      const clusterCounts = await tipsAndCases(onCluster);
      onCluster.destroy(); // its session is cut when the writer is killed
      onCluster = undefined;
      const durability = await durabilitySettings(db.url, cluster.nodeUrl(1));

      const detection = detectionSettings(cluster, await providerOptions(cluster.nodeUrl(1)));
      const failovers: Failover[] = [];
      for (let r = 0; r < failoverRepeats; r++) {
        const failover = await killWriterUnderLoad(ctx, cluster, c, beforeKill, afterKill);
        failovers.push(failover);
        ctx.log(`cluster: failover ${r + 1}: ${describeFailover(failover)}`);
        await restartNode(ctx, cluster, failover.node, () => load(c, 3));
      }

      const figures = [
        ...comparison('throughput', 'tips/s', 'higher', runs, a, [b, c], (x) => x.throughput),
        ...comparison('p99 latency', 'ms', 'lower', runs, a, [b, c], (x) => x.p99),
        {
          label: 'stall when the writing Galera node is killed (longest gap between successful answers)',
          unit: 'ms',
          better: 'lower',
          samples: failovers.map((f) => f.stall.ms),
          goals: [],
        } satisfies Figure,
        {
          label: 'failed requests in a failover run',
          unit: 'requests',
          better: 'lower',
          samples: failovers.map((f) => f.failed),
          goals: [],
        } satisfies Figure,
      ];

      const failures = [...runs.values()].flat().reduce((n, x) => n + x.failures, 0);
      const notes: string[] = [];
      if (failures)
        notes.push(
          `**${failures} requests failed** during the measured throughput runs: ${[...runs.entries()]
            .flatMap(([target, results]) => results.filter((x) => x.failures).map((x) => `${target.label}: ${x.failureDetail}`))
            .join('; ')}.`,
        );
      notes.push(
        `Node-failure detection as deploy/cluster sets it: HAProxy checks each node's galera-check (200 only when Synced in the primary component) with \`${detection.haproxyCheck}\` on the write port, so a dead writer is marked down ${fmt((detection.haproxyDownMs * (detection.fall - 1)) / detection.fall / 1000)}–${fmt(detection.haproxyDownMs / 1000)} s after it dies (the first failed check comes within one interval), and \`on-marked-down shutdown-sessions\` cuts its sessions (new connections go to the first synced backup); Galera's \`evs.suspect_timeout\` is ${detection.suspectTimeout} and \`evs.inactive_timeout\` ${detection.inactiveTimeout} (galera-4 defaults: deploy/cluster/galera.ts does not set them). Until the survivors agree on a view without the dead node, a write set cannot be delivered to every member of the current view, so commits on the new writer wait for the eviction.${resumedAfterEviction(failovers)}`,
        `Each of the ${CONNECTIONS} closed-loop clients sends its next request as soon as one fails, so the count of failed requests grows with how fast each failure is answered; it is not how many people would have seen an error (the mini program's offline outbox keeps a tip and sends it again). ${answeredBy(failovers)}`,
        `The failover runs one by one (the killed node is restarted and Synced again between runs, not timed): ${failovers
          .map((f, i) => `${i + 1}. ${describeFailover(f)}`)
          .join('; ')}.`,
      );
      return {
        key: 'cluster',
        title: this.title,
        setup: [
          `All on one 2-core machine: the three Galera nodes (mariadbd with galera-4, each with its galera-check), HAProxy 2.6, s3rver, the cluster's ${INSTANCES} instances, the baseline's server process and the machine's MariaDB, Redis and the load generator share 2 cores. The ratios show what synchronous replication (every commit replicated to all three nodes in one total order before it returns, every read of a session with \`wsrep_sync_wait=1\` waiting for its node to catch up) and the proxy hop cost on the same CPU, not what separate database and application machines give: there the nodes' work would not take CPU from the instances, and a second instance would add cores.`,
          `(a) baseline: one server process (bench/lib/server.ts, as section 1) on a fresh database of the machine's MariaDB (${durability.single}). (b) one of the cluster's instances (\`DEPLOYMENT=cluster\`: sessions with \`wsrep_sync_wait=1\`, limits in Redis, files in s3rver), load sent to it directly (the other instance idle); its database connections go through HAProxy's write port to one node (${durability.node}). (c) both instances, load sent to HAProxy's HTTP front (round robin, \`option forwardfor\`). Every process in demo mode, logs at info, response validation off, a pool of 10 database connections per instance; the cluster is migrated and seeded with \`cli migrate\` and \`cli seed-demo\`.`,
          `The load of section 1: ${SUPERVISORS} supervisors with session tokens written in each database, a new idempotency key, a random village and a random child per request; autocannon, ${CONNECTIONS} connections, ${duration} s per run, ${repeats} repeat(s) of a, b, c in turn after a ${warmUp} s warm-up of each; every answer must be 201. The ratio is (b) or (c) ÷ (a), medians.`,
          `At the end of the throughput runs the single database held ${counted(singleCounts)}, the cluster ${counted(clusterCounts)}.`,
          `Failover: the same load through HAProxy's HTTP front on both instances; after ${beforeKill} s the node the write port sends connections to (\`SELECT @@wsrep_node_name\` through it) is killed with SIGKILL, as a crash, and the load goes on for ${afterKill} s. The stall is the longest time between two successful answers; a failed request is any answer but 2xx, a connection error or a timeout (30 s). HAProxy's view (stats socket) and a surviving node's \`wsrep_cluster_size\` are polled every 100 ms for when the dead node was marked down and evicted. ${failoverRepeats} run(s).`,
        ],
        figures,
        notes,
      };
    } finally {
      single?.destroy();
      onCluster?.destroy();
      await server?.stop();
      const stopped = await LocalCluster.down(stateDir);
      if (stopped.length) ctx.log(`cluster: stopped ${stopped.join(', ')}`);
      forget();
      await db.drop();
    }
  },
};

/** One figure per cluster layout, each beside the single database's runs of the same repeats. */
function comparison(
  label: string,
  unit: string,
  better: Figure['better'],
  runs: Map<Target, LoadResult[]>,
  baseline: Target,
  targets: Target[],
  value: (result: LoadResult) => number,
): Figure[] {
  return targets.map((target) => ({
    label: `${label}: ${target.label}`,
    unit,
    better,
    samples: runs.get(target)!.map(value),
    baseline: { label: baseline.label, unit, samples: runs.get(baseline)!.map(value) },
    goals: [],
  }));
}

interface Failover {
  /** The node killed, 1-based. */
  node: number;
  stall: { ms: number; startMs: number; endMs: number; reachedEnd: boolean };
  failed: number;
  failedBeforeKill: number;
  failureDetail: string;
  /** Since the kill; null when not seen while the load ran. */
  markedDownMs: number | null;
  evictedMs: number | null;
  lastFailureMs: number | null;
  /** When HAProxy's health check had an instance out of the front (its /api/health asks the database), since the kill. */
  instancesOut: Array<{ instance: string; fromMs: number; toMs: number | null }>;
  /** Failed requests HAProxy answered itself, with no instance to send them to. */
  answeredByProxy: number;
  beforeRate: number;
  afterRate: number;
}

/**
 * Tip load through the front for `before + after` seconds; after `before` the writer is killed. What
 * HAProxy and a surviving node see is polled meanwhile, for when the node was marked down and evicted.
 */
async function killWriterUnderLoad(
  ctx: BenchContext,
  cluster: LocalCluster,
  front: Target,
  before: number,
  after: number,
): Promise<Failover> {
  const writer = await cluster.writeNode();
  const node = Number(/^node(\d)$/.exec(writer ?? '')?.[1]);
  if (!node) throw new Error(`the write port sends connections to no node (${String(writer)})`);
  const survivor = [1, 2, 3].find((n) => n !== node)!;
  ctx.log(`cluster: failover: tip load through the front, killing ${writer} after ${before} s`);
  let loadDone = false;
  const loading = httpLoadTimed({
    url: front.url,
    connections: CONNECTIONS,
    seconds: before + after,
    request: tipRequest(front.supervisors.tokens, front.villages),
  }).finally(() => (loadDone = true));
  await sleep(before * 1000);
  const killedAt = performance.now();
  await cluster.killNode(node);
  let markedDownAt: number | null = null;
  let evictedAt: number | null = null;
  const instancesOut: Array<{ instance: string; from: number; to: number | null }> = [];
  while (!loadDone) {
    for (const server of await cluster.haproxyServers().catch(() => [])) {
      const down = server.status.startsWith('DOWN');
      if (down && markedDownAt === null && server.backend === BACKENDS.write && server.server === `node${node}`)
        markedDownAt = performance.now();
      if (server.backend !== BACKENDS.app) continue;
      const open = instancesOut.find((o) => o.instance === server.server && o.to === null);
      if (down && !open) instancesOut.push({ instance: server.server, from: performance.now(), to: null });
      if (!down && open) open.to = performance.now();
    }
    if (evictedAt === null && (await cluster.nodeState(survivor))?.clusterSize === 2) evictedAt = performance.now();
    await sleep(100);
  }
  const timed = await loading;
  const failed = timed.answers.filter((x) => !isSuccess(x.status));
  const codes = new Map<string, number>();
  for (const x of failed) codes.set(failureOf(x), (codes.get(failureOf(x)) ?? 0) + 1);
  const stall = longestGap(timed);
  return {
    node,
    stall: { ms: stall.ms, startMs: stall.from - killedAt, endMs: stall.to - killedAt, reachedEnd: stall.reachedEnd },
    failed: failed.length,
    failedBeforeKill: failed.filter((x) => x.at < killedAt).length,
    failureDetail: [...codes].map(([code, n]) => `${n} × ${code}`).join(', '),
    markedDownMs: markedDownAt === null ? null : markedDownAt - killedAt,
    evictedMs: evictedAt === null ? null : evictedAt - killedAt,
    lastFailureMs: failed.length ? failed[failed.length - 1]!.at - killedAt : null,
    instancesOut: instancesOut.map((o) => ({
      instance: o.instance,
      fromMs: o.from - killedAt,
      toMs: o.to === null ? null : o.to - killedAt,
    })),
    answeredByProxy: failed.filter(fromProxy).length,
    beforeRate: successRate(timed, timed.startedAt + 1000, killedAt),
    afterRate: successRate(timed, stall.to + 2000, timed.endedAt),
  };
}

/** Starts the killed node again (not timed), waits until HAProxy writes to it again, and clears cut pool connections with a short load. */
async function restartNode(ctx: BenchContext, cluster: LocalCluster, node: number, settle: () => Promise<LoadResult>): Promise<void> {
  ctx.log(`cluster: restarting node${node}`);
  await cluster.startNode(node);
  await cluster.waitForHaproxy(`node${node} up again behind the write port`, (servers) =>
    servers.some((s) => s.backend === BACKENDS.write && s.server === `node${node}` && s.status === 'UP' && s.checkStatus === 'L7OK'),
  );
  // HAProxy cut the backup's sessions when node1 came back: the instances' pools lose those connections
  const settled = await settle();
  ctx.log(
    `cluster: node${node} back; settling load ${fmt(settled.throughput)} tips/s, failures ${settled.failures} ${settled.failureDetail}`,
  );
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The longest time without a successful answer: between two of them, or from the last one to the end of the load. */
function longestGap(timed: TimedLoadResult): { ms: number; from: number; to: number; reachedEnd: boolean } {
  const times = timed.answers.filter((x) => isSuccess(x.status)).map((x) => x.at);
  let gap = { ms: 0, from: timed.startedAt, to: timed.startedAt, reachedEnd: false };
  let previous = timed.startedAt;
  for (const at of [...times, timed.endedAt]) {
    if (at - previous > gap.ms) gap = { ms: at - previous, from: previous, to: at, reachedEnd: at === timed.endedAt };
    previous = at;
  }
  return gap;
}

function successRate(timed: TimedLoadResult, from: number, to: number): number {
  if (to <= from) return Number.NaN;
  return timed.answers.filter((x) => isSuccess(x.status) && x.at >= from && x.at < to).length / ((to - from) / 1000);
}

/** How the end of each stall lines up with the eviction of the dead node. */
function resumedAfterEviction(failovers: Failover[]): string {
  const lags = failovers.filter((f) => f.evictedMs !== null && !f.stall.reachedEnd).map((f) => f.stall.endMs - f.evictedMs!);
  if (!lags.length) return '';
  const range = lags.length === 1 ? fmt(lags[0]! / 1000) : `${fmt(Math.min(...lags) / 1000)} to ${fmt(Math.max(...lags) / 1000)}`;
  return ` Measured: the first successful answer after the stall came ${range} s after a surviving node was seen in a cluster of two (polled every 100 ms).`;
}

function errorCode(answer: TimedAnswer): string | null {
  try {
    const code = (JSON.parse(answer.body ?? '') as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/**
 * An answer HAProxy gave itself: its error page (HTML), or the API-shaped 503 deploy/cluster's front
 * answers with when no instance can take a request (SERVICE_UNAVAILABLE: the instances never use it).
 */
function fromProxy(answer: TimedAnswer): boolean {
  if (!answer.status) return false;
  const code = errorCode(answer);
  return code === null || code === 'SERVICE_UNAVAILABLE';
}

/** A failed request as status and error code, and who answered it. */
function failureOf(answer: TimedAnswer): string {
  if (!answer.status) return 'no answer';
  return `${answer.status} ${errorCode(answer) ?? 'error page'} from ${fromProxy(answer) ? 'HAProxy' : 'an instance'}`;
}

/** Who answered the failed requests: the instances, or HAProxy with every instance out of the front. */
function answeredBy(failovers: Failover[]): string {
  const byProxy = failovers.filter((f) => f.answeredByProxy > 0).length;
  return byProxy
    ? `In ${byProxy} of ${failovers.length} run(s) HAProxy answered failed requests itself: its health check (\`GET /api/health\`, which runs \`SELECT 1\` with a 2 s limit) had taken every instance out of the front while the database could not answer (an instance comes back after two good checks, 1 s apart).`
    : 'HAProxy never answered a request itself: every failed request was answered by an instance.';
}

function describeFailover(f: Failover): string {
  const seconds = (ms: number | null) => (ms === null ? 'not seen while the load ran' : `${fmt(ms / 1000)} s after the kill`);
  return (
    `node${f.node} killed: no successful answer for ${fmt(f.stall.ms)} ms${f.stall.reachedEnd ? ' (until the load ended: at least that)' : ''}` +
    ` (from ${fmt(f.stall.startMs)} ms to ${fmt(f.stall.endMs)} ms after the kill), ${f.failed} failed request(s)${f.failureDetail ? ` (${f.failureDetail})` : ''}` +
    `${f.failedBeforeKill ? `, ${f.failedBeforeKill} of them before the kill` : ''}${f.lastFailureMs === null ? '' : `, the last ${seconds(f.lastFailureMs)}`}` +
    `; HAProxy marked it down ${seconds(f.markedDownMs)}, the survivors evicted it ${seconds(f.evictedMs)}` +
    `; instances out of the front: ${f.instancesOut.length ? f.instancesOut.map((o) => `${o.instance} ${fmt(o.fromMs / 1000)}–${o.toMs === null ? 'end' : fmt(o.toMs / 1000)} s`).join(', ') : 'none'}` +
    `; ${fmt(f.beforeRate)} tips/s before the kill, ${fmt(f.afterRate)} tips/s from 2 s after the stall`
  );
}

async function tipsAndCases(db: Connection): Promise<{ tips: number; cases: number }> {
  const [rows] = await db.query('SELECT (SELECT COUNT(*) FROM tips) AS tips, (SELECT COUNT(*) FROM cases) AS cases');
  const row = (rows as Array<{ tips: number | string; cases: number | string }>)[0]!;
  return { tips: Number(row.tips), cases: Number(row.cases) };
}

function counted(counts: { tips: number; cases: number }): string {
  return `${counts.tips.toLocaleString('en-US')} tips in ${counts.cases.toLocaleString('en-US')} cases`;
}

/** How each database makes a commit durable: the single server flushes its log at every commit; the nodes (galera.ts) count on their three copies. */
async function durabilitySettings(singleUrl: string, nodeUrl: string): Promise<{ single: string; node: string }> {
  const describe = async (url: string) => {
    const conn = await connect(url);
    try {
      const [rows] = await conn.query(
        'SELECT @@innodb_flush_log_at_trx_commit AS flush, @@innodb_buffer_pool_size AS pool, @@log_bin AS binlog',
      );
      const row = (rows as Array<{ flush: number; pool: number | string; binlog: number }>)[0]!;
      return `innodb_flush_log_at_trx_commit=${row.flush}, buffer pool ${Math.round(Number(row.pool) / 2 ** 20)} MiB, binary log ${row.binlog ? 'on' : 'off'}`;
    } finally {
      await conn.end();
    }
  };
  return { single: await describe(singleUrl), node: await describe(nodeUrl) };
}

/** Galera's provider options on a node (`evs.suspect_timeout = PT5S; …`), by name. */
async function providerOptions(nodeUrl: string): Promise<Map<string, string>> {
  const conn = await connect(nodeUrl);
  try {
    const [rows] = await conn.query('SELECT @@wsrep_provider_options AS options');
    const text = String((rows as Array<{ options: string }>)[0]!.options);
    return new Map(
      text
        .split(';')
        .map((pair) => pair.split('=').map((s) => s.trim()))
        .filter((pair): pair is [string, string] => pair.length === 2 && Boolean(pair[0])),
    );
  } finally {
    await conn.end();
  }
}

/** The settings that decide how soon a dead node stops taking writes: HAProxy's check of the write port (its generated configuration) and Galera's. */
function detectionSettings(cluster: LocalCluster, provider: Map<string, string>) {
  const config = readFileSync(join(cluster.stateDir, 'haproxy', 'haproxy.cfg'), 'utf8');
  const writeSection = config.split(`listen ${BACKENDS.write}`)[1]?.split(/\n(?=\S)/)[0] ?? '';
  const check = /\bcheck inter (\d+)(ms|s) fall (\d+) rise (\d+)/.exec(writeSection);
  if (!check) throw new Error(`no check settings for the write port in ${join(cluster.stateDir, 'haproxy', 'haproxy.cfg')}`);
  const interMs = Number(check[1]) * (check[2] === 's' ? 1000 : 1);
  return {
    haproxyCheck: check[0],
    haproxyDownMs: interMs * Number(check[3]),
    fall: Number(check[3]),
    suspectTimeout: provider.get('evs.suspect_timeout') ?? 'unknown',
    inactiveTimeout: provider.get('evs.inactive_timeout') ?? 'unknown',
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
