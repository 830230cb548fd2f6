import { createHash, randomUUID } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';
import { insertSupervisor } from '../../tests/support/mysql';
import { httpLoad, type LoadResult } from './load';
import { MYSQL_SERVER_URL } from './mysql';

/** Tip load shared by the tip-intake and the national-divisions sections. */

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛'.split(
    '',
  );
const GIVEN =
  '子涵浩宇欣怡梓萱俊杰雨桐思远佳怡晨阳一诺紫涵宇轩梓涵博文诗琪嘉怡欣然雅琪子轩浩然梦瑶家豪晓峰丽娜海燕志强秀英建华小红小明小兵小军小芳小燕文静文博天宇天佑思琪思雨'.match(
    /../g,
  )!;
const OBSERVATIONS = [
  '这个孩子开学两周都没有去学校，白天在家里带弟弟。',
  '孩子最近一个月在镇上的饭店帮工，没有上学。',
  '听邻居说孩子跟父母去外地打工了，学校说没有办转学。',
  '孩子说不想读书了，每天在村里玩手机。',
];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

export interface Supervisors {
  tokens: string[];
  userIds: string[];
}

/** `count` supervisors spread over the villages, each with a session; the daily tip limit raised out of the way. */
export async function prepareSupervisors(db: Connection, villages: string[], count: number): Promise<Supervisors> {
  await db.query(`UPDATE served_counties SET settings = '{"tipsPerSupervisorPerDay":1000000}'`);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await insertSupervisor(db, villages[(i * 37) % villages.length]!, i));
  const [rows] = await db.query("SELECT id FROM users WHERE role = 'supervisor' AND demo_account IS NULL");
  return { tokens, userIds: (rows as Array<{ id: string }>).map((r) => r.id) };
}

export async function villagesOf(db: Connection, countyPrefix = '411522'): Promise<string[]> {
  const [rows] = await db.query("SELECT code FROM divisions WHERE level = 'village' AND code LIKE ? ORDER BY code", [`${countyPrefix}%`]);
  return (rows as Array<{ code: string }>).map((r) => r.code);
}

/** A new tip from a random supervisor about a random child of a random village of the county. */
export function tipRequest(tokens: string[], villages: string[]) {
  return () => ({
    method: 'POST' as const,
    path: '/api/tips',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${pick(tokens)}` },
    body: JSON.stringify({
      idempotencyKey: randomUUID(),
      divisionCode: pick(villages),
      observation: pick(OBSERVATIONS),
      child: { name: pick(SURNAMES) + pick(GIVEN), sex: Math.random() < 0.52 ? 'male' : 'female', age: 6 + Math.floor(Math.random() * 10) },
    }),
  });
}

export function tipLoad(url: string, tokens: string[], villages: string[], connections: number, seconds: number): Promise<LoadResult> {
  return httpLoad({ url, connections, seconds, request: tipRequest(tokens, villages) });
}

/** One row of the width of a stored tip, for the bare-INSERT baseline (same columns, same indexes). */
export function tipRow(supervisorIds: string[], villages: string[]): unknown[] {
  const name = pick(SURNAMES) + pick(GIVEN);
  return [
    newId(),
    pick(supervisorIds),
    randomUUID(),
    createHash('sha256')
      .update(name + Math.random())
      .digest('hex'),
    newId(),
    0,
    name,
    Math.random() < 0.52 ? 'male' : 'female',
    6 + Math.floor(Math.random() * 10),
    null,
    null,
    null,
    null,
    pick(villages),
    null,
    pick(OBSERVATIONS),
    null,
    null,
    new Date(),
  ];
}

export const TIP_COLUMNS = [
  'id',
  'supervisor_id',
  'idempotency_key',
  'request_hash',
  'case_id',
  'already_followed',
  'child_name',
  'child_sex',
  'child_age',
  'child_grade',
  'last_school_id',
  'last_school_name',
  'child_id_number',
  'division_code',
  'location_note',
  'observation',
  'contact',
  'photo_id',
  'created_at',
];

/**
 * One more tip, as the database sees it: the statements MariaDB's general log records for it
 * (switched on for that one request only) on the server's connections to `database`, each as its
 * verb and table; a prepared statement is counted once, when it runs (Execute), not when prepared.
 */
export async function statementsOfOneTip(serverUrl: string, tokens: string[], villages: string[], database: string): Promise<string[]> {
  const admin = await createConnection(MYSQL_SERVER_URL);
  try {
    await new Promise((r) => setTimeout(r, 2000)); // requests of an earlier load still in flight
    await admin.query('TRUNCATE mysql.general_log');
    await admin.query("SET GLOBAL log_output = 'TABLE'");
    await admin.query('SET GLOBAL general_log = 1');
    const request = tipRequest(tokens, villages)();
    try {
      const response = await fetch(serverUrl + request.path, { method: request.method, headers: request.headers, body: request.body });
      if (response.status !== 201) throw new Error(`the counted tip answered ${response.status}`);
    } finally {
      await admin.query('SET GLOBAL general_log = 0');
    }
    // only the server's connections to this database (other work on the machine logs too)
    const [rows] = await admin.query(
      "SELECT thread_id AS thread, CONVERT(argument USING utf8mb4) AS sql_text FROM mysql.general_log WHERE command_type IN ('Query', 'Execute') AND CONVERT(argument USING utf8mb4) NOT LIKE 'SET GLOBAL%' AND thread_id IN (SELECT id FROM information_schema.PROCESSLIST WHERE db = ?) ORDER BY event_time",
      [database],
    );
    await admin.query('TRUNCATE mysql.general_log');
    // the outbox worker polls on connections of its own (it claims messages with an UPDATE): not the tip's
    const all = rows as Array<{ thread: number; sql_text: string }>;
    const worker = new Set(all.filter((r) => /^UPDATE\s+`?outbox/i.test(r.sql_text.trim())).map((r) => r.thread));
    return all
      .filter((r) => !worker.has(r.thread))
      .map(({ sql_text: sql }) => {
        const verb = sql.trim().split(/\s+/)[0]!.toUpperCase();
        const table = /(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(sql)?.[1];
        return table ? `${verb} ${table}` : verb;
      });
  } finally {
    await admin.end();
  }
}
