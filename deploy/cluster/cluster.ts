/**
 * A whole cluster deployment on one machine, for tests, the bench and trying failover by hand:
 * three MariaDB Galera nodes each with its health check, HAProxy in front of them and of the app
 * instances, an S3-compatible store (s3rver), and N instances of the compiled server in cluster mode.
 * Run as root (mariadbd switches to the `mysql` user). See deploy/cluster/README.md.
 *
 *   npx tsx deploy/cluster/cluster.ts up [--state-dir <dir>] [--base-port <port>] [--instances 2] [--seed-demo] …
 *   npx tsx deploy/cluster/cluster.ts status | down [--state-dir <dir>]
 *
 * As a module: `const cluster = await LocalCluster.up({ stateDir, instances: 2 })`, then its URLs,
 * `killNode(1)`, `startNode(1)`, `killInstance(2)`, `haproxyServers()`, … and `down()`.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { galeraConfig, installDatadir, isSynced, MARIADBD, recoverPosition, wsrepState, type GaleraNode, type WsrepState } from './galera';
import {
  BACKENDS,
  checkHaproxyConfig,
  HAPROXY,
  haproxyConfig,
  readHaproxyServers,
  serviceUnavailableResponse,
  type HaproxyServer,
} from './haproxy';
import { logTail, ProcessTable, waitFor } from './processes';

export type { HaproxyServer, WsrepState };
export { BACKENDS, isSynced };

const ROOT = resolve(__dirname, '../..');
const SERVER_MAIN = join(ROOT, 'server/dist/main.js');
const SERVER_CLI = join(ROOT, 'server/dist/cli.js');
const GALERA_CHECK = join(__dirname, 'galera-check.mjs');
const S3_STORE = join(__dirname, 's3-store.mjs');

export const DEFAULT_STATE_DIR = join(tmpdir(), 'baoxue-cluster');
const STATE_FILE = 'cluster.json';
const NODE_COUNT = 3;
const MAX_INSTANCES = 40;
/** s3rver checks signatures against these fixed keys. */
const S3_KEY = 'S3RVER';

/**
 * Every port is the base port plus a fixed offset, in one block of 100: several clusters (parallel
 * test runs) each take a block of their own.
 */
const PORT_BLOCK = 100;
export function clusterPorts(basePort: number, instances: number) {
  return {
    nodes: Array.from({ length: NODE_COUNT }, (_, i) => ({
      sql: basePort + i,
      gcomm: basePort + 10 + 2 * i,
      ist: basePort + 11 + 2 * i,
      sst: basePort + 20 + i,
      check: basePort + 30 + i,
    })),
    write: basePort + 40,
    readWrite: basePort + 41,
    front: basePort + 42,
    stats: basePort + 43,
    s3: basePort + 50,
    instances: Array.from({ length: instances }, (_, i) => basePort + 60 + i),
  };
}
export type ClusterPorts = ReturnType<typeof clusterPorts>;

function allPorts(ports: ClusterPorts): number[] {
  return [
    ...ports.nodes.flatMap((n) => [n.sql, n.gcomm, n.ist, n.sst, n.check]),
    ports.write,
    ports.readWrite,
    ports.front,
    ports.stats,
    ports.s3,
    ...ports.instances,
  ];
}

export interface ClusterOptions {
  /** Where everything of this cluster lives: data, configs, logs, pid files. Default: $TMPDIR/baoxue-cluster. */
  stateDir?: string;
  /** First port of the block of 100 this cluster uses; default: a free block between 20000 and 32000. */
  basePort?: number;
  /** App instances behind HAProxy (default 2). */
  instances?: number;
  /** APP_MODE of the instances (default demo). */
  appMode?: 'demo' | 'test' | 'production';
  /** Load the demo county once with `cli seed-demo` after `cli migrate`. */
  seedDemo?: boolean;
  /** Added to (and overriding) every instance's environment: WECHAT_API_BASE, OUTBOX_POLL_MS, LOG_LEVEL, … */
  instanceEnv?: Record<string, string>;
  /** Default redis://127.0.0.1:6379; the cluster's keys get a prefix of their own. */
  redisUrl?: string;
  /** Progress lines (`up` prints them). */
  log?: (line: string) => void;
}

