import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../../server/src/config/config.schema';

export type DatabaseKind = 'sqlite' | 'mysql';

/** The database the current jest project runs against (see jest.config.js). */
export function currentDatabaseKind(): DatabaseKind {
  const kind = (globalThis as { BX_TEST_DATABASE?: string }).BX_TEST_DATABASE ?? process.env.BX_TEST_DATABASE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'mysql') throw new Error(`unknown test database ${kind}`);
  return kind;
}

/** MariaDB of the machine (PLATFORM.md); override with BX_TEST_MYSQL_URL. */
export const MYSQL_SERVER_URL = process.env.BX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  config: DatabaseConfig;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file: a temp SQLite file or a new MySQL schema. */
export async function createTestDatabase(kind: DatabaseKind = currentDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bx-test-'));
    const file = join(dir, 'test.sqlite');
    return {
      config: { kind: 'sqlite', file, poolSize: 1 },
      url: `sqlite:${file}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `bx_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(MYSQL_SERVER_URL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = `${MYSQL_SERVER_URL}/${name}`;
  return {
    config: { kind: 'mysql', url, poolSize: 5 },
    url,
    drop: async () => {
      const conn = await createConnection(MYSQL_SERVER_URL);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
