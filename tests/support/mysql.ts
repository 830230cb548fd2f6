import { createHash, randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';

/** Direct SQL for tests that run the server as a separate process. */
export async function sql(url: string): Promise<Connection> {
  return createConnection({ uri: url, timezone: 'Z' });
}

/** A supervisor of a village with a session token, written straight into the database. */
export async function insertSupervisor(db: Connection, village: string, index: number): Promise<string> {
  const userId = newId();
  await db.query(
    "INSERT INTO users (id, openid, demo_account, role, display_name, position, unit_division_code, unit_school_id, county_code, disabled) VALUES (?, ?, NULL, 'supervisor', ?, NULL, ?, NULL, '411522000000', 0)",
    [userId, `o_load_${index}_${randomBytes(4).toString('hex')}`, `监督员${index}`, village],
  );
  const token = `bx1_${randomBytes(32).toString('base64url')}`;
  await db.query(
    'INSERT INTO sessions (id, token_hash, user_id, wechat_session_key, created_at, expires_at, revoked_at) VALUES (?, ?, ?, NULL, ?, ?, NULL)',
    [newId(), createHash('sha256').update(token).digest('hex'), userId, new Date(), new Date(Date.now() + 24 * 3_600_000)],
  );
  return token;
}