/** What `up` decided, kept in `<state dir>/cluster.json` so `status`, `down` and other processes find the cluster. */
interface ClusterState {
  stateDir: string;
  basePort: number;
  instances: number;
  clusterName: string;
  database: string;
  appMode: string;
  seedDemo: boolean;
  redisUrl: string;
  redisKeyPrefix: string;
  fileUrlSecret: string;
  bucket: string;
  instanceEnv: Record<string, string>;
  createdAt: string;
  /** How long `up` took, in ms (set when it finished). */
  bringUpMs?: number;
}

export class ClusterAlreadyUpError extends Error {}

export class LocalCluster {
  readonly ports: ClusterPorts;
  private readonly processes: ProcessTable;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly state: ClusterState,
    log?: (line: string) => void,
  ) {
    this.ports = clusterPorts(state.basePort, state.instances);
    this.processes = new ProcessTable(state.stateDir);
    this.log = log ?? (() => undefined);
  }

  /**
   * Brings the whole cluster up and returns when every node is Synced, HAProxy sees them, the schema
   * is migrated and every instance answers /api/health with 200. Refuses a state directory whose
   * cluster is (partly) running; one left behind with nothing running is cleared and reused.
   */
  static async up(options: ClusterOptions = {}): Promise<LocalCluster> {
    const started = Date.now();
    const stateDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
    const instances = options.instances ?? 2;
    if (!Number.isInteger(instances) || instances < 1 || instances > MAX_INSTANCES) {
      throw new Error(`instances must be between 1 and ${MAX_INSTANCES}`);
    }
    checkPrerequisites();
    await clearStale(stateDir);
    const basePort = options.basePort ?? (await freePortBlock(instances));
    const busy = await busyPorts(allPorts(clusterPorts(basePort, instances)));
    if (busy.length) throw new Error(`ports in use, choose another --base-port: ${busy.join(', ')}`);

    mkdirSync(join(stateDir, 'logs'), { recursive: true });
    // mariadbd runs as mysql and must reach its node directories
    chmodSync(stateDir, 0o755);
    const id = randomBytes(4).toString('hex');
    const state: ClusterState = {
      stateDir,
      basePort,
      instances,
      clusterName: `baoxue-${id}`,
      database: 'baoxue',
      appMode: options.appMode ?? 'demo',
      seedDemo: options.seedDemo ?? false,
      redisUrl: options.redisUrl ?? 'redis://127.0.0.1:6379',
      redisKeyPrefix: `bx-cluster-${id}:`,
      fileUrlSecret: randomBytes(32).toString('hex'),
      bucket: 'baoxue',
      instanceEnv: options.instanceEnv ?? {},
      createdAt: new Date().toISOString(),
    };
    // exclusive: a second `up` racing for the same directory fails here
    writeFileSync(join(stateDir, STATE_FILE), JSON.stringify(state, null, 2), { flag: 'wx' });
    const cluster = new LocalCluster(state, options.log);
    try {
      await cluster.bringUp();
    } catch (error) {
      await cluster.processes.killAll().catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      const after = `the cluster's processes were stopped; its logs are in ${join(stateDir, 'logs')}, \`down\` removes them`;
      throw new Error(`${message}\n(${after})`, { cause: error });
    }
    state.bringUpMs = Date.now() - started;
    writeFileSync(join(stateDir, STATE_FILE), JSON.stringify(state, null, 2));
    cluster.log(`cluster up in ${(state.bringUpMs / 1000).toFixed(1)} s`);
    return cluster;
  }

  /** The cluster recorded in a state directory (running or not), or null when there is none. */
  static attach(stateDir: string = DEFAULT_STATE_DIR, log?: (line: string) => void): LocalCluster | null {
    const state = readState(resolve(stateDir));
    return state ? new LocalCluster(state, log) : null;
  }

  /**
   * Stops every process a cluster in `stateDir` started (checked by pid file, command line and marker;
   * nothing else is touched) and removes the directory. Safe to run twice, and when nothing is up.
   */
  static async down(stateDir: string = DEFAULT_STATE_DIR): Promise<string[]> {
    const dir = resolve(stateDir);
    if (!existsSync(dir)) return [];
    if (!isClusterDir(dir)) throw new Error(`${dir} is not the state directory of a cluster (no ${STATE_FILE}): not touching it`);
    const stopped = await new ProcessTable(dir).killAll();
    rmSync(dir, { recursive: true, force: true });
    return stopped;
  }

  get stateDir(): string {
    return this.state.stateDir;
  }

  /** How long `up` took, in ms. */
  get bringUpMs(): number | undefined {
    return this.state.bringUpMs;
  }

  /** Every connection to one synced node (node1 while it is synced). */
  get writeUrl(): string {
    return `mysql://root@127.0.0.1:${this.ports.write}/${this.state.database}`;
  }

  /** Connections spread over all synced nodes (multi-writer). */
  get readWriteUrl(): string {
    return `mysql://root@127.0.0.1:${this.ports.readWrite}/${this.state.database}`;
  }

  /** Straight to one node, past HAProxy (1-based). */
  nodeUrl(node: number): string {
    return `mysql://root@127.0.0.1:${this.galeraNode(node).sqlPort}/${this.state.database}`;
  }

  /** HAProxy's HTTP front end over the instances. */
  get frontUrl(): string {
    return `http://127.0.0.1:${this.ports.front}`;
  }

  get statsUrl(): string {
    return `http://127.0.0.1:${this.ports.stats}/`;
  }

  get instanceUrls(): string[] {
    return this.ports.instances.map((port) => `http://127.0.0.1:${port}`);
  }

  get redisKeyPrefix(): string {
    return this.state.redisKeyPrefix;
  }

  /** The object store: what a client needs, and the server settings that point at it. */
  get s3() {
    const endpoint = `http://127.0.0.1:${this.ports.s3}`;
    return {
      endpoint,
      bucket: this.state.bucket,
      region: 'us-east-1',
      accessKeyId: S3_KEY,
      secretAccessKey: S3_KEY,
      forcePathStyle: true,
      env: {
        FILE_STORE: 's3',
        S3_ENDPOINT: endpoint,
        S3_BUCKET: this.state.bucket,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: S3_KEY,
        S3_SECRET_ACCESS_KEY: S3_KEY,
        S3_FORCE_PATH_STYLE: 'true',
      },
    };
  }

  /** The environment every instance (and `cli` run against the cluster) gets, without PORT. */
  get appEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DEPLOYMENT: 'cluster',
      APP_MODE: this.state.appMode,
      DATABASE_URL: this.writeUrl,
      REDIS_URL: this.state.redisUrl,
      REDIS_KEY_PREFIX: this.state.redisKeyPrefix,
      ...this.s3.env,
      FILE_URL_SECRET: this.state.fileUrlSecret,
      // HAProxy is the one proxy in front: the client address is the last X-Forwarded-For entry
      TRUST_PROXY: '1',
      HOST: '127.0.0.1',
      H5_DIR: '',
      LOG_LEVEL: 'info',
      UPLOAD_DIR: join(this.stateDir, 'uploads'),
      // the AWS SDK's notice that its 2027 releases need Node 22, in every instance's log otherwise
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...this.state.instanceEnv,
    };
  }

  /** SIGKILL to one Galera node (1-based), as a crash. */
  async killNode(node: number): Promise<void> {
    this.galeraNode(node);
    await this.processes.kill(`node${node}`, 'SIGKILL');
  }

  /**
   * Starts a stopped node: it rejoins the others (IST, or SST when too far behind) and this returns
   * when it is Synced in a cluster of every running node. With no other node running it bootstraps.
   */
  async startNode(node: number, timeoutMs = 90_000): Promise<void> {
    const spec = this.galeraNode(node);
    const name = `node${node}`;
    if (this.processes.pid(name) !== null) throw new Error(`${name} is running`);
    const others = this.galeraNodes().filter((n) => n.index !== node && this.processes.pid(`node${n.index}`) !== null);
    if (others.length === 0) markSafeToBootstrap(spec);
    const recovered = recoverPosition(this.galeraConfigFile(spec));
    appendFileSync(this.logFile(name), `--wsrep-recover:\n${recovered.output}\n`);
    this.startGaleraProcess(spec, others.length === 0, recovered.position);
    await this.waitForNode(spec, others.length + 1, timeoutMs);
  }

  /** The node's own wsrep status (1-based), or null when it does not answer. */
  nodeState(node: number): Promise<WsrepState | null> {
    return wsrepState(this.galeraNode(node).sqlPort);
  }

  /** SIGKILL to one instance (1-based). */
  async killInstance(instance: number): Promise<void> {
    this.instancePort(instance);
    await this.processes.kill(`instance${instance}`, 'SIGKILL');
  }

  /** Starts a stopped instance and waits until it answers /api/health with 200. */
  async startInstance(instance: number, timeoutMs = 60_000): Promise<void> {
    const name = `instance${instance}`;
    if (this.processes.pid(name) !== null) throw new Error(`${name} is running`);
    this.startInstanceProcess(instance);
    await this.waitForInstance(instance, timeoutMs);
  }

  /** Every server of every HAProxy backend, from its stats socket. */
  haproxyServers(): Promise<HaproxyServer[]> {
    return readHaproxyServers(this.haproxySocket);
  }

  /** Waits until HAProxy's servers satisfy `ready` (e.g. node1 DOWN in the write backend). */
  async waitForHaproxy(what: string, ready: (servers: HaproxyServer[]) => boolean, timeoutMs = 30_000): Promise<HaproxyServer[]> {
    let last: HaproxyServer[] = [];
    return waitFor(
      what,
      timeoutMs,
      async () => {
        last = await this.haproxyServers().catch(() => []);
        return ready(last) ? last : null;
      },
      { lastSeen: () => describeServers(last), logFile: this.logFile('haproxy') },
    );
  }

  /** The node (`node1`…) the write port sends a new connection to, or null when it cannot connect. */
  async writeNode(): Promise<string | null> {
    let connection;
    try {
      connection = await createConnection({ uri: this.writeUrl, connectTimeout: 2000 });
      const [rows] = await connection.query({ sql: 'SELECT @@wsrep_node_name AS node', timeout: 2000 });
      return (rows as Array<{ node: string }>)[0]?.node ?? null;
    } catch {
      return null;
    } finally {
      connection?.destroy();
    }
  }

  /** Stops every process of this cluster and removes its state directory. */
  async down(): Promise<string[]> {
    return LocalCluster.down(this.stateDir);
  }

  /** Running process names, by the pid files (checked against /proc). */
  running(): string[] {
    return Object.keys(this.processIds());
  }

  /** The pid of every running process of the cluster, by name (`node1`, `haproxy`, `instance2`, …). */
  processIds(): Record<string, number> {
    const ids: Record<string, number> = {};
    for (const name of this.processes.names()) {
      const pid = this.processes.pid(name);
      if (pid !== null) ids[name] = pid;
    }
    return ids;
  }

  /** A readable account of every piece: nodes and their wsrep state, HAProxy's servers, instances. */
  async statusReport(): Promise<string> {
    const lines = [
      `cluster in ${this.stateDir} (${this.state.clusterName}, ports ${this.state.basePort}–${this.state.basePort + PORT_BLOCK - 1})` +
        (this.state.bringUpMs ? `, brought up in ${(this.state.bringUpMs / 1000).toFixed(1)} s` : ''),
      'Galera nodes:',
    ];
    for (const node of this.galeraNodes()) {
      const pid = this.processes.pid(`node${node.index}`);
      const state = pid === null ? null : await wsrepState(node.sqlPort);
      const health = pid === null ? 'not running' : state ? describeWsrep(state) : 'running, not answering';
      const checkPort = this.ports.nodes[node.index - 1]!.check;
      const check = this.processes.pid(`check${node.index}`) === null ? 'check not running' : `check :${checkPort}`;
      lines.push(`  node${node.index}  ${pidText(pid)}  mysql://127.0.0.1:${node.sqlPort}  ${health}  (${check})`);
    }
    const haproxyPid = this.processes.pid('haproxy');
    lines.push(
      `HAProxy ${pidText(haproxyPid)}: write mysql://127.0.0.1:${this.ports.write} (→ ${(await this.writeNode()) ?? 'none'}), read-write mysql://127.0.0.1:${this.ports.readWrite}, front ${this.frontUrl}, stats ${this.statsUrl}`,
    );
    if (haproxyPid !== null) {
      const servers = await this.haproxyServers().catch((error: Error) => error);
      if (servers instanceof Error) lines.push(`  stats socket: ${servers.message}`);
      else for (const s of servers) lines.push(`  ${`${s.backend}/${s.server}`.padEnd(26)} ${serverText(s)}`);
    }
    lines.push('App instances:');
    for (let i = 1; i <= this.state.instances; i++) {
      const pid = this.processes.pid(`instance${i}`);
      const health = pid === null ? 'not running' : `/api/health ${await healthStatus(`${this.instanceUrls[i - 1]!}/api/health`)}`;
      lines.push(`  instance${i}  ${pidText(pid)}  ${this.instanceUrls[i - 1]}  ${health}`);
    }
    lines.push(`Object store: ${this.s3.endpoint} bucket ${this.s3.bucket} ${pidText(this.processes.pid('s3'))}`);
    lines.push(`Redis: ${this.state.redisUrl} keys ${this.state.redisKeyPrefix}*`);
    lines.push(`Logs: ${join(this.stateDir, 'logs')}`);
    return lines.join('\n');
  }

  private async bringUp(): Promise<void> {
    const started = Date.now();
    const step = (line: string) => this.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
    const nodes = this.galeraNodes();

    // what does not need the database starts first, and comes up while the nodes do
    this.startS3Store();
    for (const node of nodes) this.startGaleraCheck(node);
    this.startHaproxy();
    step('object store, Galera checks and HAProxy started');

    for (const node of nodes) {
      mkdirSync(node.dir, { recursive: true });
      chownToMysql(node.dir);
      writeFileSync(this.galeraConfigFile(node), galeraConfig(node, nodes, this.state.clusterName));
    }
    installDatadir(nodes[0]!);
    // the joiners start from a copy: their state transfer (rsync) then only sends what differs
    for (const node of nodes.slice(1)) copyDir(`${nodes[0]!.dir}/data`, `${node.dir}/data`);
    step('data directories installed');

    const [node1, node2, node3] = nodes as [GaleraNode, GaleraNode, GaleraNode];
    this.startGaleraProcess(node1, true);
    await this.waitForNode(node1, 1, 30_000);
    step('node1 bootstrapped the cluster');
    this.startGaleraProcess(node2, false);
    await this.waitForNode(node2, 2, 60_000);
    step('node2 joined (state transfer from node1)');
    // node3 takes its state from node2 (its donor preference) while node1, the writer, migrates
    this.startGaleraProcess(node3, false);
    await Promise.all([
      this.waitForNode(node3, NODE_COUNT, 60_000).then(() => step('node3 joined (state transfer from node2): 3 nodes Synced')),
      this.deployApp(step),
    ]);
    await this.waitForHaproxy(
      'HAProxy seeing every Galera node and every instance up',
      (servers) => servers.filter((s) => s.status === 'UP' && s.checkStatus === 'L7OK').length === 2 * NODE_COUNT + this.state.instances,
      15_000,
    );
    step(`HAProxy: 3 nodes behind the write and read-write ports, ${this.state.instances} instance(s) behind ${this.frontUrl}`);
  }

  /** The deploy steps through the write port (`cli migrate`, maybe `cli seed-demo`), then the instances. */
  private async deployApp(step: (line: string) => void): Promise<void> {
    await this.waitForHaproxy(
      'HAProxy sending the write port to node1',
      (servers) =>
        servers.some((s) => s.backend === BACKENDS.write && s.server === 'node1' && s.status === 'UP' && s.checkStatus === 'L7OK'),
      15_000,
    );
    await this.createDatabase();
    await this.runCli(['migrate']);
    step('schema migrated (cli migrate)');
    if (this.state.seedDemo) {
      await this.runCli(['seed-demo']);
      step('demo county loaded (cli seed-demo)');
    }
    await waitFor('the object store (s3rver)', 15_000, async () => ((await healthStatus(this.s3.endpoint)) > 0 ? true : null), {
      logFile: this.logFile('s3'),
    });
    for (let i = 1; i <= this.state.instances; i++) this.startInstanceProcess(i);
    await Promise.all(Array.from({ length: this.state.instances }, (_, i) => this.waitForInstance(i + 1, 60_000)));
    step(`${this.state.instances} instance(s) answer /api/health`);
  }

  private galeraNodes(): GaleraNode[] {
    return this.ports.nodes.map((ports, i) => ({
      index: i + 1,
      dir: join(this.stateDir, `node${i + 1}`),
      sqlPort: ports.sql,
      gcommPort: ports.gcomm,
      istPort: ports.ist,
      sstPort: ports.sst,
    }));
  }

  private galeraNode(node: number): GaleraNode {
    const found = this.galeraNodes()[node - 1];
    if (!found || !Number.isInteger(node)) throw new Error(`no node ${node}: nodes are 1 to ${NODE_COUNT}`);
    return found;
  }

  private instancePort(instance: number): number {
    const port = this.ports.instances[instance - 1];
    if (port === undefined || !Number.isInteger(instance))
      throw new Error(`no instance ${instance}: instances are 1 to ${this.state.instances}`);
    return port;
  }

  private galeraConfigFile(node: GaleraNode): string {
    return join(node.dir, 'my.cnf');
  }

  private logFile(name: string): string {
    return join(this.stateDir, 'logs', `${name}.log`);
  }

  private get haproxySocket(): string {
    return join(this.stateDir, 'haproxy', 'haproxy.sock');
  }

  private startGaleraProcess(node: GaleraNode, bootstrap: boolean, startPosition: string | null = null): void {
    this.processes.start({
      name: `node${node.index}`,
      command: MARIADBD,
      // --defaults-file first: the node reads its own file and nothing of the machine's /etc/mysql
      args: [
        `--defaults-file=${this.galeraConfigFile(node)}`,
        '--user=mysql',
        ...(bootstrap ? ['--wsrep-new-cluster'] : []),
        ...(startPosition ? [`--wsrep-start-position=${startPosition}`] : []),
      ],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      logFile: this.logFile(`node${node.index}`),
    });
  }

  /** Until the node is Synced in the primary component and sees `size` nodes. */
  private async waitForNode(node: GaleraNode, size: number, timeoutMs: number): Promise<void> {
    const name = `node${node.index}`;
    let last: WsrepState | null = null;
    await waitFor(
      `Galera ${name} (Synced in a cluster of ${size})`,
      timeoutMs,
      async () => {
        if (this.processes.pid(name) === null) throw new Error(`Galera ${name} exited while starting\n${logTail(this.logFile(name))}`);
        last = await wsrepState(node.sqlPort);
        return isSynced(last) && last!.clusterSize === size ? true : null;
      },
      { logFile: this.logFile(name), lastSeen: () => (last ? describeWsrep(last) : 'not answering on SQL') },
    );
  }

  private startGaleraCheck(node: GaleraNode): void {
    const ports = this.ports.nodes[node.index - 1]!;
    this.processes.start({
      name: `check${node.index}`,
      command: process.execPath,
      args: [GALERA_CHECK, '--host', '127.0.0.1', '--port', String(ports.check), '--mysql-port', String(ports.sql)],
      env: { PATH: process.env.PATH ?? '' },
      cwd: ROOT,
      logFile: this.logFile(`check${node.index}`),
    });
  }

  private startS3Store(): void {
    const directory = join(this.stateDir, 's3');
    mkdirSync(directory, { recursive: true });
    this.processes.start({
      name: 's3',
      command: process.execPath,
      args: [S3_STORE, '--port', String(this.ports.s3), '--directory', directory, '--bucket', this.state.bucket],
      env: { PATH: process.env.PATH ?? '' },
      cwd: ROOT,
      logFile: this.logFile('s3'),
    });
  }

  private startHaproxy(): void {
    const dir = join(this.stateDir, 'haproxy');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'haproxy.cfg');
    const serviceUnavailableFile = join(dir, 'service-unavailable.http');
    writeFileSync(serviceUnavailableFile, serviceUnavailableResponse());
    writeFileSync(
      file,
      haproxyConfig({
        socketPath: this.haproxySocket,
        writePort: this.ports.write,
        readWritePort: this.ports.readWrite,
        frontPort: this.ports.front,
        statsPort: this.ports.stats,
        nodes: this.ports.nodes.map((ports, i) => ({ name: `node${i + 1}`, sqlPort: ports.sql, checkPort: ports.check })),
        instances: this.ports.instances.map((port, i) => ({ name: `instance${i + 1}`, port })),
        serviceUnavailableFile,
      }),
    );
    checkHaproxyConfig(file);
    // in the foreground (-db) as a process of its own: its log goes to the log file, its pid is the one recorded
    this.processes.start({
      name: 'haproxy',
      command: HAPROXY,
      args: ['-db', '-f', file],
      env: { PATH: process.env.PATH ?? '' },
      logFile: this.logFile('haproxy'),
    });
  }

  private startInstanceProcess(instance: number): void {
    this.processes.start({
      name: `instance${instance}`,
      command: process.execPath,
      args: [SERVER_MAIN],
      env: { ...this.appEnv, PORT: String(this.instancePort(instance)) },
      cwd: ROOT,
      logFile: this.logFile(`instance${instance}`),
    });
  }

  private async waitForInstance(instance: number, timeoutMs: number): Promise<void> {
    const name = `instance${instance}`;
    const url = this.instanceUrls[instance - 1]!;
    let last = 0;
    await waitFor(
      `app ${name} (${url}/api/health answering 200)`,
      timeoutMs,
      async () => {
        if (this.processes.pid(name) === null) throw new Error(`app ${name} exited while starting\n${logTail(this.logFile(name))}`);
        last = await healthStatus(`${url}/api/health`);
        return last === 200 ? true : null;
      },
      { logFile: this.logFile(name), lastSeen: () => (last ? `status ${last}` : 'not listening') },
    );
  }

  private async createDatabase(): Promise<void> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.ports.write, user: 'root', connectTimeout: 5000 });
    try {
      await connection.query({
        sql: `CREATE DATABASE IF NOT EXISTS \`${this.state.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        timeout: 30_000,
      });
    } finally {
      await connection.end();
    }
  }

  /** `node server/dist/cli.js …` against the write port, as the deploy step runs it; output in logs/cli.log. */
  private runCli(args: string[], timeoutMs = 180_000): Promise<void> {
    const logFile = this.logFile('cli');
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [SERVER_CLI, ...args], { cwd: ROOT, env: { ...this.appEnv, LOG_LEVEL: 'warn' } });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        writeFileSync(logFile, `$ node server/dist/cli.js ${args.join(' ')}\n${output}\n`, { flag: 'a' });
        if (status === 0) resolvePromise();
        else reject(new Error(`cli ${args.join(' ')} failed (status ${status ?? 'killed after timeout'})\n${logTail(logFile)}`));
      });
    });
  }
}

/** The `mysql` account mariadbd switches to, which must own the node directories. */
function chownToMysql(dir: string): void {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'mysql'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, id('-u'), id('-g'));
}

function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error('run as root: mariadbd is started with --user=mysql');
  const missing = [
    [MARIADBD, 'apt-get install -y mariadb-server'],
    ['/usr/lib/galera/libgalera_smm.so', 'apt-get install -y galera-4'],
    ['/usr/bin/rsync', 'apt-get install -y rsync'],
    [HAPROXY, 'apt-get install -y haproxy'],
    [SERVER_MAIN, 'npx tsc -b shared server'],
  ].filter(([file]) => !existsSync(file!));
  if (missing.length) throw new Error(`missing: ${missing.map(([file, fix]) => `${file} (${fix})`).join(', ')}`);
}

function readState(stateDir: string): ClusterState | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, STATE_FILE), 'utf8')) as ClusterState;
  } catch {
    return null;
  }
}

function isClusterDir(dir: string): boolean {
  return existsSync(join(dir, STATE_FILE)) || existsSync(join(dir, 'run'));
}

/** A running cluster is refused; one that left only files behind (a crash, a failed `up`) is removed. */
async function clearStale(stateDir: string): Promise<void> {
  if (!existsSync(stateDir)) return;
  if (!isClusterDir(stateDir)) {
    if (readdirSync(stateDir).length === 0) return;
    throw new Error(`${stateDir} exists and is not the state directory of a cluster: choose another --state-dir`);
  }
  const cluster = LocalCluster.attach(stateDir);
  const running = cluster?.running() ?? [];
  if (running.length) {
    throw new ClusterAlreadyUpError(`a cluster is already up in ${stateDir} (${running.join(', ')}): use it, or run \`down\` first`);
  }
  await LocalCluster.down(stateDir);
}

