import { join } from 'node:path';
import { DEFAULT_COUNTY_SETTINGS, FINISHED_CASE_STATUSES, previousReportPeriod, reportPeriodRange } from '@baoxue/shared';
import type { Connection, Pool } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';
import { reportFiguresStatement } from '../../server/src/modules/cases/case-report-query';
import {
  acknowledgeStatement,
  HOURS_BETWEEN,
  tipsStatement,
  workStatement,
  type ScorecardPeriod,
} from '../../server/src/modules/cases/case-scorecard-query';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { COUNTY, insertCases, insertChildren, seeded, villagesWithTownships, type Village } from '../lib/county';
import type { Figure, SectionResult } from '../lib/figures';
import { closedLoop, httpLoad, type LoadResult } from '../lib/load';
import { connect, createDatabase, demoToken, insertRows, pool, sessionFor } from '../lib/mysql';
import { compareReads } from '../lib/reads';
import { startServer, type BenchServer } from '../lib/server';

const CONNECTIONS = 2;
const REPEATS = 3;
const SCHOOL_YEAR = 2026;
/** The period the scorecards rank: the school year so far (China days). */
const FROM = `${SCHOOL_YEAR}-09-01`;
/** The limits of a county without settings of its own (hours), as the scorecards use them. */
const LIMITS = { verifyHours: DEFAULT_COUNTY_SETTINGS.verifyDays * 24, firstVisitHours: DEFAULT_COUNTY_SETTINGS.firstVisitDays * 24 };
const FINISHED = FINISHED_CASE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Timeline events for the generated cases, so the scorecards have something to time: every case
 * accepted some hours after it opened, a confirmed one verified and visited some days after.
 */
async function insertEvents(conn: Connection, county: string, seed: number): Promise<number> {
  const next = seeded(seed);
  const [cases] = (await conn.query('SELECT id, opened_at, confirmed_at FROM cases WHERE county_code = ?', [county])) as unknown as [
    Array<{ id: string; opened_at: Date; confirmed_at: Date | null }>,
  ];
  const hours = (base: Date, h: number) => new Date(base.getTime() + h * 3_600_000);
  function* rows() {
    for (const c of cases) {
      yield [newId(), c.id, hours(c.opened_at, 1 + next() * 96), null, 'accepted', null];
      if (c.confirmed_at) {
        yield [newId(), c.id, c.confirmed_at, null, 'confirmed', null];
        yield [newId(), c.id, hours(c.confirmed_at, next() * 240), null, 'visit_logged', null];
      }
    }
  }
  const written = await insertRows(conn, 'case_events', ['id', 'case_id', 'at', 'actor_id', 'kind', 'data'], rows(), 2000);
  // a returned or closed case returned some weeks after it was confirmed (what the statistics count as a return)
  await conn.query(
    "UPDATE cases SET returned_on = DATE(DATE_ADD(COALESCE(confirmed_at, opened_at), INTERVAL 20 DAY)) WHERE county_code = ? AND status IN ('returned', 'closed')",
    [county],
  );
  return written;
}

/** The three statements the scorecard service issues, as SQL and values for mysql2. */
function scorecardStatements(units: ScorecardPeriod['units'], counties: string[], to: string): Array<{ sql: string; values: unknown[] }> {
  const limits = new Map(counties.map((county) => [county, LIMITS]));
  const period: ScorecardPeriod = { units, from: FROM, to, now: new Date(), limits, fallback: LIMITS };
  const at = (time: Date) => time;
  return [acknowledgeStatement(period, at, HOURS_BETWEEN.mysql), workStatement(period, at, HOURS_BETWEEN.mysql), tipsStatement(period, at)];
}

/** Runs statements at once on the pool, as the service does. */
async function runAll(sqlPool: Pool, statements: Array<{ sql: string; values: unknown[] }>): Promise<void> {
  await Promise.all(statements.map((s) => sqlPool.query(s.sql, s.values)));
}

function get(server: BenchServer, token: string, path: string, duration: number): Promise<LoadResult> {
  return httpLoad({
    url: server.url,
    connections: CONNECTIONS,
    seconds: duration,
    request: () => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }),
  });
}

