import { createHash, randomBytes } from 'node:crypto';
import { createConnection, createPool, type Connection, type Pool } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';

/** The machine's MariaDB (PLATFORM.md); BENCH_MYSQL_URL points elsewhere. */
export const MYSQL_SERVER_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const created = new Set<string>();

/** A new, empty database named for the bench; dropped by `drop()` or by `dropAllCreated()` on exit. */
export async function createDatabase(label: string): Promise<BenchDatabase> {
  const name = `bx_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection(MYSQL_SERVER_URL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  created.add(name);
  return {
    name,
    url: `${MYSQL_SERVER_URL}/${name}`,
    drop: async () => {
      const conn = await createConnection(MYSQL_SERVER_URL);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
        created.delete(name);
      } finally {
        await conn.end();
      }
    },
  };
}

export async function dropAllCreated(): Promise<void> {
  if (!created.size) return;
  const conn = await createConnection(MYSQL_SERVER_URL);
  try {
    for (const name of created) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    created.clear();
  } finally {
    await conn.end();
  }
}

export async function connect(url: string): Promise<Connection> {
  return createConnection({ uri: url, timezone: 'Z' });
}

export function pool(url: string, size: number): Pool {
  return createPool({ uri: url, timezone: 'Z', connectionLimit: size });
}

export async function serverVersion(): Promise<string> {
  const conn = await createConnection(MYSQL_SERVER_URL);
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const version = String((rows as Array<{ v: string }>)[0]!.v);
    return version.toLowerCase().includes('mariadb') ? `MariaDB ${version}` : `MySQL ${version}`;
  } finally {
    await conn.end();
  }
}

/** A session for an existing user, written the way the server stores it (sha256 of the bearer token). */
export async function sessionFor(db: Connection, userId: string): Promise<string> {
  const token = `bx1_${randomBytes(32).toString('base64url')}`;
  await db.query(
    'INSERT INTO sessions (id, token_hash, user_id, wechat_session_key, created_at, expires_at, revoked_at) VALUES (?, ?, ?, NULL, ?, ?, NULL)',
    [newId(), createHash('sha256').update(token).digest('hex'), userId, new Date(), new Date(Date.now() + 24 * 3_600_000)],
  );
  return token;
}

/** A token for one of the demo accounts the server seeds (`county-admin`, `township-leader`, …). */
export async function demoToken(db: Connection, account: string): Promise<{ token: string; userId: string }> {
  const [rows] = await db.query('SELECT id FROM users WHERE demo_account = ?', [account]);
  const userId = (rows as Array<{ id: string }>)[0]?.id;
  if (!userId) throw new Error(`demo account ${account} is missing: was the database seeded?`);
  return { token: await sessionFor(db, userId), userId };
}

/**
 * Writes rows in multi-row INSERTs of `chunk` rows: how the bench fills tables with generated
 * data (not what it measures). `rows` may be a generator, so nothing large is held in memory.
 */
export async function insertRows(
  db: Connection,
  table: string,
  columns: string[],
  rows: Iterable<unknown[]>,
  chunk = 2000,
): Promise<number> {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const one = `(${columns.map(() => '?').join(', ')})`;
  let batch: unknown[] = [];
  let count = 0;
  let inBatch = 0;
  const flush = async () => {
    if (!inBatch) return;
    await db.query(head + Array(inBatch).fill(one).join(', '), batch);
    batch = [];
    inBatch = 0;
  };
  for (const row of rows) {
    batch.push(...row);
    inBatch++;
    count++;
    if (inBatch >= chunk) await flush();
  }
  await flush();
  return count;
}
