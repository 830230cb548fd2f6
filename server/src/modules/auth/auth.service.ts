import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { POSITION_LABELS, ROLE_LABELS, type AuthOptions, type SessionResponse } from '@baoxue/shared';
import { Not, IsNull, type DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { RateLimiter } from '../../common/http/rate-limiter';
import { AccountsService } from '../accounts/accounts.service';
import { UnitsService } from '../accounts/units.service';
import { User } from '../accounts/user.entity';
import { toMe } from '../accounts/account.mapper';
import { WechatClient } from '../wechat/wechat.client';
import { SessionsService } from './sessions.service';

const MINUTE = 60_000;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
    private readonly units: UnitsService,
    private readonly limiter: RateLimiter,
  ) {}

  async options(): Promise<AuthOptions> {
    const base = { devLogin: this.config.auth.devLogin, privacyPolicyVersion: this.config.auth.privacyPolicyVersion };
    if (!this.config.auth.devLogin) return { ...base, demoAccounts: [] };
    const users = await this.dataSource.manager.find(User, { where: { demoAccount: Not(IsNull()) }, order: { id: 'ASC' } });
    const units = await this.units.describe(users);
    return {
      ...base,
      demoAccounts: users.map((u, i) => ({
        account: u.demoAccount!,
        displayName: u.displayName,
        role: u.role,
        description: [u.position ? POSITION_LABELS[u.position] : ROLE_LABELS[u.role], units[i]?.kind === 'division' ? units[i].fullName : units[i]?.name]
          .filter(Boolean)
          .join(' · '),
      })),
    };
  }

  /** wx.login code → openid through WeChat → our own session. */
  async wechatLogin(code: string, clientAddress: string): Promise<SessionResponse> {
    this.limiter.hit(`login:${clientAddress}`, this.config.auth.loginRatePerMinute, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    const session = await this.wechat.code2Session(code);
    const user = await this.accounts.findOrCreateByOpenid(session.openid);
    return this.startSession(user, session.sessionKey);
  }

  /** Demo and local modes only: the controller is not even registered in production. */
  async devLogin(account: string, clientAddress: string): Promise<SessionResponse> {
    if (!this.config.auth.devLogin) throw new AppError('ROUTE_NOT_FOUND');
    this.limiter.hit(`login:${clientAddress}`, this.config.auth.loginRatePerMinute, MINUTE, '登录尝试过于频繁，请一分钟后再试');
    const user = await this.dataSource.manager.findOneBy(User, { demoAccount: account });
    if (!user) throw new AppError('NOT_FOUND', '演示账号不存在', { account: '演示账号不存在' });
    return this.startSession(user, null);
  }

  async logout(caller: Caller): Promise<{ ok: true }> {
    await this.sessions.revoke(caller.sessionId);
    return { ok: true };
  }

  private async startSession(user: User, wechatSessionKey: string | null): Promise<SessionResponse> {
    if (user.disabled) throw new AppError('ACCOUNT_DISABLED');
    const { token, expiresAt } = await this.sessions.issue(user.id, wechatSessionKey);
    return { token, expiresAt: expiresAt.toISOString(), user: toMe(user, await this.units.describeOne(user)) };
  }
}
