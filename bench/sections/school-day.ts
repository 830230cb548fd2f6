import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { atMost, fmt, percentile, type Figure, type SectionResult } from '../lib/figures';
import type { BenchContext, Section } from '../lib/context';
import { runAbsenceMonitor } from '../lib/absence-monitor';
import { COUNTY } from '../lib/county';
import { connect, createDatabase, demoToken, pool } from '../lib/mysql';
import { startServer } from '../lib/server';
import {
  ATTENDANCE_COLUMNS,
  insertClasses,
  insertEarlierDays,
  marksOfTheDay,
  ROLL_CALL_COLUMNS,
  rollCallRows,
  schoolDays,
  submitDay,
} from '../lib/school-day';

const CONNECTIONS = 16;
const CLASS_SIZE = 45;
const ABSENT_SHARE = 0.02;
const BARE_REPEATS = 3;

/** The absence rules' query as the monitor issues it: pupils with enough unexcused absences in the window. */
const ABSENTEES = `SELECT a.child_id AS childId FROM attendance a INNER JOIN children ch ON ch.id = a.child_id
  WHERE ch.county_code = ? AND a.present = 0 AND a.excused = 0 AND a.day >= ? AND a.day <= ?
  GROUP BY a.child_id HAVING COUNT(*) >= ?`;
const ABSENCES_OF = (n: number) =>
  `SELECT child_id, day FROM attendance WHERE child_id IN (${Array(n).fill('?').join(', ')}) AND present = 0 AND excused = 0`;

/**
 * 7. One school day: every class of a county of a million pupils takes its roll call through the
 * API (about 2 % absent), each checked against the absence rules as it arrives; then the daily
 * absence monitor runs over the day. Baselines: the same rows written bare (per class, a roll-call
 * row and a multi-row INSERT of its marks, in one transaction), and the rules' query bare.
 * `BENCH_SCHOOL_DAY_PUPILS` sets the county's size (e.g. 20000 for a quick check of the section).
 */
