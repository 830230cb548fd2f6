import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Caller } from '../../server/src/common/auth/caller';
import { encodeCursor } from '../../server/src/common/http/cursor';
import { caseListStatements, type ListCases } from '../../server/src/modules/cases/case-list-query';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { COUNTY, insertCases, insertChildren, villagesWithTownships } from '../lib/county';
import type { SectionResult } from '../lib/figures';
import { closedLoop, httpLoad } from '../lib/load';
import { connect, createDatabase, demoToken, pool } from '../lib/mysql';
import { profiledRun } from '../lib/profiled';
import { compareReads } from '../lib/reads';
import { startServer } from '../lib/server';

const CONNECTIONS = 16;
const REPEATS = 3;
const PAGE = 20;

/**
 * The limit: the best-indexed page of a township — the range of its (scope, priority, id) index,
 * read backwards from the cursor and stopped after one page (21 rows, the 21st says whether there
 * is a next page) — and its overdue count, a range of (scope, due_at) read from the index alone.
 */
function bestPageQuery(deep: boolean): string {
  return `SELECT * FROM cases c WHERE c.routing_township = ? AND c.merged_into_id IS NULL${deep ? ' AND (c.priority < ? OR (c.priority = ? AND c.id < ?))' : ''} ORDER BY c.priority DESC, c.id DESC LIMIT ${PAGE + 1}`;
}
const BEST_OVERDUE_COUNT = 'SELECT COUNT(*) FROM cases c WHERE c.routing_township = ? AND c.merged_into_id IS NULL AND c.due_at < ?';

/**
 * One line per table of MariaDB's `ANALYZE` (the statement run, its plan with the rows each step
 * really read): the access type, the index, the rows read against the optimiser's estimate.
 */
function describePlan(rows: RowDataPacket[]): string {
  return rows
    .map((p) => {
      const read = p.r_rows === null ? 'not read' : `${Number(p.r_rows).toLocaleString('en-US')} rows read (est. ${p.rows})`;
      const part = p.select_type === 'SIMPLE' || p.select_type === 'PRIMARY' ? '' : `${String(p.select_type).toLowerCase()} `;
      return `${part}${p.table}: ${p.type} on ${p.key ?? '—'}, ${read}${p.Extra ? ` — ${p.Extra}` : ''}`;
    })
    .join('; ');
}

/** A demo official or admin as the server's session check makes them a caller (for the product's statements). */
async function callerOf(conn: Connection, userId: string): Promise<Caller> {
  const [[user]] = await conn.query<RowDataPacket[]>(
    'SELECT id, role, position, display_name, unit_division_code, county_code FROM users WHERE id = ?',
    [userId],
  );
  return {
    userId: String(user!.id),
    sessionId: 'bench',
    role: user!.role as Caller['role'],
    position: user!.position as Caller['position'],
    displayName: String(user!.display_name),
    unit: user!.unit_division_code ? { kind: 'division', code: String(user!.unit_division_code) } : null,
    countyCode: user!.county_code === null ? null : String(user!.county_code),
  };
}

/**
 * 2. Inbox: a township leader's first page and a deep keyset page, with 100 000 cases in the county,
 * children of a priority group first. Baseline: the best-indexed page query and overdue count
 * through mysql2 on the same number of connections. The report shows MariaDB's plans of the
 * product's own statements (as its code builds them for each caller) at county, township and village scope and
 * for the triage queue.
 */