function markSafeToBootstrap(node: GaleraNode): void {
  const file = join(node.dir, 'data', 'grastate.dat');
  if (existsSync(file)) writeFileSync(file, readFileSync(file, 'utf8').replace(/^safe_to_bootstrap:\s*0$/m, 'safe_to_bootstrap: 1'));
}

function copyDir(from: string, to: string): void {
  const result = spawnSync('cp', ['-a', from, to], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`cp -a ${from} ${to} failed: ${result.stderr}`);
}

async function busyPorts(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) if (!(await portIsFree(port))) busy.push(port);
  return busy;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise(true)));
  });
}

/** A block of 100 free ports below Linux's ephemeral range, chosen at random so parallel runs rarely meet. */
async function freePortBlock(instances: number): Promise<number> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const base = 20_000 + PORT_BLOCK * randomInt(120);
    if ((await busyPorts(allPorts(clusterPorts(base, instances)))).length === 0) return base;
  }
  throw new Error('found no block of free ports between 20000 and 32000; pass --base-port');
}

/** The HTTP status of a GET, 0 when nothing answers within 2 s. */
async function healthStatus(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

function describeWsrep(state: WsrepState): string {
  return `${state.localStateComment || `state ${state.localState}`}, ${state.clusterStatus || 'no cluster'}, size ${state.clusterSize}`;
}

function serverText(s: HaproxyServer): string {
  return `${s.status}${s.backup ? ' (backup)' : ''}, check ${s.checkStatus || '-'}, ${s.currentSessions} session(s) now, ${s.totalSessions} in all`;
}

function describeServers(servers: HaproxyServer[]): string {
  return servers.length
    ? servers.map((s) => `${s.backend}/${s.server} ${s.status} ${s.checkStatus}`).join('; ')
    : 'no answer from the stats socket';
}

function pidText(pid: number | null): string {
  return pid === null ? '(no process)' : `pid ${pid}`;
}

/** `up`, `down`, `status` and the failover drills, for a person at a terminal. */
async function cli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'state-dir': { type: 'string', default: DEFAULT_STATE_DIR },
      'base-port': { type: 'string' },
      instances: { type: 'string', default: '2' },
      mode: { type: 'string', default: 'demo' },
      'seed-demo': { type: 'boolean', default: false },
      'redis-url': { type: 'string' },
      env: { type: 'string', multiple: true, default: [] },
    },
  });
  const [command, target] = positionals;
  const stateDir = isAbsolute(values['state-dir']) ? values['state-dir'] : resolve(values['state-dir']);
  const started = Date.now();
  const print = (line: string) => console.log(line);
  const attached = () => {
    const cluster = LocalCluster.attach(stateDir, print);
    if (!cluster) throw new Error(`no cluster in ${stateDir}`);
    return cluster;
  };
  const index = () => {
    if (!target || !/^\d+$/.test(target)) throw new Error(`${command} needs a number, e.g. ${command} 1`);
    return Number(target);
  };
  switch (command) {
    case 'up': {
      if (!['demo', 'test', 'production'].includes(values.mode)) throw new Error('--mode is demo, test or production');
      const instanceEnv = Object.fromEntries(
        values.env.map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new Error(`--env takes NAME=value, not ${pair}`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
      let cluster: LocalCluster;
      try {
        cluster = await LocalCluster.up({
          stateDir,
          basePort: values['base-port'] ? Number(values['base-port']) : undefined,
          instances: Number(values.instances),
          appMode: values.mode as ClusterOptions['appMode'],
          seedDemo: values['seed-demo'],
          redisUrl: values['redis-url'],
          instanceEnv,
          log: print,
        });
      } catch (error) {
        if (!(error instanceof ClusterAlreadyUpError)) throw error;
        console.error(error.message);
        console.error(await attached().statusReport());
        return 1;
      }
      console.log(`\n${await cluster.statusReport()}\n\nstop it with: npx tsx deploy/cluster/cluster.ts down --state-dir ${stateDir}`);
      return 0;
    }
    case 'down': {
      const stopped = await LocalCluster.down(stateDir);
      console.log(
        stopped.length ? `stopped ${stopped.join(', ')}; removed ${stateDir}` : `nothing running in ${stateDir}; nothing left there`,
      );
      return 0;
    }
    case 'status': {
      const cluster = LocalCluster.attach(stateDir);
      if (!cluster) {
        console.log(`no cluster in ${stateDir}`);
        return 3;
      }
      console.log(await cluster.statusReport());
      return 0;
    }
    case 'kill-node':
      await attached().killNode(index());
      break;
    case 'start-node':
      await attached().startNode(index());
      break;
    case 'kill-instance':
      await attached().killInstance(index());
      break;
    case 'start-instance':
      await attached().startInstance(index());
      break;
    default:
      console.error(`usage: npx tsx deploy/cluster/cluster.ts <command> [options]

  up               three Galera nodes, their checks, HAProxy, s3rver and the app instances
                     --state-dir <dir>   default ${DEFAULT_STATE_DIR}
                     --base-port <port>  first of a block of ${PORT_BLOCK} ports (default: a free block)
                     --instances <n>     app instances (default 2)
                     --mode demo|test|production   APP_MODE of the instances (default demo)
                     --seed-demo         load the demo county (cli seed-demo) after cli migrate
                     --redis-url <url>   default redis://127.0.0.1:6379
                     --env NAME=value    extra instance environment (repeatable)
  status           nodes and their wsrep state, HAProxy's servers, instances
  down             stop everything this state directory started and remove it
  kill-node <n>    SIGKILL Galera node n;  start-node <n>: start it again and wait until Synced
  kill-instance <n>  SIGKILL app instance n;  start-instance <n>: start it again`);
      return 64;
  }
  console.log(`${command} ${target} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
