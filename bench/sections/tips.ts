import { join } from 'node:path';
import { atMost, fmt, ratioGoal, type Figure, type SectionResult } from '../lib/figures';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { closedLoop, type LoadResult } from '../lib/load';
import { connect, createDatabase, pool } from '../lib/mysql';
import { profiledRun } from '../lib/profiled';
import { startServer } from '../lib/server';
import { prepareSupervisors, statementsOfOneTip, TIP_COLUMNS, tipLoad, tipRow, villagesOf } from '../lib/tips';

const CONNECTIONS = 16;
const SUPERVISORS = 400;
const REPEATS = 3;

/**
 * 1. Tip intake: many supervisors post tips (distinct tokens and idempotency keys, villages all over
 * the county) on 16 connections. Baseline: single-row INSERTs of rows of the same table shape with
 * mysql2 on 16 connections — the floor of "one durable write per tip" on this database.
 */
export const tipsSection: Section = {
  key: 'tips',
  title: '1. Tip intake (POST /api/tips)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const duration = seconds(ctx, 30, 8);
    const baselineDuration = seconds(ctx, 10, 4);
    const db = await createDatabase('tips');
    const logFile = join(ctx.tmp, 'tips-server.log');
    let server = await startServer({ databaseUrl: db.url, logFile });
    const conn = await connect(db.url);
    const sqlPool = pool(db.url, CONNECTIONS);
    try {
      const villages = await villagesOf(conn);
      const supervisors = await prepareSupervisors(conn, villages, SUPERVISORS);
      await conn.query('CREATE TABLE bench_tip_rows LIKE tips');
      const insert = `INSERT INTO bench_tip_rows (${TIP_COLUMNS.join(', ')}) VALUES (${TIP_COLUMNS.map(() => '?').join(', ')})`;
      const bare = () =>
        closedLoop(CONNECTIONS, baselineDuration, () => sqlPool.execute(insert, tipRow(supervisors.userIds, villages) as never[]));

      ctx.log(`tips: warm-up`);
      await tipLoad(server.url, supervisors.tokens, villages, CONNECTIONS, 5);
      await bare();
      const product: LoadResult[] = [];
      const baseline: LoadResult[] = [];
      for (let r = 0; r < REPEATS; r++) {
        baseline.push(await bare());
        ctx.log(`tips: baseline ${r + 1}: ${fmt(baseline[r]!.throughput)} rows/s, p99 ${fmt(baseline[r]!.p99)} ms`);
        product.push(await tipLoad(server.url, supervisors.tokens, villages, CONNECTIONS, duration));
        const p = product[r]!;
        ctx.log(
          `tips: product ${r + 1}: ${fmt(p.throughput)} tips/s, p50 ${fmt(p.p50)} ms, p99 ${fmt(p.p99)} ms, failures ${p.failures} ${p.failureDetail}`,
        );
      }
      const [[{ tips, cases }]] = (await conn.query(
        'SELECT (SELECT COUNT(*) FROM tips) AS tips, (SELECT COUNT(*) FROM cases) AS cases',
      )) as unknown as [[{ tips: number; cases: number }]];
      const failures = product.reduce((n, p) => n + p.failures, 0);

      const throughput: Figure = {
        label: 'throughput',
        unit: 'tips/s',
        better: 'higher',
        samples: product.map((p) => p.throughput),
        baseline: { label: 'bare INSERT', unit: 'rows/s', samples: baseline.map((b) => b.throughput) },
        goals: [],
      };
      throughput.goals.push(ratioGoal(throughput, 0.5));
      const p99s = product.map((p) => p.p99);
      const p99: Figure = {
        label: 'p99 latency',
        unit: 'ms',
        better: 'lower',
        samples: p99s,
        baseline: { label: 'bare INSERT p99', unit: 'ms', samples: baseline.map((b) => b.p99) },
        goals: [atMost(Math.max(...p99s), 50, 'ms', 'worst repeat')],
      };
      const p50: Figure = {
        label: 'p50 latency',
        unit: 'ms',
        better: 'lower',
        samples: product.map((p) => p.p50),
        baseline: { label: 'bare INSERT p50', unit: 'ms', samples: baseline.map((b) => b.p50) },
        goals: [],
      };
      const notes: string[] = [];
      if (failures)
        notes.push(
          `**${failures} requests failed** during the measured runs: ${product
            .map((p) => p.failureDetail)
            .filter(Boolean)
            .join('; ')}.`,
        );
      const statements = await statementsOfOneTip(server.url, supervisors.tokens, villages);
      notes.push(
        `One tip as the database sees it (MariaDB's general log, one request): ${statements.length} statements against the baseline's 1 — ${statements.map((s) => `\`${s}\``).join(', ')}. Each is a round trip on loopback while the transaction holds its locks; on 2 cores the server process and MariaDB share the CPU.`,
      );
      const missed = [throughput, p99].some((f) => f.goals.some((g) => !g.met));
      if (missed || ctx.profile) {
        await server.stop();
        const summary = await profiledRun(ctx, 'tips', db.url, logFile, (url) =>
          tipLoad(url, supervisors.tokens, villages, CONNECTIONS, seconds(ctx, 15, 5)),
        );
        notes.push(`CPU profile of the server under the same load (15 s, \`node --cpu-prof\`):\n\n${summary}`);
        server = await startServer({ databaseUrl: db.url, logFile });
      }
      return {
        key: 'tips',
        title: this.title,
        setup: [
          `Real server process (demo mode, logs at info, response validation off, pool of 10 MySQL connections) on a fresh MariaDB database with the seeded county (19 townships, ${villages.length} villages).`,
          `${SUPERVISORS} supervisors with their own session tokens; every request has a new idempotency key, a random village and a random child, so most tips open a new case (routing, notifications to the township and village officials, the WeChat outbox) and some join an open case.`,
          `autocannon, ${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats after a 5 s warm-up; every answer must be 201. Baseline: ${CONNECTIONS} mysql2 connections running single-row INSERTs into a copy of the \`tips\` table (\`CREATE TABLE … LIKE tips\`), ${baselineDuration} s per repeat, interleaved with the product runs.`,
          `At the end the database held ${Number(tips).toLocaleString('en-US')} tips in ${Number(cases).toLocaleString('en-US')} cases.`,
        ],
        figures: [throughput, p50, p99],
        notes,
      };
    } finally {
      await sqlPool.end();
      await conn.end();
      await server.stop();
      await db.drop();
    }
  },
};
