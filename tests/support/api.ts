import type { ApiErrorBody, SessionResponse } from '@baoxue/shared';
import type { TestServer } from './server';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

type Body = Record<string, unknown> | unknown[] | FormData | string | undefined;

/** What a client needs of a test server: its API's URL, and its last errors when it keeps them. */
type ServerRef = Pick<TestServer, 'apiUrl'> & Partial<Pick<TestServer, 'recentErrors'>>;

/** A small HTTP client for the API under test: JSON in and out, bearer token optional. */
export class ApiClient {
  constructor(
    private readonly server: ServerRef,
    readonly token: string | null = null,
  ) {}

  as(token: string | null): ApiClient {
    return new ApiClient(this.server, token);
  }

  async request<T = unknown>(method: string, path: string, body?: Body, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.token}`;
    if (body instanceof FormData) init.body = body;
    else if (typeof body === 'string') {
      init.body = body;
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.server.apiUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    // a 5xx is never an answer the product means: show why, whatever the test then expects
    if (response.status >= 500 && response.status !== 503) reportServerFailure(method, path, response.status, this.server.recentErrors?.());
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: Body) {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T = unknown>(path: string, body?: Body) {
    return this.request<T>('PATCH', path, body ?? {});
  }
}

/** Prints the server's error log beside a 5xx: in CI it is the only record of the cause. */
function reportServerFailure(method: string, path: string, status: number, errors: string[] | undefined): void {
  const cause = errors?.length ? errors.join('\n') : '(no error logged by this test server)';
  console.error(`${method} ${path} answered ${status}; the server's last errors:\n${cause}`);
}

export function api(server: ServerRef, token: string | null = null): ApiClient {
  return new ApiClient(server, token);
}

/** Signs in as a demo account and returns a client carrying its token. */
export async function signInAs(server: Pick<TestServer, 'apiUrl'>, account: string): Promise<ApiClient> {
  const response = await api(server).post<SessionResponse>('/auth/dev-login', { account });
  if (response.status !== 200) throw new Error(`dev-login ${account} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return api(server, response.body.token);
}

/** Signs in through the (fake) WeChat flow as the phone user `openid`. */
export async function signInWithWechat(server: TestServer, openid: string): Promise<{ client: ApiClient; session: SessionResponse }> {
  const { code } = server.fakeWechat.mintCode(openid);
  const response = await api(server).post<SessionResponse>('/auth/wechat-login', { code });
  if (response.status !== 200) throw new Error(`wechat-login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { client: api(server, response.body.token), session: response.body };
}

export function expectError(response: ApiResponse, status: number, code: string): ApiErrorBody {
  expect({ status: response.status, code: (response.body as ApiErrorBody)?.code }).toEqual({ status, code });
  const body = response.body as ApiErrorBody;
  expect(typeof body.message).toBe('string');
  expect(body.message).toMatch(/[\u4e00-\u9fa5]/);
  expect(body.fields).toEqual(expect.any(Object));
  return body;
}
