import { createHash, randomUUID } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';
import { tipRequest } from './tips';

/**
 * A tip's minimal SQL — the limit the product's tip path is measured against: only the statements
 * a tip really needs, hand-written, prepared (mysql2 `execute`) and in one transaction, with no
 * framework between the request and the database:
 *
 *   the session (who sends it); then in the transaction: the supervisor's daily counter (one upsert
 *   that also answers the new count), the child's claim row (name and village: parallel reports of
 *   one child take turns), the namesakes of the village, then either, for a namesake with an open
 *   case, that case's tip count, a 'tip_attached' event and the tip — or a new child, the new case's
 *   routing and its two events ('opened', 'routed'), the officials to tell, the tip, and last the
 *   county's case number (one upsert on the county's counter row, locked from there to the commit,
 *   so it comes last, as in the product), the officials' inbox and WeChat outbox rows naming it and
 *   the case. The tip's unique (supervisor, idempotency key) is the idempotency claim.
 *
 * The rows go to copies of the product's tables (`CREATE TABLE bench_min_<t> LIKE <t>`: same columns,
 * same indexes), so the product's runs and these never share rows or locks.
 */
const TABLES = [
  'quota_counters',
  'case_number_counters',
  'child_identity_claims',
  'children',
  'cases',
  'case_routings',
  'case_events',
  'messages',
  'outbox',
  'tips',
];
const T = Object.fromEntries(TABLES.map((t) => [t, `bench_min_${t}`])) as Record<(typeof TABLES)[number], string>;