export const schoolDaySection: Section = {
  key: 'school-day',
  title: '7. One school day (POST /api/roll-calls, absence rules)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const pupils = Number(process.env.BENCH_SCHOOL_DAY_PUPILS ?? (ctx.quick ? 50_000 : 1_000_000));
    const db = await createDatabase('schoolday');
    const logFile = join(ctx.tmp, 'school-day-server.log');
    const server = await startServer({ databaseUrl: db.url, logFile });
    const conn = await connect(db.url);
    const sqlPool = pool(db.url, CONNECTIONS);
    try {
      ctx.log(`school-day: writing ${pupils} pupils in classes of about ${CLASS_SIZE}, one 班主任 each`);
      const admin = await demoToken(conn, 'county-admin');
      const classes = await insertClasses(conn, pupils, CLASS_SIZE, 71, admin.userId);
      const days = await schoolDays(server.url, admin.token);
      const today = days[days.length - 1]!;
      const marks = marksOfTheDay(classes, ABSENT_SHARE, 72);
      await insertEarlierDays(conn, classes, days.slice(0, -1), marks);
      await conn.query('ANALYZE TABLE children, attendance, roll_calls, class_teachers');
      ctx.log(
        `school-day: ${classes.length} classes; the two school days before (${days.slice(0, -1).join(', ')}) written; today ${today}`,
      );

      // bare: the same writes for the day, per class on the same number of connections, into copies of the tables
      await conn.query('CREATE TABLE bench_roll_calls LIKE roll_calls');
      await conn.query('CREATE TABLE bench_attendance LIKE attendance');
      const bareDay = async (): Promise<{ seconds: number; latencies: number[] }> => {
        // TRUNCATE, not DELETE: purged rows' gap locks made the repeats deadlock each other
        await conn.query('TRUNCATE TABLE bench_attendance');
        await conn.query('TRUNCATE TABLE bench_roll_calls');
        const latencies: number[] = [];
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            const c = await sqlPool.getConnection();
            try {
              for (let index = next++; index < classes.length; index = next++) {
                const t0 = performance.now();
                const rows = rollCallRows(classes[index]!, today, marks.byClass.get(index) ?? [], new Date());
                // like the product's transactions, a deadlock is retried (InnoDB may pick either writer)
                for (let attempt = 1; ; attempt++) {
                  try {
                    await c.beginTransaction();
                    await c.query(`INSERT INTO bench_roll_calls (${ROLL_CALL_COLUMNS.join(', ')}) VALUES (?)`, [rows.rollCall]);
                    if (rows.attendance.length)
                      await c.query(`INSERT INTO bench_attendance (${ATTENDANCE_COLUMNS.join(', ')}) VALUES ?`, [rows.attendance]);
                    await c.commit();
                    break;
                  } catch (error) {
                    await c.rollback();
                    if ((error as { errno?: number }).errno !== 1213 || attempt >= 5) throw error;
                  }
                }
                latencies.push(performance.now() - t0);
              }
            } finally {
              c.release();
            }
          }),
        );
        return { seconds: (performance.now() - started) / 1000, latencies };
      };
      const bare = [];
      for (let r = 0; r < BARE_REPEATS; r++) {
        bare.push(await bareDay());
        ctx.log(`school-day: bare writes ${r + 1}: ${fmt(bare[r]!.seconds)} s`);
      }

      ctx.log(`school-day: ${classes.length} roll calls through the API`);
      const day = await submitDay(server.url, classes, today, marks, CONNECTIONS);
      ctx.log(
        `school-day: API ${fmt(day.seconds)} s, ${fmt(classes.length / day.seconds)} roll calls/s, ${day.newAlerts} alerts, ${day.failures.length} failures`,
      );
      const [[stored]] = (await conn.query(
        `SELECT (SELECT COUNT(*) FROM roll_calls WHERE day = ?) AS rollCalls, (SELECT COUNT(*) FROM attendance WHERE day = ?) AS marks,
          (SELECT COUNT(*) FROM absence_alerts) AS alerts`,
        [today, today],
      )) as unknown as [[{ rollCalls: number; marks: number; alerts: number }]];

      // the daily monitor over the day, beside the rules' query bare
      const uploads = mkdtempSync(join(ctx.tmp, 'monitor-uploads-'));
      const monitor = await runAbsenceMonitor(db.url, COUNTY, today, uploads);
      ctx.log(`school-day: absence monitor ${fmt(monitor.ms)} ms: ${JSON.stringify(monitor.result)}`);
      const windowStart = days[0]!; // the streak's days; the monitor's window (30 school days) holds no older roll calls here
      const bareRules: number[] = [];
      let candidates = 0;
      for (let r = 0; r < BARE_REPEATS; r++) {
        const t0 = performance.now();
        const [rows] = (await sqlPool.query(ABSENTEES, [COUNTY, windowStart, today, 3])) as unknown as [Array<{ childId: string }>];
        for (let i = 0; i < rows.length; i += 500) {
          const ids = rows.slice(i, i + 500).map((row) => row.childId);
          await sqlPool.query(ABSENCES_OF(ids.length), ids);
        }
        bareRules.push(performance.now() - t0);
        candidates = rows.length;
      }

      const bareSeconds = bare.map((b) => b.seconds);
      const wall: Figure = {
        label: 'the whole day (every class once)',
        unit: 's',
        better: 'lower',
        samples: [day.seconds],
        baseline: { label: 'bare multi-row INSERTs, per class in a transaction', unit: 's', samples: bareSeconds },
        // the county's roll calls come in one morning: all of them answered within ten minutes
        goals: [atMost(day.seconds, 600, 's')],
      };
      const throughput: Figure = {
        label: 'throughput',
        unit: 'roll calls/s',
        better: 'higher',
        samples: [classes.length / day.seconds],
        baseline: { label: 'bare', unit: 'classes/s', samples: bareSeconds.map((s) => classes.length / s) },
        goals: [],
      };
      const p99 = percentile(day.latencies, 99);
      const latency: Figure = {
        label: 'p99 latency of a roll call',
        unit: 'ms',
        better: 'lower',
        samples: [p99],
        baseline: { label: 'bare p99', unit: 'ms', samples: bare.map((b) => percentile(b.latencies, 99)) },
        goals: [],
      };
      const rules: Figure = {
        label: 'the daily absence monitor over the day',
        unit: 'ms',
        better: 'lower',
        samples: [monitor.ms],
        baseline: { label: "the rules' query bare (absentees, then their absences)", unit: 'ms', samples: bareRules },
        goals: [],
      };
      const failures = day.failures.length
        ? [`**${day.failures.length} roll calls failed**: ${[...new Set(day.failures)].slice(0, 5).join('; ')}.`]
        : [];
      return {
        key: 'school-day',
        title: this.title,
        setup: [
          `Real server process (demo mode, response validation off) on a fresh MariaDB database with the seeded county; ${pupils.toLocaleString('en-US')} pupils in ${classes.length.toLocaleString('en-US')} classes of about ${CLASS_SIZE} over its ${new Set(classes.map((c) => c.schoolId)).size} schools, each class with its own 班主任 and session (written with multi-row INSERTs, not measured).`,
          `The day is ${today}, the two school days before it ${days.slice(0, -1).join(' and ')} (a day the county calendar had no school was made a school day by the county admin first). On those two days every class's roll call is written bare, with ${marks.streak.size.toLocaleString('en-US')} pupils absent without leave on both; today ${marks.absent.toLocaleString('en-US')} pupils (${fmt((marks.absent / pupils) * 100)} %) are absent — those same pupils without leave (their third school day in a row: the county's default \`absenceReportDays\`), the others sick, on personal leave or absent without leave for the first day — and 0.5 % late.`,
          `Product: every class's roll call, once, by its 班主任 (\`POST /api/roll-calls\`, a new clientKey each, the day's marks), on ${CONNECTIONS} concurrent clients; each answer must be 2xx. Each roll call runs the absence rules for its absentees: ${day.newAlerts.toLocaleString('en-US')} alerts raised (the database then held ${Number(stored.rollCalls).toLocaleString('en-US')} roll calls and ${Number(stored.marks).toLocaleString('en-US')} marks for the day, ${Number(stored.alerts).toLocaleString('en-US')} absence alerts). One run: a class has one roll call a day.`,
          `Baseline: the same rows for the day written bare on ${CONNECTIONS} mysql2 connections — per class one transaction with the roll-call row and a multi-row INSERT of its marks, into copies of the tables (\`CREATE TABLE … LIKE\`), ${BARE_REPEATS} repeats.`,
          `Then the daily absence monitor runs once over the county (the compiled server in a process of its own, timed around \`AbsenceMonitorService.run\`): \`${JSON.stringify(monitor.result)}\`. Baseline: the rules' query bare — the pupils with at least 3 unexcused absences in the window (${candidates.toLocaleString('en-US')} found) and their absences in batches of 500, ${BARE_REPEATS} repeats.`,
        ],
        figures: [wall, throughput, latency, rules],
        notes: failures,
      };
    } finally {
      await sqlPool.end();
      await conn.end();
      await server.stop();
      await db.drop();
    }
  },
};
