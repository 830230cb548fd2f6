#!/usr/bin/env node
// `npm test`: every tier of the suite. Extra arguments go to jest (e.g. a path filter).
//
// Tiers: unit, sqlite, mysql (MariaDB/MySQL at BX_TEST_MYSQL_URL, default mysql://root@127.0.0.1:3306),
// faults (crashes, database loss, flaky delivery, hostile input; needs MariaDB and mariadbd),
// weapp (the built mini program in WeChat's component framework), h5 (the H5 build in Chromium),
// cluster (a three-node Galera cluster with HAProxy on this machine: the MySQL integration tier through its
// write port, the concurrency tests through all nodes, app instances killed under load; scripts/cluster-tier.ts).
// Outside CI a tier whose service is missing is skipped with a warning; with CI set, it fails.
// Redis (BX_TEST_REDIS_URL, default redis://127.0.0.1:6379) is needed by the tests of limits shared by
// several instances, in the sqlite and mysql tiers: without it those tests are skipped, in CI it fails.
// BX_TEST_TIERS=unit,sqlite limits the run to some tiers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { availableParallelism } from 'node:os';
import { isStale } from './lib/freshness.mjs';

const ci = Boolean(process.env.CI);
const requested = (process.env.BX_TEST_TIERS ?? 'unit,sqlite,mysql,faults,weapp,h5,cluster')
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const mysqlUrl = new URL(process.env.BX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const redisUrl = new URL(process.env.BX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

function reachable(host, port, defaultPort = 3306) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) || defaultPort, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const mysqlMissing = (await reachable(mysqlUrl.hostname, mysqlUrl.port)) ? null : `no MySQL/MariaDB at ${mysqlUrl.host}`;
const missing = {
  mysql: mysqlMissing,
  // the fault tests also start a MariaDB server of their own, to stop it under the application
  faults: mysqlMissing ?? (existsSync('/usr/sbin/mariadbd') ? null : 'mariadbd is not installed'),
  cluster:
    mysqlMissing ??
    (['/usr/sbin/haproxy', '/usr/sbin/mariadbd', '/usr/lib/galera/libgalera_smm.so', '/usr/bin/rsync'].find((file) => !existsSync(file))
      ? 'HAProxy, Galera or rsync is not installed (apt-get install -y haproxy galera-4 rsync)'
      : null),
  h5: existsSync(process.env.BX_CHROMIUM ?? '/usr/bin/chromium')
    ? null
    : 'Chromium is not installed (apt-get install -y chromium fonts-noto-cjk)',
};

const tiers = [];
for (const tier of requested) {
  const reason = missing[tier];
  if (!reason) {
    tiers.push(tier);
    continue;
  }
  if (ci) {
    console.error(`✗ the ${tier} tier is required in CI: ${reason}`);
    process.exit(1);
  }
  console.warn(`⚠ skipping the ${tier} tier: ${reason}`);
}

// Redis is not a tier of its own: the tests that need it skip themselves when told it is missing.
const jestEnv = { ...process.env };
if (['sqlite', 'mysql', 'cluster'].some((tier) => tiers.includes(tier)) && !(await reachable(redisUrl.hostname, redisUrl.port, 6379))) {
  const reason = `no Redis at ${redisUrl.host} (apt-get install -y redis-server)`;
  if (ci) {
    console.error(`✗ Redis is required in CI: ${reason}`);
    process.exit(1);
  }
  console.warn(`⚠ skipping the tests of limits shared by several instances: ${reason}`);
  jestEnv.BX_TEST_REDIS = 'missing';
}

// Some tests start the compiled server as a process: keep it current (incremental, seconds).
const compiled = spawnSync('npx', ['tsc', '-b', 'shared', 'server'], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// The built apps are what the weapp and h5 tiers test; build them when missing or out of date.
const builtFile = { weapp: 'miniapp/dist/weapp/app.js', h5: 'miniapp/dist/h5/index.html' };
for (const tier of ['weapp', 'h5']) {
  if (!tiers.includes(tier) || !isStale(builtFile[tier])) continue;
  console.log(`building the ${tier} app for its test tier…`);
  const env =
    tier === 'weapp'
      ? { ...process.env, TARO_APP_API_BASE: process.env.TARO_APP_API_BASE ?? 'https://baoxue.example.org/api' }
      : process.env;
  const built = spawnSync('npm', ['run', `build:${tier}`], { stdio: 'inherit', env });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

console.log(`running tiers: ${tiers.join(', ')}`);
// Files of these tiers run two at a time, even on two cores: they wait on databases and servers about
// as much as they compute, and each file has a database, ports and a temporary directory of its own.
// The browser and fault tiers run one file at a time: what they wait for (a layout that has settled,
// a process killed on a schedule) comes late beside another file's load. The cluster tier brings up
// clusters of its own and runs last (scripts/cluster-tier.ts).
// With extra arguments (a path filter) one jest run takes every tier at jest's default workers, so a
// filter that matches nothing still fails.
const TWO_AT_A_TIME = new Set(['unit', 'sqlite', 'mysql', 'weapp']);
const jestTiers = tiers.filter((tier) => tier !== 'cluster');
const jestArgs = process.argv.slice(2);
const groups = jestArgs.length
  ? [{ tiers: jestTiers, workers: null }]
  : [
      { tiers: jestTiers.filter((tier) => TWO_AT_A_TIME.has(tier)), workers: Math.max(2, availableParallelism() - 1) },
      { tiers: jestTiers.filter((tier) => !TWO_AT_A_TIME.has(tier)), workers: 1 },
    ];
let status = 0;
for (const group of groups.filter((candidate) => candidate.tiers.length)) {
  // the tier list last: --selectProjects takes every word after it, so a path filter must come first
  const workers = group.workers ? [`--maxWorkers=${group.workers}`] : [];
  const args = ['jest', ...jestArgs, ...workers, '--selectProjects', ...group.tiers];
  const result = spawnSync('npx', args, { stdio: 'inherit', env: jestEnv }).status ?? 1;
  if (status === 0) status = result;
}
if (tiers.includes('cluster')) {
  const cluster = spawnSync('npx', ['tsx', 'scripts/cluster-tier.ts', ...jestArgs], { stdio: 'inherit', env: jestEnv });
  if (status === 0) status = cluster.status ?? 1;
}
process.exit(status);