const SQL = {
  session: 'SELECT user_id, expires_at, revoked_at FROM sessions WHERE token_hash = ?',
  quota: `INSERT INTO ${T.quota_counters} (subject, period, used) VALUES (?, ?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE used = LAST_INSERT_ID(used + 1)`,
  claim: `INSERT INTO ${T.child_identity_claims} (name_key, place, uses) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE uses = uses + 1`,
  namesakes: `SELECT id, birth_year FROM ${T.children} WHERE name_key = ? AND village_code = ? AND merged_into_id IS NULL`,
  child: `INSERT INTO ${T.children} (id, name, name_key, sex, birth_year, birth_year_exact, village_code, priority_groups, county_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, '[]', ?, ?, ?)`,
  openCase: `SELECT id FROM ${T.cases} WHERE open_child_id = ?`,
  attach: `UPDATE ${T.cases} SET tip_count = tip_count + 1 WHERE id = ?`,
  caseNumber: `INSERT INTO ${T.case_number_counters} (county_code, year, last) VALUES (?, ?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + 1)`,
  case: `INSERT INTO ${T.cases} (id, case_number, child_id, open_child_id, priority, status, source, county_code, township_code, village_code, routing_code, opened_at, due_at, due_kind, tip_count, version) VALUES (?, ?, ?, ?, 0, 'reported', 'tip', ?, ?, ?, ?, ?, ?, 'accept', 1, 1)`,
  routing: `INSERT INTO ${T.case_routings} (id, case_id, at, township_code, rule, actor_id, reason) VALUES (?, ?, ?, ?, 'village', NULL, NULL)`,
  events: `INSERT INTO ${T.case_events} (id, case_id, at, actor_id, kind, data) VALUES (?, ?, ?, NULL, 'opened', '{"source":"tip"}'), (?, ?, ?, NULL, 'routed', ?)`,
  event: `INSERT INTO ${T.case_events} (id, case_id, at, actor_id, kind, data) VALUES (?, ?, ?, NULL, 'tip_attached', ?)`,
  officials:
    "SELECT id FROM users WHERE role = 'official' AND position IN ('leader', 'cadre') AND unit_division_code IN (?, ?) AND disabled = 0",
  tip: `INSERT INTO ${T.tips} (id, supervisor_id, idempotency_key, request_hash, case_id, already_followed, child_name, child_sex, child_age, division_code, observation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
};

function messageRows(n: number, columns: number): string {
  return Array.from({ length: n }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');
}

/**
 * Creates the tables the minimal tip writes to; returns the function that writes one tip. `numbered`
 * false leaves the county's case number out (the case's number column empty): a reference showing
 * what the county's one counter row costs when all of the load opens cases in one county.
 */
export async function minimalTipSql(pool: Pool, tokens: string[], villages: string[]): Promise<(numbered: boolean) => Promise<void>> {
  for (const table of TABLES) await pool.query(`CREATE TABLE ${T[table]} LIKE ${table}`);
  const request = tipRequest(tokens, villages);
  return async (numbered) => {
    const { headers, body } = request();
    const tip = JSON.parse(body) as {
      idempotencyKey: string;
      divisionCode: string;
      observation: string;
      child: { name: string; sex: string; age: number };
    };
    const token = headers.authorization.slice('Bearer '.length);
    const conn = await pool.getConnection();
    try {
      await writeTip(conn, createHash('sha256').update(token).digest('hex'), tip, body, numbered);
    } finally {
      conn.release();
    }
  };
}

async function writeTip(
  conn: PoolConnection,
  tokenHash: string,
  tip: { idempotencyKey: string; divisionCode: string; observation: string; child: { name: string; sex: string; age: number } },
  body: string,
  numbered: boolean,
): Promise<void> {
  const now = new Date();
  const [[session]] = await conn.execute<RowDataPacket[]>(SQL.session, [tokenHash]);
  if (!session || session.revoked_at || session.expires_at < now) throw new Error('no session');
  const supervisorId = session.user_id as string;
  const village = tip.divisionCode;
  const township = village.slice(0, 9) + '000';
  await conn.query('START TRANSACTION');
  try {
    await conn.execute(SQL.quota, [`tips:${supervisorId}`, now.toISOString().slice(0, 10)]);
    const nameKey = tip.child.name;
    await conn.execute(SQL.claim, [nameKey, `village:${village}`]);
    const birthYear = now.getUTCFullYear() - tip.child.age;
    const [namesakes] = await conn.execute<RowDataPacket[]>(SQL.namesakes, [nameKey, village]);
    const known = namesakes.find((n) => Math.abs(Number(n.birth_year) - birthYear) <= 1);
    const [open] = known ? await conn.execute<RowDataPacket[]>(SQL.openCase, [known.id]) : [[]];
    const caseId = open[0] ? (open[0].id as string) : newId();
    const insertTip = () =>
      conn.execute(SQL.tip, [
        newId(),
        supervisorId,
        tip.idempotencyKey || randomUUID(),
        createHash('sha256').update(body).digest('hex'),
        caseId,
        open[0] ? 1 : 0,
        tip.child.name,
        tip.child.sex,
        tip.child.age,
        village,
        tip.observation,
        now,
      ]);
    if (open[0]) {
      await conn.execute(SQL.attach, [caseId]);
      await conn.execute(SQL.event, [newId(), caseId, now, JSON.stringify({ tipId: newId() })]);
      await insertTip();
    } else {
      const county = village.slice(0, 6) + '000000';
      const childId = known ? (known.id as string) : newId();
      if (!known) await conn.execute(SQL.child, [childId, tip.child.name, nameKey, tip.child.sex, birthYear, village, county, now, now]);
      await conn.execute(SQL.routing, [newId(), caseId, now, township]);
      await conn.execute(SQL.events, [
        newId(),
        caseId,
        now,
        newId(),
        caseId,
        now,
        JSON.stringify({ townshipCode: township, rule: 'village' }),
      ]);
      const [officials] = await conn.execute<RowDataPacket[]>(SQL.officials, [township, village]);
      await insertTip();
      let caseNumber: string | null = null;
      if (numbered) {
        const [{ insertId: number }] = await conn.execute<ResultSetHeader>(SQL.caseNumber, [county, now.getUTCFullYear()]);
        caseNumber = `${county}-${now.getUTCFullYear()}-${String(number).padStart(6, '0')}`;
      }
      if (officials.length) {
        const key = `case-routed:${caseId}:${village}:${now.getTime()}`;
        await conn.execute(
          `INSERT IGNORE INTO ${T.messages} (id, user_id, dedupe_key, title, body, link, created_at, read_at) VALUES ${messageRows(officials.length, 8)}`,
          officials.flatMap((o) => [
            newId(),
            o.id,
            `${key}:${o.id}`,
            '新的疑似辍学线索',
            `案件${caseNumber ?? ''}，${village}，请在72小时内受理。`,
            `/official/case?id=${caseId}`,
            now,
            null,
          ]),
        );
        await conn.execute(
          `INSERT IGNORE INTO ${T.outbox} (id, dedupe_key, user_id, template, payload, status, attempts, next_attempt_at, leased_until, last_error, created_at, sent_at) VALUES ${messageRows(officials.length, 12)}`,
          officials.flatMap((o) => [
            newId(),
            `${key}:${o.id}`,
            o.id,
            'new_case',
            body.slice(0, 200),
            'pending',
            0,
            now,
            null,
            null,
            now,
            null,
          ]),
        );
      }
      await conn.execute(SQL.case, [
        caseId,
        caseNumber,
        childId,
        childId,
        county,
        township,
        village,
        village,
        now,
        new Date(now.getTime() + 72 * 3_600_000),
      ]);
    }
    await conn.query('COMMIT');
  } catch (error) {
    await conn.query('ROLLBACK');
    throw error;
  }
}
