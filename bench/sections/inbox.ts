import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { encodeCursor } from '../../server/src/common/http/cursor';
import { seconds, type BenchContext, type Section } from '../lib/context';
import { insertCases, insertChildren, villagesWithTownships } from '../lib/county';
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
 * 2. Inbox: a township leader's first page and a deep keyset page, with 100 000 cases in the county.
 * Baseline: the SQL the page is built from (the page query and the overdue count, as the product
 * issues them) through mysql2 on the same number of connections.
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
        'SELECT id FROM cases WHERE routing_code LIKE ? AND merged_into_id IS NULL ORDER BY id DESC',
        [`${prefix}%`],
      );
      const deepAt = Math.floor(ids.length * 0.8);
      const deepCursorId = String(ids[deepAt]!.id);
      const cursor = encodeCursor([deepCursorId]);

      const bare = (deep: boolean) => () =>
        closedLoop(CONNECTIONS, duration, () =>
          Promise.all([
            sqlPool.execute(
              `SELECT * FROM cases c WHERE c.routing_code LIKE ? AND c.merged_into_id IS NULL${deep ? ' AND c.id < ?' : ''} ORDER BY c.id DESC LIMIT ${PAGE + 1}`,
              deep ? [`${prefix}%`, deepCursorId] : [`${prefix}%`],
            ),
            sqlPool.execute('SELECT COUNT(*) FROM cases c WHERE c.routing_code LIKE ? AND c.merged_into_id IS NULL AND c.due_at < ?', [
              `${prefix}%`,
              new Date(),
            ]),
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
      const [plan] = await conn.query<RowDataPacket[]>(
        `EXPLAIN SELECT * FROM cases c WHERE c.routing_code LIKE ? AND c.merged_into_id IS NULL AND c.id < ? ORDER BY c.id DESC LIMIT ${PAGE + 1}`,
        [`${prefix}%`, deepCursorId],
      );
      const notes = [
        `Query plan of the deep page: \`${plan.map((p) => `${p.table}: ${p.type} on ${p.key ?? '—'} (${p.Extra ?? ''})`).join('; ')}\`.`,
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
          `${total.toLocaleString('en-US')} cases (one child each) over the county's ${villages.length} villages; the township leader's township holds ${ids.length.toLocaleString('en-US')} of them.`,
          `autocannon, ${CONNECTIONS} connections, ${duration} s per repeat, ${REPEATS} repeats, ${PAGE} cases a page; the deep page starts from a keyset cursor 80 % down the township's list.`,
          `Baseline: the page query (\`routing_code LIKE\` prefix, \`ORDER BY id DESC LIMIT ${PAGE + 1}\`) and the overdue count, together, through mysql2 on ${CONNECTIONS} connections. The product also reads the children, schools, assignees and pending transfers of the page and the division names (cached), authenticates the caller and renders JSON.`,
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
