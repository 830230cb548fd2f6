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

/** What the bench asks of the database server: memory for a county of a million pupils. */
const SERVER_SIZING = { innodb_buffer_pool_size: 2 * 2 ** 30, innodb_log_file_size: 512 * 2 ** 20 } as const;

/**
 * Sizes the shared MariaDB for the run as a county's database server would be sized (both settings
 * are dynamic in MariaDB ≥ 10.9): the server's default buffer pool of 128 MiB cannot hold a county's
 * million children and its indexes, so every row of a roster import would miss it. Returns a
 * description for the report and a function that puts the previous values back.
 */
export async function sizeServer(): Promise<{ description: string; restore: () => Promise<void> }> {
  const conn = await createConnection(MYSQL_SERVER_URL);
  const names = Object.keys(SERVER_SIZING) as Array<keyof typeof SERVER_SIZING>;
  try {
    const [rows] = await conn.query(`SELECT ${names.map((n) => `@@GLOBAL.${n} AS ${n}`).join(', ')}`);
    const before = (rows as Array<Record<string, number | string>>)[0]!;
    for (const name of names) await conn.query(`SET GLOBAL ${name} = ?`, [SERVER_SIZING[name]]);
    const mib = (n: number | string) => `${Math.round(Number(n) / 2 ** 20)} MiB`;
    return {
      description: names.map((n) => `${n} ${mib(SERVER_SIZING[n])} (server default here: ${mib(before[n]!)})`).join(', '),
      restore: async () => {
        const again = await createConnection(MYSQL_SERVER_URL);
        try {
          for (const name of names) await again.query(`SET GLOBAL ${name} = ?`, [before[name]]);
        } finally {
          await again.end();
        }
      },
    };
  } finally {
    await conn.end();
  }
}
