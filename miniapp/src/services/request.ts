import Taro from '@tarojs/taro';
import { buildPath, routes } from '@baoxue/shared';
import type { ApiErrorBody, ApiRowError, ErrorCode, RequestBody, RequestQuery, ResponseOf, RouteKey } from '@baoxue/shared';
import { PAGES } from '../routes';
import { clearSession, sessionStore } from '../stores/session';

/**
 * The one way the mini program talks to the server: base URL, bearer token, JSON, the server's
 * error shape turned into an ApiError with a Chinese message, retries for reads that met a flaky
 * network, and sign-out when the session is gone. Pages call the typed clients beside this file.
 */

/** Codes the server sends plus the two this client raises itself. */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  /** Dotted field path → Chinese message, for showing beside the field. */
  readonly fields: Record<string, string>;
  /** Problems in an uploaded file, by line. */
  readonly rows: ApiRowError[];
  /** After a conflict (409): the record as it is now, as the server sent it. */
  readonly current: unknown;

  constructor(
    status: number,
    code: ClientErrorCode,
    message: string,
    fields: Record<string, string> = {},
    rows: ApiRowError[] = [],
    current: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.rows = rows;
    this.current = current;
  }
}

type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type ParamsInput<K extends RouteKey> = [PathParamNames<(typeof routes)[K]['path']>] extends [never]
  ? { params?: never }
  : { params: Record<PathParamNames<(typeof routes)[K]['path']>, string> };
type BodyInput<K extends RouteKey> = [RequestBody<K>] extends [never] ? { body?: never } : { body: RequestBody<K> };
type QueryInput<K extends RouteKey> = [RequestQuery<K>] extends [never] ? { query?: never } : { query?: RequestQuery<K> };

export type CallInput<K extends RouteKey> = ParamsInput<K> & BodyInput<K> & QueryInput<K>;

export interface CallOptions {
  /** Sign out and go to sign-in on 401 (default). The entry page handles it itself. */
  redirectOnUnauthorized?: boolean;
}

const RETRY_DELAYS_MS = [500, 1500];
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const TIMEOUT_MS = 20_000;

/** Calls one API route, typed by the contract: `call('schoolsGet', { params: { id } })`. */
export async function call<K extends RouteKey>(
  key: K,
  ...[input, options = {}]: Partial<CallInput<K>> extends CallInput<K> ? [CallInput<K>?, CallOptions?] : [CallInput<K>, CallOptions?]
): Promise<ResponseOf<K>> {
  const method = routes[key].method;
  const url = API_BASE + buildPath(key, input?.params) + queryString(input?.query as Record<string, unknown> | undefined);
  // Reads are safe to repeat; writes are not unless the server deduplicates them.
  const attempts = method === 'GET' ? RETRY_DELAYS_MS.length + 1 : 1;

  for (let attempt = 1; ; attempt++) {
    const token = sessionStore.get().token;
    try {
      const response = await Taro.request({
        url,
        method,
        data: input?.body,
        header: headers(token, input?.body !== undefined),
        timeout: TIMEOUT_MS,
        dataType: 'json',
      });
      if (response.statusCode >= 200 && response.statusCode < 300) return response.data as ResponseOf<K>;
      const error = errorFromResponse(response.statusCode, response.data);
      if (attempt < attempts && RETRYABLE_STATUSES.has(response.statusCode)) {
        await delay(RETRY_DELAYS_MS[attempt - 1]!);
        continue;
      }
      throw handleUnauthorized(error, token, options);
    } catch (failure) {
      if (failure instanceof ApiError) throw failure;
      if (attempt < attempts) {
        await delay(RETRY_DELAYS_MS[attempt - 1]!);
        continue;
      }
      throw networkError(failure);
    }
  }
}

export interface UploadInput {
  /** A temporary file path from chooseMessageFile (weapp) or an object URL (H5). */
  filePath: string;
  fileName: string;
}

