import { Writable } from 'node:stream';
import { routes } from '@baoxue/shared';
import { createLogger } from '../../server/src/common/logging/logger';
import { api, expectError, signInAs } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';

describe('platform: health, docs, errors, logs', () => {
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startTestServer({ logger: createLogger('debug', sink) });
  });
  afterAll(async () => server?.close());

  it('reports health with the database status', async () => {
    const health = await api(server).get<{ status: string; database: { status: string; kind: string } }>('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: { status: 'up' }, mode: 'test' });
  });

  it('publishes OpenAPI docs naming every route', async () => {
    const page = await fetch(`${server.apiUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('保学通 API');
    const document = (await (await fetch(`${server.apiUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
    expect(operations.sort()).toEqual(Object.keys(routes).sort());
    expect(document.paths['/schools/{id}']!.patch).toMatchObject({
      security: [{ bearer: [] }],
      description: expect.stringContaining('县教育局管理员'),
    });
  });

  it('answers broken requests in the error shape, never with a 500', async () => {
    expectError(await api(server).request('POST', '/auth/wechat-login', '{"code": "abc"'), 400, 'MALFORMED_REQUEST');
    expectError(await api(server).get('/no/such/route'), 404, 'ROUTE_NOT_FOUND');
    expectError(await api(server).post('/auth/wechat-login', { code: 'x'.repeat(2 * 1024 * 1024) }), 413, 'FILE_TOO_LARGE');
    expectError(await api(server).request('POST', '/auth/wechat-login', '[1,2]'), 400, 'VALIDATION_FAILED');
  });

  it('sets protective headers', async () => {
    const response = await fetch(`${server.apiUrl}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('logs each request by route pattern, without tokens, query strings or bodies', async () => {
    const admin = await signInAs(server, 'county-admin');
    const idNumber = '11010519491231002X';
    await admin.get(`/divisions/search?q=${idNumber}`);
    await admin.patch('/me', { displayName: '隐私测试名' });
    await admin.get('/schools/01234567-89ab-7def-8123-456789abcdef');
    const logs = logLines.join('');
    expect(logs).toContain('"route":"/api/divisions/search"');
    expect(logs).toContain('"route":"/api/schools/:id"');
    expect(logs).not.toContain(idNumber);
    expect(logs).not.toContain('隐私测试名');
    expect(logs).not.toContain(admin.token!);
    expect(logs).not.toContain('01234567-89ab-7def-8123-456789abcdef');
  });

  it('reports the database down with 503 when it is unreachable', async () => {
    await server.dataSource.destroy();
    const health = await api(server).get<{ status: string; database: { status: string } }>('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'down' } });
  });
});
