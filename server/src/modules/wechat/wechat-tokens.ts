import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isDuplicateKey, isRetryableConflict } from '../../common/errors/database-errors';
import { newId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { WechatAccessToken } from './wechat-token.entity';

export interface StoredToken {
  value: string;
  /** ms since the epoch, by the server's clock */
  expiresAt: number;
}

/**
 * Where the access token is kept for every instance, and who may refresh it. `claim` is a lease: one
 * caller at a time wins it (until it saves, releases, or the lease runs out because it died).
 */
export abstract class WechatTokens {
  abstract read(): Promise<StoredToken | null>;
  /**
   * Claims the refresh until `until` when nobody holds it and the stored token needs one: none, expiring
   * before `renewBefore`, or the very token WeChat just refused (`rejected`). False: another is on it, or it is done.
   */
  abstract claim(rejected: string | null, now: Date, renewBefore: Date, until: Date): Promise<boolean>;
  /** Stores the token this holder fetched and ends its claim. */
  abstract save(token: StoredToken): Promise<void>;
  /** Ends this holder's claim without a token (the fetch failed). */
  abstract release(): Promise<void>;
}

/** The token in the database (`wechat_access_tokens`, one row per AppID): every instance reads the same. */
@Injectable()
export class DatabaseWechatTokens extends WechatTokens {
  /** This process, as the holder of a refresh claim. */
  private readonly holder = newId();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  private get appId(): string {
    return this.config.wechat.appId;
  }

  async read(): Promise<StoredToken | null> {
    const row = await this.dataSource.manager.findOneBy(WechatAccessToken, { appId: this.appId });
    return row?.accessToken && row.expiresAt ? { value: row.accessToken, expiresAt: row.expiresAt.getTime() } : null;
  }

  async claim(rejected: string | null, now: Date, renewBefore: Date, until: Date): Promise<boolean> {
    try {
      // the row exists once, whoever creates it first; the conditional update below is the arbiter
      await this.dataSource.manager
        .createQueryBuilder()
        .insert()
        .into(WechatAccessToken)
        .values({ appId: this.appId, accessToken: null, expiresAt: null, refreshBy: null, refreshUntil: null })
        .orIgnore()
        .execute();
      const claimed = await this.dataSource.manager
        .createQueryBuilder()
        .update(WechatAccessToken)
        .set({ refreshBy: this.holder, refreshUntil: until })
        .where('app_id = :appId', { appId: this.appId })
        .andWhere('(refresh_until IS NULL OR refresh_until <= :now)', { now })
        .andWhere('(access_token IS NULL OR expires_at IS NULL OR expires_at <= :renewBefore OR access_token = :rejected)', {
          renewBefore,
          rejected: rejected ?? '',
        })
        .execute();
      return claimed.affected === 1;
    } catch (error) {
      // two Galera nodes claiming at once: the loser fails at commit; another instance holds the claim
      if (isRetryableConflict(error) || isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async save(token: StoredToken): Promise<void> {
    // a holder whose lease ran out (and was taken over) does not overwrite the newer token
    await this.dataSource.manager.update(
      WechatAccessToken,
      { appId: this.appId, refreshBy: this.holder },
      { accessToken: token.value, expiresAt: new Date(token.expiresAt), refreshBy: null, refreshUntil: null },
    );
  }

  async release(): Promise<void> {
    await this.dataSource.manager.update(
      WechatAccessToken,
      { appId: this.appId, refreshBy: this.holder },
      { refreshBy: null, refreshUntil: null },
    );
  }
}
