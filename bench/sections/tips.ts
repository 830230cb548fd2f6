import { join } from 'node:path';
import { atMost, fmt, ratioGoal, type Figure, type SectionResult } from '../lib/figures';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { closedLoop, type LoadResult } from '../lib/load';
import { connect, createDatabase, pool } from '../lib/mysql';
import { profiledRun } from '../lib/profiled';
import { startServer } from '../lib/server';
import { minimalTipSql } from '../lib/tip-minimal-sql';
import { prepareSupervisors, statementsOfOneTip, TIP_COLUMNS, tipLoad, tipRow, villagesOf } from '../lib/tips';

const CONNECTIONS = 16;
const SUPERVISORS = 400;
const REPEATS = 3;

/**
 * 1. Tip intake: many supervisors post tips (distinct tokens and idempotency keys, villages all over
 * the county) on 16 connections. Baseline: a tip's minimal SQL (bench/lib/tip-minimal-sql.ts: the
 * statements a tip needs, prepared, in one transaction, through mysql2 on 16 connections); other
 * references: the same without the county's case number (what its one counter row costs), and a bare
 * single-row INSERT of a tip-shaped row — the floor of "one durable write".
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
      const minimalTip = await minimalTipSql(sqlPool, supervisors.tokens, villages);
      const minimal = () => closedLoop(CONNECTIONS, baselineDuration, () => minimalTip(true));
      const unnumbered = () => closedLoop(CONNECTIONS, baselineDuration, () => minimalTip(false));

      ctx.log(`tips: warm-up`);
      await tipLoad(server.url, supervisors.tokens, villages, CONNECTIONS, 5);
      await bare();
      await minimal();
      await unnumbered();
      const product: LoadResult[] = [];
      const baseline: LoadResult[] = [];
      const inserts: LoadResult[] = [];
      const withoutNumber: LoadResult[] = [];
      for (let r = 0; r < REPEATS; r++) {
        baseline.push(await minimal());
        ctx.log(
          `tips: minimal SQL ${r + 1}: ${fmt(baseline[r]!.throughput)} tips/s, p99 ${fmt(baseline[r]!.p99)} ms, failures ${baseline[r]!.failures}`,
        );
        withoutNumber.push(await unnumbered());
        ctx.log(`tips: minimal SQL without the case number ${r + 1}: ${fmt(withoutNumber[r]!.throughput)} tips/s`);
        inserts.push(await bare());
        ctx.log(`tips: bare INSERT ${r + 1}: ${fmt(inserts[r]!.throughput)} rows/s, p99 ${fmt(inserts[r]!.p99)} ms`);
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
      const baselineFailures = baseline.reduce((n, b) => n + b.failures, 0);
      if (baselineFailures) throw new Error(`the minimal SQL failed ${baselineFailures} times`);

      // the product's throughput beside each reference run
      const throughputAgainst = (label: string, reference: { label: string; unit: string; runs: LoadResult[] }): Figure => ({
        label,
        unit: 'tips/s',
        better: 'higher',
        samples: product.map((p) => p.throughput),
        baseline: { label: reference.label, unit: reference.unit, samples: reference.runs.map((b) => b.throughput) },
        goals: [],
      });
      const throughput = throughputAgainst('throughput', { label: 'minimal SQL', unit: 'tips/s', runs: baseline });
      throughput.goals.push(ratioGoal(throughput, 0.5));
      const againstUnnumbered = throughputAgainst('throughput against the minimal SQL without the case number', {
        label: 'minimal SQL, no case number',
        unit: 'tips/s',
        runs: withoutNumber,
      });
      const againstInsert = throughputAgainst('throughput against one bare INSERT', {
        label: 'bare INSERT',
        unit: 'rows/s',
        runs: inserts,
      });
      const p99s = product.map((p) => p.p99);
      const p99: Figure = {
        label: 'p99 latency',
        unit: 'ms',
        better: 'lower',
        samples: p99s,
        baseline: { label: 'minimal SQL p99', unit: 'ms', samples: baseline.map((b) => b.p99) },
        goals: [atMost(Math.max(...p99s), 50, 'ms', 'worst repeat', Math.max(...baseline.map((b) => b.p99)))],
      };
      const p50: Figure = {
        label: 'p50 latency',
        unit: 'ms',
        better: 'lower',
        samples: product.map((p) => p.p50),
        baseline: { label: 'minimal SQL p50', unit: 'ms', samples: baseline.map((b) => b.p50) },
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
      const statements = await statementsOfOneTip(server.url, supervisors.tokens, villages, db.name);
      notes.push(
        `One tip as the database sees it (MariaDB's general log, one request): ${statements.length} statements against the minimal SQL's 13 or 15 for a new child (the session, then in one transaction: START, the daily counter's upsert, the child's claim row, the village's namesakes, child, routing, the two events in one INSERT, the officials, the tip, the county's case number, the officials' inbox and outbox rows when there are any, the case, COMMIT) — ${statements.map((s) => `\`${s}\``).join(', ')}. Each is a round trip on loopback while the transaction holds its locks; on 2 cores the server process and MariaDB share the CPU.`,
        `The county's case number (案件编号, consecutive in a county's year) comes from one counter row per county, locked from the number's reservation until the commit: every new case of the county waits for it, so both the product and the minimal SQL take it last (only the notices naming it, the case row and the commit after it). All of this load opens cases in one county; a province's counties each have their own row. The figure against the minimal SQL without the number shows what the one row costs here.`,
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
          `autocannon, ${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats after a 5 s warm-up; every answer must be 201. Baseline: a tip's minimal SQL on ${CONNECTIONS} mysql2 connections — the same random tips, each the statements a tip needs (the session; the daily counter, the child's claim and namesakes, child, routing, events, the officials, the tip, the county's case number, the officials' inbox and outbox rows and the case), prepared, in one transaction, into copies of the product's tables (\`CREATE TABLE … LIKE\`); second reference: the same minimal SQL without the case number; third: single-row INSERTs into a copy of the \`tips\` table. ${baselineDuration} s per repeat each, interleaved with the product runs.`,
          `At the end the database held ${Number(tips).toLocaleString('en-US')} tips in ${Number(cases).toLocaleString('en-US')} cases.`,
        ],
        figures: [throughput, p50, p99, againstUnnumbered, againstInsert],
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
