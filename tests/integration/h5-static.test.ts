import { createHash, randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlib, gunzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 19 item 6: the H5 app is served compressed (brotli or gzip, as the browser accepts; the build's
 * own brotli files where it wrote them), its hashed scripts and styles cached for a year, its page
 * checked on every visit; the API is left uncompressed.
 */

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET as a browser sends it, the body as it came over the wire (not decoded). */
function rawGet(url: string, acceptEncoding: string | null, cookie?: string): Promise<RawAnswer> {
  const headers = { ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}), ...(cookie ? { cookie } : {}) };
  return new Promise((resolve, reject) => {
    const request = get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

describe('the H5 app over the wire', () => {
  let server: TestServer;
  let dir: string;
  // a script like the build's: repetitive text, as minified JavaScript is
  const script = Array.from({ length: 4000 }, (_, i) => `function f${i}(a){return a+${i}}`).join(';');
  const style = Array.from({ length: 1500 }, (_, i) => `.c${i}{margin:${i}px}`).join('');
  const page = `<!doctype html><html><head><title>保学通</title><link rel="stylesheet" href="css/app.0a1b2c3d.css"></head><body>${'<div></div>'.repeat(200)}<script src="js/app.9f8e7d6c.js"></script></body></html>`;
  const unhashed = randomBytes(4000).toString('hex');
  // the build writes `<file>.br` beside each script (miniapp/config/h5-loading.ts); a small window here
  // makes these bytes differ from anything the server would compress itself
  const framework = Array.from({ length: 3000 }, (_, i) => `var v${i}=${i}`).join(';');
  const frameworkBrotli = brotliCompressSync(framework, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 10 } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bx-h5-'));
    mkdirSync(join(dir, 'js'));
    mkdirSync(join(dir, 'css'));
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, 'js', 'app.9f8e7d6c.js'), script);
    writeFileSync(join(dir, 'css', 'app.0a1b2c3d.css'), style);
    writeFileSync(join(dir, 'js', 'config.js'), `window.config="${unhashed}"`);
    writeFileSync(join(dir, 'js', 'framework.1a2b3c4d.js'), framework);
    writeFileSync(join(dir, 'js', 'framework.1a2b3c4d.js.br'), frameworkBrotli);
    server = await startTestServer({ seedDemo: false, h5Dir: dir });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a hashed script brotli-compressed to a browser that accepts it, cached for a year', async () => {
    const answer = await rawGet(`${server.baseUrl}/js/app.9f8e7d6c.js`, 'gzip, deflate, br');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers.vary).toMatch(/accept-encoding/i);
    expect(answer.headers['content-type']).toMatch(/javascript/);
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(answer.body).toString()).toBe(script);
    expect(answer.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
  });

  it('sends gzip to a browser that accepts only gzip, and the file as it is to one that accepts nothing', async () => {
    const gzip = await rawGet(`${server.baseUrl}/css/app.0a1b2c3d.css`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(gzip.body).toString()).toBe(style);

    const plain = await rawGet(`${server.baseUrl}/js/app.9f8e7d6c.js`, null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('sends the build’s own brotli file as it is, with the script’s type and a year’s caching', async () => {
    const answer = await rawGet(`${server.baseUrl}/js/framework.1a2b3c4d.js`, 'gzip, deflate, br');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['content-type']).toMatch(/^application\/javascript/);
    expect(answer.headers.vary).toMatch(/accept-encoding/i);
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.body.equals(frameworkBrotli)).toBe(true);
    expect(brotliDecompressSync(answer.body).toString()).toBe(framework);

    // a browser without brotli gets the script itself, gzip-compressed on the fly
    const gzip = await rawGet(`${server.baseUrl}/js/framework.1a2b3c4d.js`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(framework);
    const plain = await rawGet(`${server.baseUrl}/js/framework.1a2b3c4d.js`, null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(framework);
  });

  it('has the browser check the page on every visit, and keeps files without a hash for an hour', async () => {
    const index = await rawGet(`${server.baseUrl}/`, 'br');
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(index.body).toString()).toBe(page);

    const config = await rawGet(`${server.baseUrl}/js/config.js`, 'br');
    expect(config.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('leaves the API uncompressed', async () => {
    const health = await rawGet(`${server.apiUrl}/health`, 'gzip, deflate, br');
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok' });
  });
});

/**
 * Issue 19 item 6, a phone's first visit: the build also writes `index.inline.html` (the page with
 * its entry inside) and its brotli file; a browser that does not send the `bx_h5` cookie with this
 * build's id gets it, one that does gets index.html.
 */
describe('the H5 page on a first visit', () => {
  let server: TestServer;
  let dir: string;
  const page =
    '<!doctype html><html><head><link href="/css/app.0a1b2c3d.css" rel="stylesheet"></head><body><script defer src="/js/app.9f8e7d6c.js"></script></body></html>';
  // as the build writes it: the entry inside, and the script that caches it and sets the cookie
  const inline = `<!doctype html><html><head><style>${'.c{margin:0}'.repeat(300)}</style></head><body>${'<script>var a=1</script>'.repeat(300)}</body></html>`;
  const inlineBrotli = brotliCompressSync(inline, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 10 } });
  // the build's id: the start of index.html's SHA-256 (miniapp/config/h5-loading.ts)
  const id = createHash('sha256').update(page).digest('hex').slice(0, 16);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bx-h5-'));
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, 'index.inline.html'), inline);
    writeFileSync(join(dir, 'index.inline.html.br'), inlineBrotli);
    server = await startTestServer({ seedDemo: false, h5Dir: dir });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a browser without the cookie the page with the entry inside, the build’s brotli file as it is', async () => {
    for (const path of ['/', '/index.html']) {
      const answer = await rawGet(`${server.baseUrl}${path}`, 'gzip, deflate, br');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.headers['content-encoding']).toBe('br');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers.vary).toMatch(/cookie/i);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(answer.body.equals(inlineBrotli)).toBe(true);
    }
    // without brotli: gzip on the fly, or the page as it is
    const gzip = await rawGet(`${server.baseUrl}/`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(inline);
    const plain = await rawGet(`${server.baseUrl}/`, null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(inline);
  });

  it('sends index.html to a browser whose cookie names this build, and the inline page again after a release', async () => {
    const cached = await rawGet(`${server.baseUrl}/`, null, `theme=dark; bx_h5=${id}`);
    expect(cached.status).toBe(200);
    expect(cached.headers['cache-control']).toBe('no-cache');
    expect(cached.headers.vary).toMatch(/cookie/i);
    expect(cached.body.toString()).toBe(page);

    // the cookie of another build: its files are not what this page needs
    const older = await rawGet(`${server.baseUrl}/`, 'br', 'bx_h5=0123456789abcdef');
    expect(older.body.equals(inlineBrotli)).toBe(true);
    const prefix = await rawGet(`${server.baseUrl}/`, 'br', `xbx_h5=${id}`);
    expect(prefix.body.equals(inlineBrotli)).toBe(true);
  });

  it('leaves the API and other files alone', async () => {
    const health = await rawGet(`${server.apiUrl}/health`, 'gzip, deflate, br');
    expect(health.status).toBe(200);
    expect(health.headers.vary ?? '').not.toMatch(/cookie/i);
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok' });
  });
});
