import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { input, launchChromium, openPhone, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount, untilEntryCached } from '../../support/h5-app';
import { CACHED_BUILD_COOKIE } from '../../../server/src/common/http/first-visit-page';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Issue 19 item 6: the H5 build loads by role. The entry carries the framework and the main package
 * (sign-in, home and the other tab pages); each role's subpackage is a chunk of its own, which
 * index.html preloads when the URL names one of its pages; Taro's photo gallery (Swiper) comes only
 * when a photo is opened. Validation (zod, 27 KB brotli, and the contract's schemas) is on no page's first
 * load: the tip form fetches its schema once it has rendered, long before 提交线索 is tapped. On a
 * phone's first visit to a build the page comes with the entry inside it (index.inline.html), which
 * then caches the entry's files and sets the cookie that gets index.html next time.
 */

/** The role subpackages, each built as `js/<role>.<hash>.js` (miniapp/config/h5-loading.ts). */
const ROLE_CHUNKS = readdirSync(resolve(__dirname, '../../../miniapp/src/packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** zod's core names its classes in its code: a built script holding zod holds this text. */
const ZOD_MARK = '$ZodType';

/**
 * Installed before the app runs: the page clock's time when the tip form is first in the document
 * (a mutation observer answers in the same task as the render, before the form's effects run).
 */
const FORM_SHOWN_PROBE = `new MutationObserver((_, observer) => {
  if (!document.querySelector('.tip-form-page')) return;
  window.__formShownAt = performance.now();
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });`;

/** `js/supervisor.4253472e.js` → `supervisor.js`: a built file's name without its content hash. */
function unhashed(path: string): string {
  return path.replace(/^.*\//, '').replace(/\.[0-9a-f]{8}\./, '.');
}

/** The scripts and styles the page requests from now on, as unhashed names. */
function recordAssets(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/\.(js|css)$/.test(path)) requested.push(unhashed(path));
  });
  return requested;
}

describe('the H5 app loads what the first page needs', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  /** The files index.html names: the entry. */
  let entry: string[];
  /** The built scripts that hold zod, as unhashed names. */
  let zodFiles: string[];
  /** The build's id, as the first visit's cookie carries it: the start of index.html's SHA-256. */
  let buildId: string;
  const sessions = new Map<string, BrowserContextOptions['storageState']>();

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    const html = readFileSync(join(h5Dir, 'index.html'), 'utf8');
    buildId = createHash('sha256').update(html).digest('hex').slice(0, 16);
    entry = [...html.matchAll(/\s(?:src|href)="?([^"\s>]+\.(?:js|css))/g)].map((match) => unhashed(match[1]!));
    zodFiles = readdirSync(join(h5Dir, 'js'))
      .filter((file) => file.endsWith('.js') && readFileSync(join(h5Dir, 'js', file), 'utf8').includes(ZOD_MARK))
      .map(unhashed);
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * A phone that signed in as this demo account before: its storage holds the session and the cookie
   * saying it has this build, its cache is empty (the browser dropped the files). `firstVisit`: the
   * same phone without the cookie, opening this build for the first time.
   */
  async function returningPhone(account: string, { firstVisit = false } = {}) {
    if (!sessions.has(account)) {
      const first = await openPhone(browser);
      await signInWithDemoAccount(first.page, server.baseUrl, names[account]!);
      await untilEntryCached(first.context);
      sessions.set(account, await first.context.storageState());
      await first.context.close();
    }
    const state = sessions.get(account) as Exclude<BrowserContextOptions['storageState'], string | undefined>;
    return openPhone(browser, {
      storageState: firstVisit ? { ...state, cookies: state.cookies.filter((cookie) => cookie.name !== CACHED_BUILD_COOKIE) } : state,
    });
  }

  test('the entry is the framework, the app and its style, without zod', () => {
    expect(entry).toEqual(expect.arrayContaining(['framework.js', 'app.js', 'app.css']));
    expect(entry).toHaveLength(3);
    expect(zodFiles).not.toEqual([]);
    for (const file of entry) expect(zodFiles).not.toContain(file);
  });

  test('a county admin opening the app gets the home from the entry alone', async () => {
    const { context, page, errors } = await returningPhone('county-admin');
    try {
      const requested = recordAssets(page);
      await page.goto(`${server.baseUrl}/`);
      await visibleText(page, '县级管理').waitFor();
      await page.locator('.user-card').filter({ visible: true }).waitFor();
      expect(new Set(requested)).toEqual(new Set(entry));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('the tip form loads the supervisor’s chunk, preloaded with the entry, and no other role’s; its validation after', async () => {
    const { context, page, errors } = await returningPhone('supervisor');
    try {
      const requested = recordAssets(page);
      await page.addInitScript({ content: FORM_SHOWN_PROBE });
      await page.goto(`${server.baseUrl}/#/packages/supervisor/pages/tip-form/index`);
      await input(page, '请输入孩子的姓名').waitFor();
      expect(requested).toContain('supervisor.js');
      for (const role of ROLE_CHUNKS.filter((role) => role !== 'supervisor')) expect(requested).not.toContain(`${role}.js`);
      expect(requested).not.toContain('preview-image.js');
      // index.html asked for the page's chunks before the entry ran, and zod is in none of them
      const preloaded = new Set(
        (await page.$$eval('link[rel="preload"]', (links) => links.map((link) => (link as HTMLLinkElement).href))).map(unhashed),
      );
      expect(preloaded).toContain('supervisor.js');
      for (const file of preloaded) expect(zodFiles).not.toContain(file);

      // What the form needs came from the entry and the preloads; its validation (the tip's schema
      // and zod) was fetched once the form was in the page, before anything is typed or tapped.
      await page.waitForFunction((zod) => {
        const arrived = performance.getEntriesByType('resource').map((e) => e.name.replace(/^.*\//, '').replace(/\.[0-9a-f]{8}\./, '.'));
        return arrived.includes('tip-request.js') && zod.some((file) => arrived.includes(file));
      }, zodFiles);
      const { shownAt, fetched } = await page.evaluate(() => ({
        shownAt: (window as unknown as { __formShownAt: number }).__formShownAt,
        fetched: performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, startTime: e.startTime })),
      }));
      const pageFiles = fetched.filter(({ path }) => /\.(js|css)$/.test(path) && !entry.includes(unhashed(path)));
      const beforeForm = pageFiles.filter(({ startTime }) => startTime < shownAt).map(({ path }) => unhashed(path));
      const afterForm = pageFiles.filter(({ startTime }) => startTime >= shownAt).map(({ path }) => unhashed(path));
      expect(new Set(beforeForm)).toEqual(preloaded);
      expect(afterForm).toContain('tip-request.js');
      expect(afterForm.some((file) => zodFiles.includes(file))).toBe(true);
      for (const file of afterForm) expect(file).toMatch(/^(tip-request|\d+)\.js$/);

      // the gallery arrives when a photo is opened
      const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 140, b: 200 } } })
        .png()
        .toBuffer();
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), visibleText(page, '添加照片').click()]);
      await chooser.setFiles({ name: 'evidence.png', mimeType: 'image/png', buffer: photo });
      await page.locator('.photo-thumb').filter({ visible: true }).click();
      await page.locator('taro-swiper-core').first().waitFor({ state: 'attached' });
      expect(requested).toContain('preview-image.js');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a first visit gets the entry inside the page, then caches it; the next visit runs it from the cache', async () => {
    const { context, page, errors } = await returningPhone('county-admin', { firstVisit: true });
    try {
      const requested: Array<{ file: string; as: string }> = [];
      page.on('request', (request) => {
        const file = unhashed(new URL(request.url()).pathname);
        if (entry.includes(file)) requested.push({ file, as: request.resourceType() });
      });
      const answer = await page.goto(`${server.baseUrl}/`);
      expect(answer!.headers()['vary']).toMatch(/cookie/i);
      await visibleText(page, '县级管理').waitFor();
      await page.locator('.user-card').filter({ visible: true }).waitFor();
      // the entry came inside the page: no script or style sheet of it was asked for
      expect(await page.locator('script[src], link[rel="stylesheet"]').count()).toBe(0);

      // once loaded, the page fetched the entry's files (into the cache) and set the cookie to this build's id
      expect(await untilEntryCached(context)).toBe(buildId);
      expect(requested.map(({ file }) => file).sort()).toEqual([...entry].sort());
      expect(new Set(requested.map(({ as }) => as))).toEqual(new Set(['fetch']));

      await page.goto('about:blank');
      await page.goto(`${server.baseUrl}/`);
      await visibleText(page, '县级管理').waitFor();
      await page.locator('.user-card').filter({ visible: true }).waitFor();
      // index.html this time, its scripts and style from the cache
      expect(await page.locator('script[src]').count()).toBe(2);
      const transfers = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => [e.name, (e as PerformanceResourceTiming).transferSize] as const),
      );
      const entryTransfers = transfers.filter(([url]) => entry.includes(unhashed(new URL(url).pathname)));
      expect(entryTransfers).toHaveLength(entry.length);
      for (const [url, bytes] of entryTransfers) expect([url, bytes]).toEqual([url, 0]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a county page loads the county chunk, not the supervisor’s', async () => {
    const { context, page, errors } = await returningPhone('county-admin');
    try {
      const requested = recordAssets(page);
      await page.goto(`${server.baseUrl}/#/packages/county/pages/triage/index`);
      await page.locator('.triage-page').filter({ visible: true }).waitFor();
      expect(requested).toContain('county.js');
      for (const role of ROLE_CHUNKS.filter((role) => role !== 'county')) expect(requested).not.toContain(`${role}.js`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
