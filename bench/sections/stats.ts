import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { COUNTY, insertCases, insertChildren, villagesWithTownships } from '../lib/county';
import type { Figure, SectionResult } from '../lib/figures';
import { closedLoop, httpLoad } from '../lib/load';
import { connect, createDatabase, demoToken, pool } from '../lib/mysql';
import { profiledRun } from '../lib/profiled';
import { compareReads } from '../lib/reads';
import { startServer } from '../lib/server';

const CONNECTIONS = 2;
const REPEATS = 3;
const SCHOOL_YEAR = 2026;

/** The two aggregates the dropout statistics are computed from, as the product writes them. */
const ENROLLED = `SELECT ch.village_code AS unit, ch.grade AS grade, ch.priority_groups AS \`groups\`, COUNT(*) AS count
  FROM children ch WHERE ch.student_number IS NOT NULL AND ch.grade IS NOT NULL AND ch.county_code = ?
  GROUP BY ch.village_code, ch.grade, ch.priority_groups`;
const DROPOUTS = `SELECT DISTINCT c.child_id AS childId, ch.village_code AS unit, ch.grade AS grade, ch.priority_groups AS \`groups\`
  FROM cases c INNER JOIN children ch ON ch.id = c.child_id
  WHERE c.merged_into_id IS NULL AND c.status IN ('confirmed', 'persuading', 'escalated', 'returned', 'closed')
    AND c.confirmed_at >= ? AND c.confirmed_at <= ? AND ch.grade IS NOT NULL AND ch.county_code = ?`;

/**
 * 3. Statistics: dropout rates by township and stage for a county of 1 000 000 pupils and 20 000
 * cases, as the county admin asks for them. Baseline: the bare aggregate SQL through mysql2.
 */
export const statsSection: Section = {
  key: 'stats',
  title: '3. Statistics (GET /api/stats/dropout)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const pupils = ctx.quick ? 100_000 : 1_000_000;
    const caseCount = ctx.quick ? 2_000 : 20_000;
    const duration = seconds(ctx, 30, 4); // a request takes seconds at this size: a short window would cut them off
    const db = await createDatabase('stats');
    const logFile = join(ctx.tmp, 'stats-server.log');
    const server = await startServer({ databaseUrl: db.url, logFile });
    const conn = await connect(db.url);
    const sqlPool = pool(db.url, CONNECTIONS);
    try {
      const villages = await villagesWithTownships(conn);
      ctx.log(`stats: writing ${pupils} pupils and ${caseCount} cases`);
      const started = Date.now();
      const children = await insertChildren(conn, villages, pupils, { pupils: true, seed: 11 });
      await insertCases(conn, children, villages, caseCount, { seed: 12, confirmedShare: 0.6 });
      await conn.query('ANALYZE TABLE cases, children');
      ctx.log(`stats: data written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      const admin = await demoToken(conn, 'county-admin');
      const from = new Date(`${SCHOOL_YEAR}-09-01T00:00:00+08:00`);
      const to = new Date(`${SCHOOL_YEAR + 1}-08-31T23:59:59+08:00`);

      const bare = () =>
        closedLoop(CONNECTIONS, duration, async () => {
          await sqlPool.query(ENROLLED, [COUNTY]);
          await sqlPool.query(DROPOUTS, [from, to, COUNTY]);
        });
      const product = (url: string) =>
        httpLoad({
          url,
          connections: CONNECTIONS,
          seconds: duration,
          request: () => ({
            method: 'GET',
            path: `/api/stats/dropout?schoolYear=${SCHOOL_YEAR}&by=township`,
            headers: { authorization: `Bearer ${admin.token}` },
          }),
        });
      // the first answer after pupils changed recounts the enrolment tallies (in production the
      // periodic recount usually has done it before anyone asks): timed once, beside one bare pass
      const answer = async () => {
        const response = await fetch(`${server.url}/api/stats/dropout?schoolYear=${SCHOOL_YEAR}&by=township`, {
          headers: { authorization: `Bearer ${admin.token}` },
        });
        if (response.status !== 200) throw new Error(`stats answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      };
      const r0 = performance.now();
      await answer();
      const recountMs = performance.now() - r0;
      const b0 = performance.now();
      await sqlPool.query(ENROLLED, [COUNTY]);
      await sqlPool.query(DROPOUTS, [from, to, COUNTY]);
      const bareOnceMs = performance.now() - b0;
      ctx.log(`stats: first answer (recount) ${recountMs.toFixed(0)} ms, one bare pass ${bareOnceMs.toFixed(0)} ms`);
      // the pass above warmed the database's caches for the bare SQL; one more answer for the server
      await answer();
      const result = await compareReads(
        ctx,
        'by township',
        { repeats: REPEATS, least: 0.5, p99Limit: 300, unit: 'answers/s', baselineLabel: 'bare SQL' },
        () => product(server.url),
        bare,
      );
      const [plan] = await conn.query<RowDataPacket[]>(`EXPLAIN ${ENROLLED}`, [COUNTY]);
      const [[{ tallies }]] = (await conn.query('SELECT COUNT(*) AS tallies FROM enrolment_tallies')) as unknown as [[{ tallies: number }]];
      const recount: Figure = {
        label: 'first answer after pupils changed (recounts the tallies)',
        unit: 'ms',
        better: 'lower',
        samples: [recountMs],
        baseline: { label: 'one pass of the bare SQL', unit: 'ms', samples: [bareOnceMs] },
        goals: [],
      };
      const notes = [
        `The bare aggregate reads every pupil's row (query plan: \`${plan.map((p) => `${p.table}: ${p.type} on ${p.key ?? '—'}, ~${p.rows} rows (${p.Extra ?? ''})`).join('; ')}\`). The product divides by enrolment tallies instead (${Number(tallies).toLocaleString('en-US')} rows: pupils by village, school, grade and poverty), recounted in one pass only after a write to pupils (a roster import, a poor-household flag, a tip completing a pupil's record); the dropouts and case figures are read from the cases as they are.`,
        ...result.failures,
      ];
      const missed = result.figures.some((f) => f.goals.some((g) => !g.met));
      if (missed || ctx.profile) {
        await server.stop();
        const summary = await profiledRun(ctx, 'stats', db.url, logFile, (url) => product(url));
        notes.push(`CPU profile of the server under the same load (\`node --cpu-prof\`):\n\n${summary}`);
      }
      return {
        key: 'stats',
        title: this.title,
        setup: [
          `${pupils.toLocaleString('en-US')} pupils on the roster (grades 1–9, 5 % from poor households) over ${villages.length} villages, ${caseCount.toLocaleString('en-US')} cases, 60 % of them confirmed dropouts in school year ${SCHOOL_YEAR}.`,
          `The county admin asks for the rates by township (\`by=township\`): ${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats. Baseline: the enrolment and dropout aggregates the service issues, one after the other, through mysql2 on ${CONNECTIONS} connections.`,
        ],
        figures: [...result.figures, recount],
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