/** Sends one file as multipart/form-data to an upload route (its field from the route table); never retried. */
export async function upload<K extends RouteKey>(
  key: K,
  { filePath, fileName }: UploadInput,
  query?: RequestQuery<K>,
): Promise<ResponseOf<K>> {
  const field = (routes[key] as { fileField?: string }).fileField;
  if (!field) throw new Error(`${key} is not an upload route`);
  const token = sessionStore.get().token;
  let response: Taro.uploadFile.SuccessCallbackResult;
  try {
    response = await Taro.uploadFile({
      url: API_BASE + buildPath(key) + queryString(query as Record<string, unknown> | undefined),
      filePath,
      name: field,
      fileName,
      header: headers(token, false),
      timeout: 120_000,
    });
  } catch (failure) {
    throw networkError(failure);
  }
  const data = parseJson(response.data);
  if (response.statusCode >= 200 && response.statusCode < 300) return data as ResponseOf<K>;
  throw handleUnauthorized(errorFromResponse(response.statusCode, data), token, {});
}

/**
 * A link the server gave for a file (e.g. a signed photo link) as something <Image> can load: the
 * server answers with paths under its own `/api`, which WeChat would read as a file in the package.
 */
export function fileUrl(url: string): string {
  if (/^https?:\/\//.test(url)) return url;
  if (url.startsWith('/api/') && API_BASE.endsWith('/api')) return API_BASE + url.slice('/api'.length);
  return (/^https?:\/\/[^/]+/.exec(API_BASE)?.[0] ?? '') + url;
}

/**
 * The error for a response that was not a success, for callers that fetch files themselves
 * (services/download.ts): the same shape, messages and sign-out on 401 as `call`.
 */
export function responseError(status: number, data: unknown, sentToken: string | null): ApiError {
  return handleUnauthorized(errorFromResponse(status, parseJson(data)), sentToken, {});
}

/** The message to show a person for anything a call can throw. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '操作没有完成，请稍后再试';
}

export function headers(token: string | null, json: boolean): Record<string, string> {
  const result: Record<string, string> = { Accept: 'application/json' };
  if (json) result['Content-Type'] = 'application/json';
  if (token) result.Authorization = `Bearer ${token}`;
  return result;
}

export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const pairs = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function isErrorBody(data: unknown): data is ApiErrorBody {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as ApiErrorBody).code === 'string' &&
    typeof (data as ApiErrorBody).message === 'string'
  );
}

function errorFromResponse(status: number, data: unknown): ApiError {
  if (isErrorBody(data)) return new ApiError(status, data.code, data.message, data.fields ?? {}, data.rows ?? [], data.current ?? null);
  if (status === 401) return new ApiError(status, 'UNAUTHENTICATED', '请先登录');
  if (status >= 500) return new ApiError(status, 'BAD_RESPONSE', `服务器暂时无法处理请求（${status}），请稍后再试`);
  return new ApiError(status, 'BAD_RESPONSE', `请求没有成功（${status}），请稍后再试`);
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

export function networkError(failure: unknown): ApiError {
  const detail = typeof failure === 'object' && failure !== null ? String((failure as { errMsg?: string }).errMsg ?? '') : '';
  const message = /timeout/i.test(detail) ? '网络较慢，请求超时，请稍后重试' : '网络连接失败，请检查网络后重试';
  return new ApiError(0, 'NETWORK_ERROR', message);
}

let redirecting = false;

/** A 401 on a call that carried a token means the session is over: forget it and sign in again. */
function handleUnauthorized(error: ApiError, sentToken: string | null, options: CallOptions): ApiError {
  if (error.status !== 401 || !sentToken) return error;
  if (sessionStore.get().token === sentToken) clearSession();
  if (options.redirectOnUnauthorized === false || redirecting) return error;
  redirecting = true;
  void Taro.reLaunch({ url: PAGES.login }).finally(() => {
    redirecting = false;
  });
  return error;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
