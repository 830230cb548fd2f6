import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the WeChat server API (api.weixin.qq.com), which is unreachable from our
 * machines. It implements the endpoints the server uses with WeChat's documented behaviour and
 * error codes, plus a control API under `/__fake__/` for development and tests:
 *
 *   POST /__fake__/codes {openid?}      mint a wx.login code (valid 5 minutes, once)
 *   POST /__fake__/faults {path, errcode, count?, delayMs?}   fail the next calls to an endpoint
 *   GET  /__fake__/messages             subscribe messages received (each delivery key once)
 *   POST /__fake__/chaos {failureRate, timeoutRate, timeoutMs, seed}   fail or delay a share of sends
 *   POST /__fake__/reset
 */
export interface FakeWechatOptions {
  appId: string;
  appSecret: string;
  port?: number;
  host?: string;
  /** jscode2session calls allowed per openid per minute before 45011. */
  loginsPerMinute?: number;
  now?: () => number;
}

export interface FakeSubscribeMessage {
  touser: string;
  templateId: string;
  page: string | null;
  data: Record<string, { value: string }>;
  receivedAt: number;
  deliveryKey: string | null;
}

interface Fault {
  path: string;
  errcode: number;
  remaining: number;
  delayMs: number;
}

const CODE_TTL_MS = 5 * 60_000;
/** The header the server's WeChat client sends with each attempt at one subscribe message. */
const DELIVERY_KEY = 'x-baoxue-delivery-key';
const TOKEN_TTL_S = 7200;
/** Documented value limits of subscribe message fields, by key prefix. */
const FIELD_LIMITS: Record<string, number> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  time: 64,
  date: 64,
  amount: 32,
  phone_number: 17,
  car_number: 8,
  name: 10,
  phrase: 5,
};

export class FakeWechatServer {
  private readonly server: Server;
  private readonly codes = new Map<string, { openid: string; issuedAt: number; used: boolean }>();
  private readonly logins = new Map<string, number[]>();
  private readonly tokens = new Map<string, number>();
  private currentToken: string | null = null;
  private faults: Fault[] = [];
  readonly messages: FakeSubscribeMessage[] = [];
  /** Every valid stable_token call, in order: how many times the servers fetched the access token. */
  readonly tokenRequests: Array<{ forceRefresh: boolean; at: number }> = [];
  /** Sends that repeated a delivery key already delivered: recognised, not delivered again. */
  duplicateDeliveries = 0;
  /** Chaos for reliability tests: a share of sends fail (-1) or time out after being delivered. */
  private chaos = { failureRate: 0, timeoutRate: 0, timeoutMs: 0, seed: 1 };
  /** Openids that have not granted a subscription: sends to them fail with 43101. */
  readonly refusingUsers = new Set<string>();

