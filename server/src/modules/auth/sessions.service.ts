import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller, CallerUnit } from '../../common/auth/caller';
import type { SessionAuthenticator } from '../../common/auth/session-authenticator';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import type { AccountSessions } from '../accounts/account-sessions';
import { UserRecords } from '../accounts/user-records';
import { DivisionRecords, storedSettings } from '../divisions/division-records';
import { SchoolRecords } from '../schools/school-records';
import { Session } from './session.entity';
import { rawDate } from '../../database/raw-date';
import { selectRows } from '../../database/sql';

const TOKEN_PREFIX = 'bx1_';
const LAST_SEEN_RESOLUTION_MS = 15 * 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface SessionRow {
  session_id: string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  user_id: string;
  role: Caller['role'];
  position: Caller['position'];
  display_name: string;
  unit_division_code: string | null;
  unit_school_id: string | null;
  county_code: string | null;
  disabled: number | boolean;
  last_seen_at: Date | string | null;
  school_township_code: string | null;
  school_county_code: string | null;
  /** The served county's settings as stored (JSON text), null when the county is not served. */
  county_settings: string | Record<string, unknown> | null;
}

/**
 * Server-issued sessions: an opaque random token for the client, its SHA-256 in the database.
 * Revocation (sign-out, disabled account) takes effect on the next request.
 */
@Injectable()
export class SessionsService implements SessionAuthenticator, AccountSessions {
  private sessionSql: string | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UserRecords,
    private readonly schools: SchoolRecords,
    private readonly divisions: DivisionRecords,
  ) {}

  async issue(userId: string, wechatSessionKey: string | null = null): Promise<{ token: string; expiresAt: Date }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionTtlHours * 3_600_000);
    await this.dataSource.manager.insert(Session, {
      id: newId(),
      tokenHash: hashToken(token),
      userId,
      wechatSessionKey,
      createdAt: now,
      expiresAt,
      revokedAt: null,
    });
    return { token, expiresAt };
  }

  /** The caller behind a bearer token, in one query; throws 401/403 for anything but a live session. */
  async authenticate(token: string): Promise<Caller> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) throw new AppError('SESSION_EXPIRED');
    const [row] = await selectRows<SessionRow>(this.dataSource, this.sessionQuery(), [hashToken(token)]);
    const now = this.clock.now();
    if (!row || row.revoked_at || rawDate(row.expires_at) <= now) throw new AppError('SESSION_EXPIRED');
    if (row.disabled === true || Number(row.disabled) === 1) throw new AppError('ACCOUNT_DISABLED');
    if (!row.last_seen_at || now.getTime() - rawDate(row.last_seen_at).getTime() > LAST_SEEN_RESOLUTION_MS) {
      await this.users.markSeen(this.dataSource.manager, row.user_id, now);
    }
    let unit: CallerUnit | null = null;
    if (row.unit_division_code) unit = { kind: 'division', code: row.unit_division_code };
    else if (row.unit_school_id && row.school_township_code && row.school_county_code) {
      unit = { kind: 'school', schoolId: row.unit_school_id, townshipCode: row.school_township_code, countyCode: row.school_county_code };
    }
    return {
      userId: row.user_id,
      sessionId: row.session_id,
      role: row.role,
      position: row.position,
      displayName: row.display_name,
      unit,
      countyCode: row.county_code,
      countySettings: row.county_settings === null ? null : storedSettings(row.county_settings),
    };
  }

  /**
   * The session check's SQL, built once from the owners' joins (every request runs it: building it
   * each time cost more than the database's primary-key reads).
   */
  private sessionQuery(): string {
    if (this.sessionSql) return this.sessionSql;
    const query = this.dataSource.manager.createQueryBuilder(Session, 's');
    this.users.joinUsers(query, 'u', 'u.id = s.user_id');
    this.schools.joinSchools(query, 'sc', 'sc.id = u.unit_school_id', 'left');
    // the county's policy comes with the caller: a tip reads it without a statement of its own
    this.divisions.joinServedCounties(query, 'served', 'served.code = u.county_code');
    const [sql] = query
      .select([
        's.id AS session_id',
        's.expires_at AS expires_at',
        's.revoked_at AS revoked_at',
        'u.id AS user_id',
        'u.role AS role',
        'u.position AS position',
        'u.display_name AS display_name',
        'u.unit_division_code AS unit_division_code',
        'u.unit_school_id AS unit_school_id',
        'u.county_code AS county_code',
        'u.disabled AS disabled',
        'u.last_seen_at AS last_seen_at',
        'sc.township_code AS school_township_code',
        'sc.county_code AS school_county_code',
        'served.settings AS county_settings',
      ])
      .where('s.token_hash = :hash', { hash: '' })
      .getQueryAndParameters();
    return (this.sessionSql = sql);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.dataSource.manager.update(Session, { id: sessionId }, { revokedAt: this.clock.now() });
  }

  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(Session, { userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }
}