/** The quarter the bench reports on: the current one (the school year's first term, where the generated cases are). */
function currentQuarter(today: string): string {
  return `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * What generating a county's quarterly report reads: the case figures of the quarter and of the one
 * before (no approved report of it to show beside), and the pupils by stage from the enrolment tallies.
 */
function quarterlyReportStatements(quarter: string): Array<{ sql: string; values: unknown[] }> {
  const at = (time: Date) => time;
  const now = new Date();
  const statements: Array<{ sql: string; values: unknown[] }> = [];
  for (const period of [quarter, previousReportPeriod(quarter)]) {
    const { from, to } = reportPeriodRange(period);
    const { cases, visits } = reportFiguresStatement({ routingPrefix: COUNTY.slice(0, 6) }, from, to, now, at);
    statements.push(cases, visits);
  }
  statements.push({
    sql: `SELECT SUM(CASE WHEN t.grade <= 6 THEN t.pupils ELSE 0 END) AS primary_pupils, SUM(CASE WHEN t.grade >= 7 THEN t.pupils ELSE 0 END) AS junior_pupils
      FROM enrolment_tallies t LEFT JOIN schools s ON s.id = t.school_id WHERE t.county_code = ? AND COALESCE(NULLIF(t.village_code, ''), s.township_code) LIKE ?`,
    values: [COUNTY, `${COUNTY.slice(0, 6)}%`],
  });
  return statements;
}

async function answerOnce(server: BenchServer, token: string, path: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  await response.arrayBuffer();
  return performance.now() - t0;
}

/** China's today as YYYY-MM-DD. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Synthetic counties for the province view: `prefectures` × `perPrefecture` county codes of
 * province 41 (the demo county's aside), each with `townships` × 10 villages (codes only: the overview counts by county).
 */
function syntheticCounties(prefectures: number, perPrefecture: number, townships: number): Array<{ code: string; villages: Village[] }> {
  const counties: Array<{ code: string; villages: Village[] }> = [];
  for (let p = 1; p <= prefectures; p++)
    for (let c = 1; c <= perPrefecture; c++) {
      const county = `41${String(p).padStart(2, '0')}${String(20 + c).padStart(2, '0')}`;
      const villages: Village[] = [];
      for (let t = 1; t <= townships; t++) {
        const township = `${county}${String(100 + t)}`;
        for (let v = 1; v <= 10; v++) villages.push({ code: `${township}${String(200 + v)}`, township: `${township}000` });
      }
      // the demo county (411522) is written above with its own roster
      if (`${county}000000` !== COUNTY) counties.push({ code: `${county}000000`, villages });
    }
  return counties;
}

/**
 * 9. Reporting up the chain (issue 18): the quarterly report and the township scorecards of the
 * million-pupil county, and a province's overview of many counties, p99 under load, each beside the
 * bare SQL of its aggregates.
 */
export const reportingSection: Section = {
  key: 'reporting',
  title: '9. Reporting up the chain (quarterly report, scorecards, province overview)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const pupils = ctx.quick ? 100_000 : 1_000_000;
    const caseCount = ctx.quick ? 2_000 : 20_000;
    const prefectures = ctx.quick ? 4 : 17;
    const perPrefecture = ctx.quick ? 3 : 6;
    const pupilsPerCounty = ctx.quick ? 2_000 : 10_000;
    const casesPerCounty = ctx.quick ? 40 : 200;
    const duration = seconds(ctx, 20, 4);
    const db = await createDatabase('reporting');
    const logFile = join(ctx.tmp, 'reporting-server.log');
    const server = await startServer({ databaseUrl: db.url, logFile });
    const conn = await connect(db.url);
    const sqlPool = pool(db.url, CONNECTIONS * 3);
    const figures: Figure[] = [];
    const notes: string[] = [];
    try {
      // the county of a million pupils, its cases with their timelines
      const villages = await villagesWithTownships(conn);
      ctx.log(`reporting: writing ${pupils} pupils and ${caseCount} cases in ${COUNTY}`);
      let started = Date.now();
      const children = await insertChildren(conn, villages, pupils, { pupils: true, seed: 31 });
      await insertCases(conn, children, villages, caseCount, { seed: 32, confirmedShare: 0.6 });
      const events = await insertEvents(conn, COUNTY, 33);
      ctx.log(`reporting: county written in ${((Date.now() - started) / 1000).toFixed(0)} s (${events} events)`);

      // the province: many counties, each served, with pupils and cases of its own
      const counties = syntheticCounties(prefectures, perPrefecture, 10);
      ctx.log(`reporting: writing ${counties.length} more counties (${pupilsPerCounty} pupils, ${casesPerCounty} cases each)`);
      started = Date.now();
      await insertRows(
        conn,
        'served_counties',
        ['code', 'settings'],
        counties.map((c) => [c.code, '{}']),
      );
      for (const [i, county] of counties.entries()) {
        const own = await insertChildren(conn, county.villages, pupilsPerCounty, {
          pupils: true,
          seed: 100 + i,
          county: county.code,
          firstNumber: pupils + i * pupilsPerCounty,
        });
        await insertCases(conn, own, county.villages, casesPerCounty, { seed: 500 + i, confirmedShare: 0.5, county: county.code });
      }
      await conn.query('ANALYZE TABLE cases, children, case_events');
      ctx.log(`reporting: province written in ${((Date.now() - started) / 1000).toFixed(0)} s`);

      const admin = await demoToken(conn, 'county-admin');
      const provinceAdmin = newId();
      const now = new Date();
      await conn.query(
        "INSERT INTO users (id, role, display_name, unit_division_code, county_code, disabled, created_at, updated_at) VALUES (?, 'region_admin', '省教育厅', '410000000000', NULL, 0, ?, ?)",
        [provinceAdmin, now, now],
      );
      const province = await sessionFor(conn, provinceAdmin);
      const today = chinaToday();

      // the county's quarterly report, generated afresh (its draft refreshed) on every request
      const quarter = currentQuarter(today);
      const reportBody = JSON.stringify({ kind: 'county_quarterly', period: quarter });
      const reportSql = quarterlyReportStatements(quarter);
      const openReport = await fetch(`${server.url}/api/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: reportBody,
      });
      if (openReport.status !== 200 && openReport.status !== 201)
        throw new Error(`POST /api/reports answered ${openReport.status}: ${(await openReport.text()).slice(0, 300)}`);
      await runAll(sqlPool, reportSql);
      const report = await compareReads(
        ctx,
        `county quarterly report ${quarter}`,
        { repeats: REPEATS, least: 0.5, p99Limit: 1000, unit: 'reports/s', baselineLabel: 'bare SQL' },
        () =>
          httpLoad({
            url: server.url,
            connections: CONNECTIONS,
            seconds: duration,
            request: () => ({
              method: 'POST',
              path: '/api/reports',
              headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
              body: reportBody,
            }),
          }),
        () => closedLoop(CONNECTIONS, duration, () => runAll(sqlPool, reportSql)),
      );
      figures.push(...report.figures);
      notes.push(...report.failures);

      // the township scorecards of the million-pupil county
      const scorecardPath = `/api/scorecards?by=township&from=${FROM}&to=${today}`;
      const scorecardSql = scorecardStatements({ by: 'township', countyCode: COUNTY }, [COUNTY], today);
      await answerOnce(server, admin.token, scorecardPath);
      await runAll(sqlPool, scorecardSql);
      const scorecards = await compareReads(
        ctx,
        'township scorecards',
        { repeats: REPEATS, least: 0.5, p99Limit: 1000, unit: 'answers/s', baselineLabel: 'bare SQL' },
        () => get(server, admin.token, scorecardPath, duration),
        () => closedLoop(CONNECTIONS, duration, () => runAll(sqlPool, scorecardSql)),
      );
      figures.push(...scorecards.figures);
      notes.push(...scorecards.failures);

      // the province's overview of its counties (the dashboard of 省教育厅), and its county scorecards
      const overviewPath = `/api/region/overview?schoolYear=${SCHOOL_YEAR}`;
      // the quarterly report above recounted the enrolment tallies of all the pupils (the first read after they were written)
      const first = await answerOnce(server, province, overviewPath);
      ctx.log(`reporting: first province overview ${first.toFixed(0)} ms`);
      const yearFrom = new Date(`${SCHOOL_YEAR}-09-01T00:00:00+08:00`);
      const yearTo = new Date(`${SCHOOL_YEAR + 1}-08-31T23:59:59+08:00`);
      const overviewSql = [
        {
          sql: "SELECT county_code, grade, poor, SUM(pupils) AS count FROM enrolment_tallies WHERE county_code LIKE '41%' GROUP BY county_code, grade, poor",
          values: [],
        },
        {
          sql: `SELECT DISTINCT c.child_id, ch.county_code, ch.grade, ch.priority_groups FROM cases c INNER JOIN children ch ON ch.id = c.child_id
            WHERE c.merged_into_id IS NULL AND c.status IN ('confirmed', 'persuading', 'escalated', 'returned', 'closed')
              AND c.confirmed_at >= ? AND c.confirmed_at <= ? AND ch.grade IS NOT NULL AND ch.county_code LIKE '41%'`,
          values: [yearFrom, yearTo],
        },
        {
          sql: `SELECT c.routing_county, SUM(CASE WHEN c.status NOT IN (${FINISHED}) THEN 1 ELSE 0 END) AS open,
              SUM(CASE WHEN c.status NOT IN (${FINISHED}) AND c.due_at < ? THEN 1 ELSE 0 END) AS overdue,
              SUM(CASE WHEN c.status IN ('returned', 'closed') AND c.returned_on >= ? AND c.returned_on <= ? THEN 1 ELSE 0 END) AS returned
            FROM cases c WHERE c.merged_into_id IS NULL AND c.routing_code LIKE '41%' GROUP BY c.routing_county`,
          values: [now, `${SCHOOL_YEAR}-09-01`, `${SCHOOL_YEAR + 1}-08-31`],
        },
      ];
      const overview = await compareReads(
        ctx,
        `province overview (${counties.length + 1} counties)`,
        { repeats: REPEATS, least: 0.5, p99Limit: 500, unit: 'answers/s', baselineLabel: 'bare SQL' },
        () => get(server, province, overviewPath, duration),
        () => closedLoop(CONNECTIONS, duration, () => runAll(sqlPool, overviewSql)),
      );
      figures.push(...overview.figures);
      notes.push(...overview.failures);

      const countyScorecardPath = `/api/scorecards?by=county&from=${FROM}&to=${today}`;
      const countyScorecardSql = scorecardStatements({ by: 'county', regionPrefix: '41' }, [COUNTY, ...counties.map((c) => c.code)], today);
      await answerOnce(server, province, countyScorecardPath);
      const countyCards = await compareReads(
        ctx,
        `province's county scorecards (${counties.length + 1} counties)`,
        { repeats: REPEATS, least: 0.5, p99Limit: 1000, unit: 'answers/s', baselineLabel: 'bare SQL' },
        () => get(server, province, countyScorecardPath, duration),
        () => closedLoop(CONNECTIONS, duration, () => runAll(sqlPool, countyScorecardSql)),
      );
      figures.push(...countyCards.figures);
      notes.push(...countyCards.failures);

      // one pupil of one generated county changes: the next overview first recounts that county's
      // tallies; the baseline announces the same change without its county, so every pupil is counted again
      const changed = counties[0]!.code;
      const changePupil = async (county: string | null) => {
        await conn.query('UPDATE children SET grade = 1 + MOD(grade, 9) WHERE county_code = ? AND student_number IS NOT NULL LIMIT 1', [
          changed,
        ]);
        await conn.query('INSERT INTO enrolment_tally_changes (id, county_code, changed_at) VALUES (?, ?, ?)', [
          newId(),
          county,
          new Date(),
        ]);
        return answerOnce(server, province, overviewPath);
      };
      const oneCounty: number[] = [];
      const everyCounty: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        oneCounty.push(await changePupil(changed));
        everyCounty.push(await changePupil(null));
      }
      figures.push({
        label: 'province overview right after one pupil of one county changed (that county recounted first)',
        unit: 'ms',
        better: 'lower',
        samples: oneCounty,
        baseline: { label: 'the same change not naming its county (every county recounted)', unit: 'ms', samples: everyCounty },
        goals: [],
      });
      notes.push(
        `The province's first overview took ${first.toFixed(0)} ms (the enrolment tallies of all ${(pupils + counties.length * pupilsPerCounty).toLocaleString('en-US')} pupils had been recounted once already, by the county's first quarterly report); the figures above are the answers after that.`,
        `The generated counties have codes only (no division names, which the deployment's division data does not hold for them); the overview names them by code. Their pupils are fewer than a real county's (${pupilsPerCounty.toLocaleString('en-US')}): the overview reads the enrolment tallies (one row per village, school, grade and poverty), not the pupils, so a county's size changes the recount, not the answer.`,
      );
      return {
        key: 'reporting',
        title: this.title,
        setup: [
          `The county ${COUNTY}: ${pupils.toLocaleString('en-US')} pupils, ${caseCount.toLocaleString('en-US')} cases with their timelines (${events.toLocaleString('en-US')} events: accepted, confirmed, first visit). The county admin generates its quarterly report (\`POST /api/reports\`: the draft's figures generated afresh and stored, with the quarter before beside them); scorecards by township for the school year so far (${FROM} – today).`,
          `The province (41): that county and ${counties.length} generated counties in ${prefectures} prefectures (${pupilsPerCounty.toLocaleString('en-US')} pupils and ${casesPerCounty} cases each), as many as the bench writes in a few minutes on this machine; a province admin asks for the overview and the counties' scorecards.`,
          `${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats, interleaved with the baseline: the statements each answer is computed from, issued at once through mysql2.`,
        ],
        figures,
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
