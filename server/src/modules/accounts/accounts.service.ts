import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AccountView, Me, Role } from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, assertCountyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { containsPattern, LIKE_ESCAPE } from '../../common/sql/like';
import { AuditService } from '../audit/audit.service';
import { toAccountView, toMe } from './account.mapper';
import { AccountSessions } from './account-sessions';
import { UnitsService } from './units.service';
import { User } from './user.entity';
import { transactionWithRetry } from '../../database/transaction';

/** Parents sign in with nothing else known about them; they choose how they are addressed later. */
const NEW_USER_NAME = '微信用户';

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly units: UnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: AccountSessions,
  ) {}

  /** The account of a WeChat user, created as a parent on first sign-in. Safe against two first sign-ins at once. */
  async findOrCreateByOpenid(openid: string): Promise<User> {
    const existing = await this.dataSource.manager.findOneBy(User, { openid });
    if (existing) return existing;
    try {
      const user = this.dataSource.manager.create(User, {
        id: newId(),
        openid,
        role: 'parent',
        displayName: NEW_USER_NAME,
        disabled: false,
      });
      return await this.dataSource.manager.save(User, user);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.dataSource.manager.findOneByOrFail(User, { openid });
    }
  }

  async me(userId: string): Promise<Me> {
    const user = await this.dataSource.manager.findOneByOrFail(User, { id: userId });
    return toMe(user, await this.units.describeOne(user));
  }

  async updateProfile(caller: Caller, displayName: string): Promise<Me> {
    await this.dataSource.manager.update(User, { id: caller.userId }, { displayName });
    return this.me(caller.userId);
  }

  async recordPrivacyConsent(caller: Caller, version: string): Promise<Me> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.update(User, { id: caller.userId }, { privacyConsentVersion: version, privacyConsentAt: this.clock.now() });
      await this.audit.record(
        caller,
        { action: 'privacy.consent', targetType: 'user', targetId: caller.userId, details: { version } },
        manager,
      );
    });
    return this.me(caller.userId);
  }

  /** Accounts of the admin's county, newest first. Parents belong to no county and are never listed. */
  async list(
    caller: Caller,
    query: { role?: Role; q?: string; cursor?: string; limit: number },
  ): Promise<{ items: AccountView[]; nextCursor: string | null }> {
    requireRecordAccess(caller, 'read_account');
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(User, 'u'), caller, 'read_account', { division: 'u.county_code' })
      // ids are time-ordered (UUIDv7): newest first, and a stable keyset.
      .orderBy('u.id', 'DESC')
      .limit(query.limit + 1);
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.q) qb.andWhere(`u.display_name LIKE :name ${LIKE_ESCAPE}`, { name: containsPattern(query.q) });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('u.id < :id', { id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const units = await this.units.describe(page);
    return {
      items: page.map((u, i) => toAccountView(u, units[i] ?? null)),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** Disabling an account signs it out everywhere at once. */
  async setDisabled(caller: Caller, id: string, disabled: boolean): Promise<AccountView> {
    const user = await this.dataSource.manager.findOneBy(User, { id });
    if (!user) throw AppError.notFound();
    assertCountyScope(caller, user.countyCode);
    if (user.id === caller.userId) throw AppError.forbidden('不能停用自己的账号');
    // a county's admins cannot lock each other out; the operator revokes an admin (revoke-county-admin)
    if (user.role === 'county_admin') throw AppError.forbidden('县教育局管理员账号由系统运维人员管理，不能在此停用');
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.update(User, { id }, { disabled });
      if (disabled) await this.sessions.revokeAll(manager, id);
      await this.audit.record(
        caller,
        { action: disabled ? 'account.disable' : 'account.enable', targetType: 'user', targetId: id },
        manager,
      );
    });
    const updated = await this.dataSource.manager.findOneByOrFail(User, { id });
    return toAccountView(updated, await this.units.describeOne(updated));
  }
}