export const inboxSection: Section = {
  key: 'inbox',
  title: '2. Inbox (GET /api/cases)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const total = ctx.quick ? 20_000 : 100_000;
    const duration = seconds(ctx, 10, 4);
    const db = await createDatabase('inbox');
    const logFile = join(ctx.tmp, 'inbox-server.log');
    const server = await startServer({ databaseUrl: db.url, logFile });
    const conn = await connect(db.url);
    const sqlPool = pool(db.url, CONNECTIONS);
    try {
      const villages = await villagesWithTownships(conn);
      ctx.log(`inbox: writing ${total} children and cases`);
      const children = await insertChildren(conn, villages, total, { pupils: false, seed: 7 });
      await insertCases(conn, children, villages, total, { seed: 8, confirmedShare: 0.2 });
      // A county's steady state: the deadline sweep (once a minute) has long escalated what is overdue.
      // Written in bulk, 30 % of the cases would be overdue at once and unescalated, and the first
      // sweep would spend minutes on them while the inbox is measured.
      await conn.query("UPDATE cases SET escalated_to = 'county' WHERE due_at < ?", [new Date()]);
      // one case in 200 waits in the county's triage queue (no usable place)
      await conn.query('UPDATE cases SET township_code = NULL, village_code = NULL, routing_code = ? WHERE MOD(CRC32(id), 200) = 0', [
        COUNTY,
      ]);
      await conn.query('ANALYZE TABLE cases, children');
      const [[{ n: triaged }]] = (await conn.query('SELECT COUNT(*) AS n FROM cases WHERE routing_code = ?', [COUNTY])) as unknown as [
        Array<{ n: number }>,
      ];
      const [leader, countyAdmin, villageCadre] = await Promise.all(
        ['township-leader', 'county-admin', 'village-cadre'].map((account) => demoToken(conn, account)),
      );
      const [[unit]] = (await conn.query('SELECT unit_division_code AS code FROM users WHERE id = ?', [leader!.userId])) as unknown as [
        Array<{ code: string }>,
      ];
      const township = unit!.code.slice(0, 9);
      const [ids] = await conn.query<RowDataPacket[]>(
        'SELECT priority, id FROM cases WHERE routing_code LIKE ? AND merged_into_id IS NULL ORDER BY priority DESC, id DESC',
        [`${township}%`],
      );
      const prioritised = ids.filter((row) => Number(row.priority) === 1).length;
      const deepAt = Math.floor(ids.length * 0.8);
      const deepRow = { priority: Number(ids[deepAt]!.priority), id: String(ids[deepAt]!.id) };
      const cursor = encodeCursor([deepRow.priority, deepRow.id]);
      const deepParams = [deepRow.priority, deepRow.priority, deepRow.id];

      const best = (deep: boolean) => () =>
        closedLoop(CONNECTIONS, duration, () =>
          Promise.all([
            sqlPool.execute(bestPageQuery(deep), deep ? [township, ...deepParams] : [township]),
            sqlPool.execute(BEST_OVERDUE_COUNT, [township, new Date()]),
          ]),
        );
      const product = (deep: boolean) => (url: string) =>
        httpLoad({
          url,
          connections: CONNECTIONS,
          seconds: duration,
          request: () => ({
            method: 'GET',
            path: `/api/cases?limit=${PAGE}${deep ? `&cursor=${cursor}` : ''}`,
            headers: { authorization: `Bearer ${leader!.token}` },
          }),
        });
      ctx.log('inbox: warm-up');
      await product(false)(server.url);
      const readOptions = { repeats: REPEATS, least: 0.5, p99Limit: 20, unit: 'pages/s', baselineLabel: 'best-indexed SQL' };
      const first = await compareReads(ctx, 'first page', readOptions, () => product(false)(server.url), best(false));
      const deep = await compareReads(
        ctx,
        `deep page (row ${deepAt.toLocaleString('en-US')} of ${ids.length.toLocaleString('en-US')})`,
        readOptions,
        () => product(true)(server.url),
        best(true),
      );

      // the product's own statements (built by its code for each caller), each with its plan as MariaDB ran it
      const analyze = async (statement: { sql: string; values: unknown[] }) =>
        describePlan((await conn.query<RowDataPacket[]>(`ANALYZE ${conn.format(statement.sql, statement.values)}`))[0]);
      const [leaderCaller, adminCaller, villageCaller] = await Promise.all(
        [leader!, countyAdmin!, villageCadre!].map((u) => callerOf(conn, u.userId)),
      );
      const plans: string[] = [];
      const requests: Array<[string, Caller, ListCases, boolean]> = [
        ['township, first page', leaderCaller, { limit: PAGE }, false],
        ['township, deep page', leaderCaller, { limit: PAGE, cursor }, false],
        ['county, first page', adminCaller, { limit: PAGE }, false],
        ['village, first page', villageCaller, { limit: PAGE }, false],
        ['triage queue, first page', adminCaller, { limit: PAGE }, true],
      ];
      for (const [label, caller, query, triage] of requests) {
        const { page, overdue } = caseListStatements(caller, query, triage, new Date());
        plans.push(`- ${label}: \`${await analyze(page)}\``);
        if (label === 'township, first page')
          plans.push(`- township, overdue count alone (a page without rows): \`${await analyze(overdue)}\``);
      }
      plans.push(
        `- baseline (best-indexed), first page: \`${await analyze({ sql: bestPageQuery(false), values: [township] })}\``,
        `- baseline (best-indexed), deep page: \`${await analyze({ sql: bestPageQuery(true), values: [township, ...deepParams] })}\``,
        `- baseline (best-indexed), overdue count: \`${await analyze({ sql: BEST_OVERDUE_COUNT, values: [township, new Date()] })}\``,
      );
      const notes = [
        `Query plans (MariaDB \`ANALYZE\`: each statement run, with its plan and the rows each step really read; the product's statements as its own code builds them for each caller — \`caseListStatements\`):\n\n${plans.join('\n')}`,
        ...first.failures,
        ...deep.failures,
      ];
      const missed = [...first.figures, ...deep.figures].some((f) => f.goals.some((g) => !g.met));
      if (missed || ctx.profile) {
        await server.stop();
        const summary = await profiledRun(ctx, 'inbox', db.url, logFile, (url) => product(false)(url));
        notes.push(`CPU profile of the server under the first-page load (\`node --cpu-prof\`):\n\n${summary}`);
      }
      return {
        key: 'inbox',
        title: this.title,
        setup: [
          `${total.toLocaleString('en-US')} cases (one child each) over the county's ${villages.length} villages, 5 % of the children in a priority group; the township leader's township holds ${ids.length.toLocaleString('en-US')} of them, ${prioritised.toLocaleString('en-US')} listed first; ${Number(triaged).toLocaleString('en-US')} wait in the county's triage queue. The cases overdue at the start are already escalated, as the minute's deadline sweep leaves a county (written in bulk they would all be new to it, and its first pass would run through the measurement).`,
          `autocannon, ${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats, ${PAGE} cases a page; the deep page starts from a keyset cursor 80 % down the township's list.`,
          `Baseline: the best-indexed page query — the township's range of its \`(routing_township, priority, id)\` index read backwards from the cursor, \`LIMIT ${PAGE + 1}\` — and the overdue count from \`(routing_township, due_at, merged_into_id)\` alone, together, prepared, through mysql2 on ${CONNECTIONS} connections. The product authenticates the caller (one statement), reads the page with each case's child, schools, assignee and pending transfer joined in and the scope's overdue count as a subquery the database runs once (one statement), looks the division names up in its cache and renders JSON.`,
        ],
        figures: [...first.figures, ...deep.figures],
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