  constructor(private readonly options: FakeWechatOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.reply(res, 500, { errcode: -1, errmsg: String(error) }));
    });
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** What `wx.login` would return on a phone signed in as `openid`. */
  mintCode(openid = `o${randomBytes(14).toString('base64url')}`): { code: string; openid: string } {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { openid, issuedAt: this.now(), used: false });
    return { code, openid };
  }

  injectFault(fault: { path: string; errcode: number; count?: number; delayMs?: number }): void {
    this.faults.push({ path: fault.path, errcode: fault.errcode, remaining: fault.count ?? 1, delayMs: fault.delayMs ?? 0 });
  }

  setChaos(chaos: { failureRate: number; timeoutRate: number; timeoutMs: number; seed?: number }): void {
    this.chaos = { ...chaos, seed: chaos.seed ?? 1 };
  }

  reset(): void {
    this.codes.clear();
    this.logins.clear();
    this.faults = [];
    this.messages.length = 0;
    this.tokenRequests.length = 0;
    this.refusingUsers.clear();
    this.duplicateDeliveries = 0;
    this.chaos = { failureRate: 0, timeoutRate: 0, timeoutMs: 0, seed: 1 };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = req.method === 'POST' ? await readJson(req) : {};
    if (url.pathname.startsWith('/__fake__/')) return this.control(url.pathname, body, res);

    const fault = this.takeFault(url.pathname);
    if (fault) {
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      return this.reply(res, 200, { errcode: fault.errcode, errmsg: `injected fault ${fault.errcode}` });
    }
    if (url.pathname === '/sns/jscode2session' && req.method === 'GET') return this.jscode2session(url.searchParams, res);
    if (url.pathname === '/cgi-bin/stable_token' && req.method === 'POST') return this.stableToken(body, res);
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      const roll = this.nextChaos();
      if (roll < this.chaos.failureRate) return this.reply(res, 200, { errcode: -1, errmsg: 'system error' });
      const key = req.headers[DELIVERY_KEY] as string | undefined;
      this.subscribeSend(
        url.searchParams.get('access_token'),
        body,
        res,
        key ?? null,
        roll < this.chaos.failureRate + this.chaos.timeoutRate ? this.chaos.timeoutMs : 0,
      );
      return;
    }
    return this.reply(res, 404, { errcode: 404, errmsg: 'no such api' });
  }

  private jscode2session(params: URLSearchParams, res: ServerResponse): void {
    if (params.get('appid') !== this.options.appId) return this.reply(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
    if (params.get('secret') !== this.options.appSecret) return this.reply(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
    if (params.get('grant_type') !== 'authorization_code') return this.reply(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    const entry = this.codes.get(params.get('js_code') ?? '');
    if (!entry || this.now() - entry.issuedAt > CODE_TTL_MS) return this.reply(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    if (entry.used) return this.reply(res, 200, { errcode: 40163, errmsg: 'code been used' });
    const recent = (this.logins.get(entry.openid) ?? []).filter((t) => this.now() - t < 60_000);
    if (recent.length >= (this.options.loginsPerMinute ?? 100)) {
      return this.reply(res, 200, { errcode: 45011, errmsg: 'api minute-quota reach limit  mustslower  retry next minute' });
    }
    entry.used = true;
    this.logins.set(entry.openid, [...recent, this.now()]);
    this.reply(res, 200, { openid: entry.openid, session_key: randomBytes(16).toString('base64') });
  }

  private stableToken(body: Record<string, unknown>, res: ServerResponse): void {
    if (body.grant_type !== 'client_credential') return this.reply(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    if (body.appid !== this.options.appId) return this.reply(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
    if (body.secret !== this.options.appSecret) return this.reply(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
    // one reading of the clock: a token issued now has its whole life left, not a millisecond less
    const now = this.now();
    this.tokenRequests.push({ forceRefresh: body.force_refresh === true, at: now });
    // Like the real stable_token, the same token is returned until it expires or a refresh is forced.
    const expiry = this.currentToken ? this.tokens.get(this.currentToken) : undefined;
    if (!this.currentToken || !expiry || expiry <= now || body.force_refresh === true) {
      this.currentToken = randomBytes(24).toString('base64url');
      this.tokens.set(this.currentToken, now + TOKEN_TTL_S * 1000);
    }
    const remaining = Math.floor((this.tokens.get(this.currentToken)! - now) / 1000);
    this.reply(res, 200, { access_token: this.currentToken, expires_in: remaining });
  }

  private nextChaos(): number {
    // a small LCG: the same failures for the same seed
    this.chaos.seed = (this.chaos.seed * 1103515245 + 12345) % 2147483648;
    return this.chaos.seed / 2147483648;
  }

  private subscribeSend(
    token: string | null,
    body: Record<string, unknown>,
    res: ServerResponse,
    deliveryKey: string | null = null,
    answerAfterMs = 0,
  ): void {
    const expiry = token ? this.tokens.get(token) : undefined;
    if (!expiry) return this.reply(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    if (expiry <= this.now()) return this.reply(res, 200, { errcode: 42001, errmsg: 'access_token expired' });
    const touser = typeof body.touser === 'string' ? body.touser : '';
    const templateId = typeof body.template_id === 'string' ? body.template_id : '';
    if (!touser) return this.reply(res, 200, { errcode: 40003, errmsg: 'invalid openid' });
    if (!templateId) return this.reply(res, 200, { errcode: 40037, errmsg: 'invalid template id' });
    const data = (body.data ?? {}) as Record<string, { value?: unknown }>;
    for (const [key, field] of Object.entries(data)) {
      const kind = key.replace(/\d+$/, '');
      const value = typeof field?.value === 'string' ? field.value : '';
      const limit = FIELD_LIMITS[kind];
      if (!value || (limit !== undefined && [...value].length > limit)) {
        return this.reply(res, 200, { errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` });
      }
    }
    if (this.refusingUsers.has(touser)) return this.reply(res, 200, { errcode: 43101, errmsg: 'user refuse to accept the msg' });
    if (deliveryKey && this.messages.some((m) => m.deliveryKey === deliveryKey)) this.duplicateDeliveries++;
    else {
      this.messages.push({
        touser,
        templateId,
        page: typeof body.page === 'string' ? body.page : null,
        data: data as Record<string, { value: string }>,
        receivedAt: this.now(),
        deliveryKey,
      });
    }
    // a timeout after delivery: the sender never learns it worked
    if (answerAfterMs > 0) setTimeout(() => this.reply(res, 200, { errcode: 0, errmsg: 'ok' }), answerAfterMs).unref();
    else this.reply(res, 200, { errcode: 0, errmsg: 'ok' });
  }

  private control(path: string, body: Record<string, unknown>, res: ServerResponse): void {
    switch (path) {
      case '/__fake__/codes':
        return this.reply(res, 200, this.mintCode(typeof body.openid === 'string' && body.openid ? body.openid : undefined));
      case '/__fake__/faults':
        this.injectFault({
          path: String(body.path ?? ''),
          errcode: Number(body.errcode ?? -1),
          count: Number(body.count ?? 1),
          delayMs: Number(body.delayMs ?? 0),
        });
        return this.reply(res, 200, { ok: true });
      case '/__fake__/messages':
        return this.reply(res, 200, { messages: this.messages, duplicateDeliveries: this.duplicateDeliveries });
      case '/__fake__/chaos':
        this.setChaos({
          failureRate: Number(body.failureRate ?? 0),
          timeoutRate: Number(body.timeoutRate ?? 0),
          timeoutMs: Number(body.timeoutMs ?? 0),
          seed: Number(body.seed ?? 1),
        });
        return this.reply(res, 200, { ok: true });
      case '/__fake__/reset':
        this.reset();
        return this.reply(res, 200, { ok: true });
      default:
        return this.reply(res, 404, { errcode: 404, errmsg: 'no such control endpoint' });
    }
  }

  private takeFault(path: string): Fault | null {
    const fault = this.faults.find((f) => f.path === path && f.remaining > 0);
    if (!fault) return null;
    fault.remaining--;
    return fault;
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function startFakeWechat(options: FakeWechatOptions): Promise<FakeWechatServer> {
  return new FakeWechatServer(options).listen();
}
