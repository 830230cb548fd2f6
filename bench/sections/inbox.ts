import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { encodeCursor } from '../../server/src/common/http/cursor';
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

/** The page query as the product issues it: priority groups first, then newest, keyset on (priority, id). */
function pageQuery(scope: string, deep: boolean): string {
  return `SELECT * FROM cases c WHERE ${scope} AND c.merged_into_id IS NULL${deep ? ' AND (c.priority < ? OR (c.priority = ? AND c.id < ?))' : ''} ORDER BY c.priority DESC, c.id DESC LIMIT ${PAGE + 1}`;
}
const OVERDUE_COUNT = 'SELECT COUNT(*) FROM cases c WHERE c.routing_code LIKE ? AND c.merged_into_id IS NULL AND c.due_at < ?';

/** One line of MariaDB's EXPLAIN: the access type, the index, and what else it does (a sort, a filter). */
function describePlan(rows: RowDataPacket[]): string {
  return rows.map((p) => `${p.table}: ${p.type} on ${p.key ?? '—'}, ~${p.rows} rows (${p.Extra ?? ''})`).join('; ');
}

/**
 * 2. Inbox: a township leader's first page and a deep keyset page, with 100 000 cases in the county,
 * children of a priority group first. Baseline: the SQL the page is built from (the page query and
 * the overdue count, as the product issues them) through mysql2 on the same number of connections.
 * The report shows MariaDB's plan of the page query at county, township and village scope and for
 * the triage queue.
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
      await conn.query('ANALYZE TABLE cases, children');
      const leader = await demoToken(conn, 'township-leader');
      const [[unit]] = (await conn.query('SELECT unit_division_code AS code FROM users WHERE id = ?', [leader.userId])) as unknown as [
        Array<{ code: string }>,
      ];
      const prefix = unit!.code.slice(0, 9);
      const [ids] = await conn.query<RowDataPacket[]>(
        'SELECT priority, id FROM cases WHERE routing_code LIKE ? AND merged_into_id IS NULL ORDER BY priority DESC, id DESC',
        [`${prefix}%`],
      );
      const prioritised = ids.filter((row) => Number(row.priority) === 1).length;
      const deepAt = Math.floor(ids.length * 0.8);
      const deepRow = { priority: Number(ids[deepAt]!.priority), id: String(ids[deepAt]!.id) };
      const cursor = encodeCursor([deepRow.priority, deepRow.id]);
      const deepParams = [deepRow.priority, deepRow.priority, deepRow.id];

      const bare = (deep: boolean) => () =>
        closedLoop(CONNECTIONS, duration, () =>
          Promise.all([
            sqlPool.execute(pageQuery('c.routing_code LIKE ?', deep), deep ? [`${prefix}%`, ...deepParams] : [`${prefix}%`]),
            sqlPool.execute(OVERDUE_COUNT, [`${prefix}%`, new Date()]),
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
            headers: { authorization: `Bearer ${leader.token}` },
          }),
        });
      ctx.log('inbox: warm-up');
      await product(false)(server.url);
      const first = await compareReads(
        ctx,
        'first page',
        { repeats: REPEATS, least: 0.5, p99Limit: 20, unit: 'pages/s', baselineLabel: 'bare SQL' },
        () => product(false)(server.url),
        bare(false),
      );
      const deep = await compareReads(
        ctx,
        `deep page (row ${deepAt.toLocaleString('en-US')} of ${ids.length.toLocaleString('en-US')})`,
        { repeats: REPEATS, least: 0.5, p99Limit: 20, unit: 'pages/s', baselineLabel: 'bare SQL' },
        () => product(true)(server.url),
        bare(true),
      );
      const explain = async (sql: string, params: unknown[]) =>
        describePlan((await conn.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params))[0]);
      const village = villages.find((v) => v.township.startsWith(prefix))!.code;
      const plans = [
        ['township, first page', await explain(pageQuery('c.routing_code LIKE ?', false), [`${prefix}%`])],
        ['township, deep page', await explain(pageQuery('c.routing_code LIKE ?', true), [`${prefix}%`, ...deepParams])],
        ['township, overdue count', await explain(OVERDUE_COUNT, [`${prefix}%`, new Date()])],
        ['county, first page', await explain(pageQuery('c.routing_code LIKE ?', false), [`${COUNTY.slice(0, 6)}%`])],
        ['village, first page', await explain(pageQuery('c.routing_code LIKE ?', false), [`${village}%`])],
        [
          'triage queue, first page',
          await explain(pageQuery('c.routing_code LIKE ? AND c.township_code IS NULL AND c.routing_code = ?', false), [
            `${COUNTY.slice(0, 6)}%`,
            COUNTY,
          ]),
        ],
      ];
      const notes = [
        `Query plans (MariaDB \`EXPLAIN\`), priority groups first through \`idx_cases_priority (priority, id)\`:\n\n${plans.map(([label, plan]) => `- ${label}: \`${plan}\``).join('\n')}`,
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
          `${total.toLocaleString('en-US')} cases (one child each) over the county's ${villages.length} villages, 5 % of the children in a priority group; the township leader's township holds ${ids.length.toLocaleString('en-US')} of them, ${prioritised.toLocaleString('en-US')} listed first.`,
          `autocannon, ${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats, ${PAGE} cases a page; the deep page starts from a keyset cursor 80 % down the township's list.`,
          `Baseline: the page query (\`routing_code LIKE\` prefix, \`ORDER BY priority DESC, id DESC LIMIT ${PAGE + 1}\`, keyset on both) and the overdue count, together, through mysql2 on ${CONNECTIONS} connections. The product also reads the children, schools, assignees and pending transfers of the page and the division names (cached), authenticates the caller and renders JSON.`,
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
