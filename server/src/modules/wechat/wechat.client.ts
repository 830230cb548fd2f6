import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logger';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { WechatTokens, type StoredToken } from './wechat-tokens';

/** The fields WeChat's API answers with when something went wrong. */
interface WechatErrorFields {
  errcode?: number;
  errmsg?: string;
}

export interface WechatSession {
  openid: string;
  unionid: string | null;
  sessionKey: string;
}

export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat API error ${errcode}: ${errmsg}`);
  }
}

/**
 * Sent with every attempt at one subscribe message. WeChat ignores it; a gateway or the local fake
 * uses it to recognise a retry of a message whose answer was lost (a timeout after delivery).
 */
export const DELIVERY_KEY_HEADER = 'x-baoxue-delivery-key';

/** Tokens are renewed this long before WeChat says they expire. */
const TOKEN_MARGIN_MS = 60_000;
/** How often an instance waiting for another's refresh looks for the new token. */
const TOKEN_POLL_MS = 100;

/**
 * The server's only door to WeChat. Its base URL is configuration: the real API in production,
 * the local fake (fake-wechat.server.ts) everywhere else. AppSecret and session_key stay here.
 */
@Injectable()
export class WechatClient {
  /** This process's copy of the shared token (`WechatTokens`), used until it nears expiry or WeChat refuses it. */
  private token: StoredToken | null = null;
  /** Lookups of the shared token in flight, by the token they replace: callers in this process share them. */
  private readonly tokenRequests = new Map<string, Promise<string>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly tokens: WechatTokens,
  ) {}

  /** `auth.code2Session`: exchanges a `wx.login` code (valid 5 minutes, once) for the user's openid. */
  async code2Session(code: string): Promise<WechatSession> {
    const { appId, appSecret } = this.config.wechat;
    const query = new URLSearchParams({ appid: appId, secret: appSecret, js_code: code, grant_type: 'authorization_code' });
    try {
      const body = await this.call<{ openid: string; session_key: string; unionid?: string }>('GET', `/sns/jscode2session?${query}`);
      return { openid: body.openid, unionid: body.unionid ?? null, sessionKey: body.session_key };
    } catch (error) {
      if (error instanceof WechatApiError) {
        // 40029 invalid code, 40163 code already used: the user signs in again with a fresh code.
        if (error.errcode === 40029 || error.errcode === 40163) throw new AppError('WECHAT_CODE_INVALID');
        if (error.errcode === 45011) throw new AppError('RATE_LIMITED', '微信登录过于频繁，请一分钟后再试');
        if (error.errcode === 40226) throw new AppError('FORBIDDEN', '微信提示该账号存在风险，暂时无法登录');
      }
      throw this.unavailable(error);
    }
  }

  /**
   * The access token from `stable_token`, one for every instance of the server. `rejected`: a token
   * WeChat just refused (expired or replaced), to be refreshed unless another instance already has.
   */
  async accessToken(rejected?: string): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.token && this.token.value !== rejected && this.token.expiresAt - TOKEN_MARGIN_MS > now) return this.token.value;
    const key = rejected ?? '';
    let request = this.tokenRequests.get(key);
    if (!request) {
      request = this.sharedToken(rejected ?? null).finally(() => this.tokenRequests.delete(key));
      this.tokenRequests.set(key, request);
    }
    return request;
  }

  /**
   * Reads the shared token; when it needs a refresh, the instance that claims the refresh calls WeChat
   * and stores the new token, and the others poll until it is there. A holder that dies mid-refresh
   * loses its claim when the lease runs out, and the next caller takes over.
   */
  private async sharedToken(rejected: string | null): Promise<string> {
    const leaseMs = 2 * this.config.wechat.timeoutMs + 1000;
    const giveUpAt = Date.now() + leaseMs + 2000;
    for (;;) {
      const now = this.clock.now();
      const stored = await this.tokens.read();
      if (stored && stored.value !== rejected && stored.expiresAt - TOKEN_MARGIN_MS > now.getTime()) {
        this.token = stored;
        return stored.value;
      }
      const renewBefore = new Date(now.getTime() + TOKEN_MARGIN_MS);
      if (await this.tokens.claim(rejected, now, renewBefore, new Date(now.getTime() + leaseMs))) {
        let fresh: StoredToken;
        try {
          // stable_token answers the current token until it expires: a refused one needs a forced refresh
          fresh = await this.fetchToken(rejected !== null && stored?.value === rejected);
        } catch (error) {
          await this.tokens.release().catch(() => undefined);
          throw error;
        }
        await this.tokens.save(fresh);
        this.token = fresh;
        return fresh.value;
      }
      if (Date.now() > giveUpAt) throw this.unavailable(new Error('waited too long for another instance to refresh the access token'));
      await new Promise((resolve) => setTimeout(resolve, TOKEN_POLL_MS));
    }
  }

  /**
   * `subscribeMessage.send`. Field values must already fit WeChat's limits (the notification
   * builders check them); an expired token is refreshed once.
   */
  async sendSubscribeMessage(message: {
    touser: string;
    templateId: string;
    page?: string;
    data: Record<string, { value: string }>;
    /** The same for every attempt at one message, so a retry after a lost answer is recognised. */
    deliveryKey?: string;
  }): Promise<void> {
    const body = { touser: message.touser, template_id: message.templateId, page: message.page, data: message.data, lang: 'zh_CN' };
    const headers: Record<string, string> = message.deliveryKey ? { [DELIVERY_KEY_HEADER]: message.deliveryKey } : {};
    let rejected: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(rejected);
      try {
        await this.call('POST', `/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, body, headers);
        return;
      } catch (error) {
        const expired = error instanceof WechatApiError && (error.errcode === 40001 || error.errcode === 42001);
        if (!expired || attempt > 0) throw error;
        rejected = token;
      }
    }
  }

  private async fetchToken(forceRefresh: boolean): Promise<StoredToken> {
    const { appId, appSecret } = this.config.wechat;
    const body = await this.call<{ access_token: string; expires_in: number }>('POST', '/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: appId,
      secret: appSecret,
      force_refresh: forceRefresh,
    });
    // stable_token hands back the current token until it expires; one about to expire is replaced at once.
    if (!forceRefresh && body.expires_in * 1000 <= TOKEN_MARGIN_MS) return this.fetchToken(true);
    return { value: body.access_token, expiresAt: this.clock.now().getTime() + body.expires_in * 1000 };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const base = this.config.wechat.apiBase;
    if (!base) throw new AppError('WECHAT_UNAVAILABLE');
    // Concatenated, not resolved, so a base behind a path-prefixed proxy keeps its prefix.
    const response = await fetch(`${base.replace(/\/+$/, '')}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.config.wechat.timeoutMs),
    });
    if (!response.ok) throw new WechatApiError(-1, `HTTP ${response.status}`);
    const json = (await response.json()) as T & WechatErrorFields;
    if (json.errcode) throw new WechatApiError(json.errcode, json.errmsg ?? '');
    return json;
  }

  private unavailable(error: unknown): AppError {
    this.logger.warn(
      { err: error instanceof WechatApiError ? { errcode: error.errcode, errmsg: error.errmsg } : String(error) },
      'wechat call failed',
    );
    return new AppError('WECHAT_UNAVAILABLE');
  }
}
