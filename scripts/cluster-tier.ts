/**
 * The `cluster` test tier (`npm test` runs it when HAProxy and Galera are installed; CI requires it):
 *
 * 1. the MySQL integration tier through HAProxy's write port of a three-node Galera cluster (one
 *    writer node, as production runs);
 * 2. the concurrency-sensitive tests through the read-write port, which spreads connections over all
 *    three nodes (every write may meet a certification conflict; sessions wait for replication);
 * 3. the tests of tests/cluster/, which bring up clusters of their own with app instances and kill
 *    nodes and instances under load.
 *
 * Run with `npx tsx scripts/cluster-tier.ts [jest args…]`; prints each step's time. Exits with the
 * first failing step's status, always tearing its cluster down.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster } from '../deploy/cluster/cluster';

/** Tests where two requests race for one row: through several writer nodes each race is a Galera certification conflict. */
export const CONCURRENCY_TESTS = [
  'tests/integration/tip-concurrency.test.ts',
  'tests/integration/invitations.test.ts',
  'tests/integration/case-handling.test.ts',
  'tests/integration/child-registry.test.ts',
  'tests/integration/school-report.test.ts',
  'tests/integration/leave-requests.test.ts',
  'tests/integration/roll-call.test.ts',
  'tests/integration/jobs.test.ts',
  'tests/integration/background-jobs.test.ts',
];

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const extra = process.argv.slice(2);
/** BX_CLUSTER_STEPS=write,read-write,instances (the default: all three) runs some of the steps. */
const steps = new Set((process.env.BX_CLUSTER_STEPS ?? 'write,read-write,instances').split(',').map((step) => step.trim()));

/** `paths` before the project: --selectProjects takes every word after it. */
async function jest(label: string, paths: string[], project: string, env: Record<string, string>): Promise<number> {
  const stepStart = Date.now();
  console.log(`\n── cluster tier: ${label} (${elapsed()})`);
  // One file at a time, whatever the machine's cores: on Galera a schema change (total order isolation) aborts
  // what other connections have open on the cluster, so one file's schema changes (its migrations, its
  // database created or dropped) fail another's migrations as a deadlock; and each file of
  // tests/cluster brings up a cluster of its own.
  const child = spawn('npx', ['jest', ...paths, ...extra, '--runInBand', '--passWithNoTests', '--selectProjects', project], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  console.log(`── ${label}: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - stepStart) / 1000).toFixed(0)} s`);
  return code ?? 1;
}

/** The server's URL without the deployment's database: each test file creates a database of its own. */
function serverUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '';
  return parsed.toString().replace(/\/$/, '');
}

async function main(): Promise<number> {
  const failed: string[] = [];
  const run = async (label: string, paths: string[], project: string, env: Record<string, string>) => {
    if ((await jest(label, paths, project, env)) !== 0) failed.push(label);
  };
  if (steps.has('write') || steps.has('read-write')) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bx-cluster-tier-'));
    console.log(`── cluster tier: bringing up three Galera nodes and HAProxy in ${stateDir}`);
    const cluster = await LocalCluster.up({ stateDir, instances: 1, log: (line) => console.log(`   ${line}`) });
    // an interrupted run (Ctrl-C, a CI timeout) still stops the cluster's processes
    const interrupted = () => void cluster.down().finally(() => process.exit(130));
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      if (steps.has('write'))
        await run('MySQL integration tier through the write port', ['--testPathPatterns', 'tests/integration/'], 'mysql', {
          BX_TEST_MYSQL_URL: serverUrl(cluster.writeUrl),
        });
      if (steps.has('read-write'))
        await run('concurrency tests through the read-write port (all three nodes)', CONCURRENCY_TESTS, 'mysql', {
          BX_TEST_MYSQL_URL: serverUrl(cluster.readWriteUrl),
          // each session waits for its node to apply what other nodes committed, as instances of a cluster do
          BX_TEST_WSREP_SYNC_WAIT: 'true',
          // the one test that needs one writer node says so (tip-concurrency's daily limit)
          BX_TEST_SEVERAL_WRITERS: 'true',
        });
    } finally {
      process.removeListener('SIGINT', interrupted);
      process.removeListener('SIGTERM', interrupted);
      await cluster.down();
    }
  }
  if (steps.has('instances')) await run('instances on a cluster, with nodes and instances killed (tests/cluster)', [], 'cluster', {});
  console.log(`\n── cluster tier ${failed.length ? `FAILED (${failed.join('; ')})` : 'passed'} in ${elapsed()}`);
  return failed.length ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
