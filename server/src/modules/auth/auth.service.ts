import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { POSITION_LABELS, ROLE_LABELS, type AuthOptions, type SessionResponse } from '@baoxue/shared';
import { IsNull, MoreThan, type DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { Clock } from '../../common/clock';
import { RateLimiter } from '../../common/http/rate-limiter';
import { newId, newReadableCode } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { AccountsService } from '../accounts/accounts.service';
import { UnitsService } from '../accounts/units.service';
import { UserRecords, type UserRow } from '../accounts/user-records';
import { toMe } from '../accounts/account.mapper';
import { WechatClient } from '../wechat/wechat.client';
import { LoginCode } from './login-code.entity';
import { hashToken, SessionsService } from './sessions.service';
import { transactionWithRetry } from '../../database/transaction';

const MINUTE = 60_000;
/** 40 bits, valid five minutes, once: not guessable within the sign-in rate limit. */
const DESKTOP_CODE_LENGTH = 8;
const DESKTOP_CODE_TTL_MS = 5 * MINUTE;

/** How a session was opened: WeChat on the phone, a demo account, or a code from the phone on a computer. */
type SignInMethod = 'wechat' | 'demo' | 'desktop';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
    private readonly units: UnitsService,
    private readonly users: UserRecords,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async options(): Promise<AuthOptions> {
    const base = { devLogin: this.config.auth.devLogin, privacyPolicyVersion: this.config.auth.privacyPolicyVersion };
    if (!this.config.auth.devLogin) return { ...base, demoAccounts: [] };
    const users = await this.users.demoAccounts(this.dataSource.manager);
    const units = await this.units.describe(users);
    return {
      ...base,
      demoAccounts: users.map((u, i) => ({
        account: u.demoAccount!,
        displayName: u.displayName,
        role: u.role,
        description: [
          u.position ? POSITION_LABELS[u.position] : ROLE_LABELS[u.role],
          units[i]?.kind === 'division' ? units[i].fullName : units[i]?.name,
        ]
          .filter(Boolean)
          .join(' · '),
      })),
    };
  }

  /** wx.login code → openid through WeChat → our own session. */
  async wechatLogin(code: string, clientAddress: string): Promise<SessionResponse> {
    await this.limiter.hit(`login:${clientAddress}`, this.config.auth.loginRatePerMinute, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    const session = await this.wechat.code2Session(code);
    const user = await this.accounts.findOrCreateByOpenid(session.openid);
    return this.startSession(user, session.sessionKey, 'wechat');
  }

  /** Demo and local modes only: the controller is not even registered in production. */
  async devLogin(account: string, clientAddress: string): Promise<SessionResponse> {
    if (!this.config.auth.devLogin) throw new AppError('ROUTE_NOT_FOUND');
    await this.limiter.hit(`login:${clientAddress}`, this.config.auth.loginRatePerMinute, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    const user = await this.users.findByDemoAccount(this.dataSource.manager, account);
    if (!user) throw new AppError('NOT_FOUND', '演示账号不存在', { account: '演示账号不存在' });
    return this.startSession(user, null, 'demo');
  }

  /** In the mini program: a code to type into the computer's sign-in page. */
  async desktopCode(caller: Caller): Promise<{ code: string; expiresAt: string }> {
    const code = newReadableCode(DESKTOP_CODE_LENGTH);
    const expiresAt = new Date(this.clock.now().getTime() + DESKTOP_CODE_TTL_MS);
    await this.dataSource.manager.insert(LoginCode, {
      id: newId(),
      codeHash: hashToken(code),
      userId: caller.userId,
      expiresAt,
      usedAt: null,
    });
    return { code, expiresAt: expiresAt.toISOString() };
  }

  /** On the computer: the code from the mini program opens a session for the same person, once. */
  async desktopLogin(code: string, clientAddress: string): Promise<SessionResponse> {
    await this.limiter.hit(`login:${clientAddress}`, this.config.auth.loginRatePerMinute, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    const now = this.clock.now();
    const claimed = await transactionWithRetry(this.dataSource, async (manager) => {
      const row = await manager.findOneBy(LoginCode, { codeHash: hashToken(code), usedAt: IsNull(), expiresAt: MoreThan(now) });
      if (!row) return null;
      const result = await manager.update(LoginCode, { id: row.id, usedAt: IsNull() }, { usedAt: now });
      return result.affected === 1 ? row : null;
    });
    if (!claimed) throw new AppError('VALIDATION_FAILED', '登录码无效或已过期，请在小程序中重新获取', { code: '登录码无效或已过期' });
    const user = await this.users.getById(this.dataSource.manager, claimed.userId);
    return this.startSession(user, null, 'desktop');
  }

  async logout(caller: Caller): Promise<{ ok: true }> {
    await this.sessions.revoke(caller.sessionId);
    return { ok: true };
  }

  private async startSession(user: UserRow, wechatSessionKey: string | null, method: SignInMethod): Promise<SessionResponse> {
    if (user.disabled) throw new AppError('ACCOUNT_DISABLED');
    const { token, expiresAt } = await this.sessions.issue(user.id, wechatSessionKey);
    // Sign-ins of officials and the education bureaus are audited with the unit they sign in for (BRIEF §7);
    // a computer's sign-in with a code from the phone is audited for everyone.
    if (method === 'desktop' || user.role === 'official' || user.role === 'county_admin' || user.role === 'region_admin') {
      await this.audit.record(await this.sessions.authenticate(token), {
        action: method === 'desktop' ? 'auth.desktop-login' : 'auth.sign_in',
        targetType: 'user',
        targetId: user.id,
        details: { method },
      });
    }
    return { token, expiresAt: expiresAt.toISOString(), user: toMe(user, await this.units.describeOne(user)) };
  }
}
