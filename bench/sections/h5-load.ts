import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import type { Browser, BrowserContextOptions, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../../tests/support/browser';
import { atMost, fmt, median, type Figure, type SectionResult } from '../lib/figures';
import type { BenchContext, Section } from '../lib/context';
import { untilEntryCached } from '../../tests/support/h5-app';
import { BARE_PAGE, buildH5, serveH5, signedInState, type PhoneStates } from '../lib/h5-home';

/**
 * Chrome DevTools' "Fast 3G" preset (its network throttling presets, decimal units): 562.5 ms from a
 * request to its response headers, 1.6 Mbit/s × 0.9 down and 750 kbit/s × 0.9 up, in bytes per second.
 */
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};
/** A low-end phone's CPU, as DevTools' "4× slowdown". */
const CPU_SLOWDOWN = 4;
const VIEWPORT = { width: 375, height: 812 };
const GOAL_COLD_MS = 2000;

/** What "ready" means for a page: checked in the page on every animation frame until it holds. */
type ReadyCheck = { selector: string; text?: string };

interface Scenario {
  key: string;
  label: string;
  /** The display name of the demo account whose stored session the phone has; none for the bare page. */
  signedInAs?: string;
  path: string;
  ready: ReadyCheck;
  readyText: string;
}

const SCENARIOS: Scenario[] = [
  {
    key: 'tip-form',
    label: "supervisor's tip form",
    signedInAs: '李建国',
    path: '/#/packages/supervisor/pages/tip-form/index',
    ready: { selector: 'input[placeholder="请输入孩子的姓名"]' },
    readyText: "the child's name input is visible and enabled",
  },
  {
    key: 'county-home',
    label: "county admin's home",
    signedInAs: '周国华',
    path: '/',
    ready: { selector: '.section-title', text: '县级管理' },
    readyText: 'the county section of the home (its title and menu) is visible',
  },
];

const BARE: Scenario = {
  key: 'bare',
  label: 'bare static page',
  path: `/${BARE_PAGE}`,
  ready: { selector: '#ready' },
  readyText: 'its paragraph is visible',
};

/** One navigation: when it was ready, and what came over the wire for it. */
interface Load {
  ms: number;
  /** When the page's HTML had arrived, and its last script or style sheet (page clock, ms). */
  htmlAt: number;
  codeAt: number;
  /** Bytes received (compressed bodies and headers), all requests up to a quiet network after ready. */
  bytes: number;
  /** Of those, what had arrived when the page was ready. */
  bytesAtReady: number;
  /** Of those, scripts and style sheets. */
  codeBytes: number;
  /** Scripts and style sheets as the page uses them (decoded), whether fetched or from the cache. */
  codeDecoded: number;
  /** Requests that went to the server (not answered from the browser's cache). */
  requests: number;
  files: string[];
}

interface Runs {
  /** A phone without this build (its first visit since a release): the server sends the page with the entry inside. */
  cold: Load[];
  /** A phone that has opened this build but whose cache lost it (the cookie kept): index.html, then the entry. */
  evicted: Load[];
  warm: Load[];
}

/**
 * Installed before any page script: on every animation frame, look for the ready element (visible,
 * not disabled, with the text when one is given) and keep the first time it holds, in milliseconds
 * since the navigation started (the page's time origin). Plain source rather than a function: the
 * bench runs through a transpiler whose helpers do not exist in the page.
 */
function readyProbe(check: ReadyCheck): string {
  return `(() => {
    const check = ${JSON.stringify(check)};
    const holds = () => Array.from(document.querySelectorAll(check.selector)).some((element) =>
      (check.text === undefined || element.textContent.trim() === check.text) &&
      element.checkVisibility() && element.getBoundingClientRect().height > 0 && !element.disabled);
    const frame = () => {
      if (holds()) window.__bxReadyAt = performance.now();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })();`;
}

/** A phone as the issue describes it: 375 px wide, Fast 3G, a CPU four times slower; empty cache. */
async function throttledPhone(browser: Browser, storageState?: BrowserContextOptions['storageState']) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    storageState,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page, cdp };
}

/** Counts what the network brings for one navigation, from the DevTools protocol's own events. */
function watchNetwork(cdp: CDPSession) {
  const types = new Map<string, { url: string; type: string }>();
  const inFlight = new Set<string>();
  let lastActivity = performance.now();
  const load: Omit<Load, 'ms' | 'htmlAt' | 'codeAt' | 'bytesAtReady'> = { bytes: 0, codeBytes: 0, codeDecoded: 0, requests: 0, files: [] };
  const isCode = (type: string) => type === 'Script' || type === 'Stylesheet';
  const cached = new Set<string>();
  const sent = (event: { requestId: string; request: { url: string }; type?: string }) => {
    inFlight.add(event.requestId);
    types.set(event.requestId, { url: event.request.url, type: event.type ?? 'Other' });
    lastActivity = performance.now();
  };
  const fromCache = (event: { requestId: string }) => cached.add(event.requestId);
  const responded = (event: { requestId: string; response: { fromDiskCache?: boolean } }) => {
    if (event.response.fromDiskCache) cached.add(event.requestId);
  };
  const received = (event: { requestId: string; dataLength: number }) => {
    const request = types.get(event.requestId);
    if (request && isCode(request.type)) load.codeDecoded += event.dataLength;
    lastActivity = performance.now();
  };
  const finished = (event: { requestId: string; encodedDataLength: number }) => {
    inFlight.delete(event.requestId);
    const request = types.get(event.requestId);
    load.bytes += event.encodedDataLength;
    if (!cached.has(event.requestId)) load.requests++;
    if (request && isCode(request.type)) {
      load.codeBytes += event.encodedDataLength;
      load.files.push(new URL(request.url).pathname);
    }
    lastActivity = performance.now();
  };
  const failed = (event: { requestId: string }) => {
    inFlight.delete(event.requestId);
    lastActivity = performance.now();
  };
  cdp.on('Network.requestWillBeSent', sent);
  cdp.on('Network.requestServedFromCache', fromCache);
  cdp.on('Network.responseReceived', responded);
  cdp.on('Network.dataReceived', received);
  cdp.on('Network.loadingFinished', finished);
  cdp.on('Network.loadingFailed', failed);
  return {
    load,
    stop(): void {
      cdp.off('Network.requestWillBeSent', sent);
      cdp.off('Network.requestServedFromCache', fromCache);
      cdp.off('Network.responseReceived', responded);
      cdp.off('Network.dataReceived', received);
      cdp.off('Network.loadingFinished', finished);
      cdp.off('Network.loadingFailed', failed);
    },
    /** Until no request has been in flight for a second (at most 20 s): the page's follow-up calls counted too. */
    async quiet(): Promise<void> {
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline && (inFlight.size > 0 || performance.now() - lastActivity < 1000)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

async function navigate(page: Page, cdp: CDPSession, url: string): Promise<Load> {
  const network = watchNetwork(cdp);
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  const handle = await page.waitForFunction(() => (window as unknown as { __bxReadyAt?: number }).__bxReadyAt, undefined, {
    polling: 100,
    timeout: 60_000,
  });
  const ms = (await handle.jsonValue()) as number;
  const bytesAtReady = network.load.bytes;
  // Resource Timing, as source text: the bench's transpiler would add helpers the page lacks
  const arrivals = (await page.evaluate(`({
    html: performance.getEntriesByType('navigation')[0]?.responseEnd ?? 0,
    code: Math.max(0, ...performance.getEntriesByType('resource').filter((e) => /\\.(js|css)$/.test(new URL(e.name).pathname)).map((e) => e.responseEnd)),
  })`)) as { html: number; code: number };
  await network.quiet();
  network.stop();
  return { ms, htmlAt: arrivals.html, codeAt: arrivals.code, bytesAtReady, ...network.load };
}

/**
 * Cold: a new context (empty HTTP cache) opens the URL; warm: the same page opens it again, once the
 * first visit has cached the entry (the app; the bare page has nothing to cache).
 */
async function coldAndWarm(browser: Browser, url: string, scenario: Scenario, storageState?: BrowserContextOptions['storageState']) {
  const { context, page, cdp } = await throttledPhone(browser, storageState);
  try {
    await context.addInitScript({ content: readyProbe(scenario.ready) });
    const cold = await navigate(page, cdp, url);
    if (scenario !== BARE) await untilEntryCached(context);
    await page.goto('about:blank');
    const warm = await navigate(page, cdp, url);
    return { cold, warm };
  } finally {
    await context.close();
  }
}

/** A phone that opened this build before (the cookie) but whose cache no longer holds it. */
async function evictedCache(browser: Browser, url: string, scenario: Scenario, storageState: BrowserContextOptions['storageState']) {
  const { context, page, cdp } = await throttledPhone(browser, storageState);
  try {
    await context.addInitScript({ content: readyProbe(scenario.ready) });
    return await navigate(page, cdp, url);
  } finally {
    await context.close();
  }
}

/**
 * The JS and CSS index.html names (the entry): as built, and as the server sends them to a browser
 * that accepts brotli (the build's own `.br` file, else compressed on the fly at the middleware's
 * quality 4).
 */
function entryBytes(h5Dir: string): { files: string[]; raw: number; brotli: number } {
  const html = readFileSync(join(h5Dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/\s(?:src|href)="?\/?([^"\s>]+\.(?:js|css))[">\s]/g)].map((m) => m[1]!);
  let raw = 0;
  let brotli = 0;
  for (const file of files) {
    const path = join(h5Dir, file);
    raw += statSync(path).size;
    brotli += existsSync(`${path}.br`)
      ? statSync(`${path}.br`).size
      : brotliCompressSync(readFileSync(path), { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }).length;
  }
  return { files, raw, brotli };
}

const kb = (bytes: number) => bytes / 1024;

/**
 * 6b. H5 first load (issue 19 item 6): the production H5 build served by the real server, opened in
 * Chromium as a low-end phone on Fast 3G; goal ≤ 2 s cold for the tip form and the county home.
 */
export const h5LoadSection: Section = {
  key: 'h5-load',
  title: '6b. H5 first load on a slow phone (Fast 3G, 4× CPU slowdown)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const repeats = ctx.quick ? 2 : 5;
    const build = buildH5(ctx);
    const entry = entryBytes(build.dir);
    const server = await serveH5(ctx, build.dir);
    let browser: Browser | undefined;
    const runs = new Map<string, Runs>([...SCENARIOS, BARE].map((s) => [s.key, { cold: [], evicted: [], warm: [] }]));
    try {
      browser = await launchChromium();
      const sessions = new Map<string, PhoneStates>();
      for (const scenario of SCENARIOS) sessions.set(scenario.key, await signedInState(browser, server.url, scenario.signedInAs!));
      for (let r = 0; r < repeats; r++) {
        // interleaved, so a slow moment of the shared machine does not land on one scenario only
        for (const scenario of [BARE, ...SCENARIOS]) {
          const url = `${server.url}${scenario.path}`;
          const states = sessions.get(scenario.key);
          const { cold, warm } = await coldAndWarm(browser, url, scenario, states?.firstVisit);
          const evicted = states ? await evictedCache(browser, url, scenario, states.returning) : null;
          runs.get(scenario.key)!.cold.push(cold);
          runs.get(scenario.key)!.warm.push(warm);
          if (evicted) runs.get(scenario.key)!.evicted.push(evicted);
          ctx.log(
            `h5-load: ${scenario.key} cold ${fmt(cold.ms)} ms (${fmt(kb(cold.bytes))} KB, ${cold.requests} requests), ` +
              `warm ${fmt(warm.ms)} ms (${fmt(kb(warm.bytes))} KB, ${warm.requests} requests)` +
              (evicted ? `, cache evicted ${fmt(evicted.ms)} ms` : ''),
          );
        }
      }
    } finally {
      await browser?.close();
      await server.stop();
    }

    const bare = runs.get(BARE.key)!;
    const bareSeries = (which: keyof Runs) => ({ label: `bare static page, ${which}`, unit: 'ms', samples: bare[which].map((l) => l.ms) });
    const figures: Figure[] = [];
    const rows: string[] = [];
    const timeRows: string[] = [];
    for (const scenario of [...SCENARIOS, BARE]) {
      const { cold, evicted, warm } = runs.get(scenario.key)!;
      if (scenario !== BARE) {
        const coldMs = cold.map((l) => l.ms);
        figures.push(
          {
            label: `H5 ${scenario.label}, cold`,
            unit: 'ms',
            better: 'lower',
            samples: coldMs,
            baseline: bareSeries('cold'),
            goals: [atMost(median(coldMs), GOAL_COLD_MS, 'ms', 'median', median(bareSeries('cold').samples))],
          },
          {
            label: `H5 ${scenario.label}, warm`,
            unit: 'ms',
            better: 'lower',
            samples: warm.map((l) => l.ms),
            baseline: bareSeries('warm'),
            goals: [],
          },
          {
            label: `H5 ${scenario.label}, cache evicted (opened this build before)`,
            unit: 'ms',
            better: 'lower',
            samples: evicted.map((l) => l.ms),
            baseline: bareSeries('cold'),
            goals: [],
          },
        );
      }
      const med = (loads: Load[], pick: (l: Load) => number) => fmt(median(loads.map(pick)));
      rows.push(
        `| ${scenario.label} | ${med(cold, (l) => kb(l.bytesAtReady))} KB | ${med(cold, (l) => kb(l.bytes))} KB (${med(cold, (l) => l.requests)}) | ${med(cold, (l) => kb(l.codeBytes))} KB | ` +
          `${med(cold, (l) => kb(l.codeDecoded))} KB | ${med(warm, (l) => kb(l.bytes))} KB (${med(warm, (l) => l.requests)}) | ${med(warm, (l) => kb(l.codeBytes))} KB |`,
      );
      const kinds = [
        ['cold', cold],
        ['warm', warm],
        ['cache evicted', evicted],
      ] as const;
      for (const [which, loads] of kinds.filter(([, loads]) => loads.length > 0)) {
        timeRows.push(
          `| ${scenario.label}, ${which} | ${med(loads, (l) => l.htmlAt)} | ${med(loads, (l) => l.codeAt)} | ${med(loads, (l) => l.ms)} | ` +
            `${med(loads, (l) => l.ms - Math.max(l.htmlAt, l.codeAt))} |`,
        );
      }
    }
    const tipFiles = runs.get('tip-form')!.cold[0]?.files ?? [];
    // what bounds a load before any script runs: on the first visit, one round trip and the bytes the
    // page needs (its HTML with the entry inside, the page's chunks fetched while it arrives); with the
    // cookie but no cache, the HTML, one more round trip, then the scripts' and styles' bytes
    const floors = SCENARIOS.map((scenario) => {
      const { cold, evicted } = runs.get(scenario.key)!;
      const firstBytes = median(cold.map((l) => l.bytesAtReady));
      const first = FAST_3G.latency + (firstBytes / FAST_3G.downloadThroughput) * 1000;
      const htmlAt = median(evicted.map((l) => l.htmlAt));
      const codeBytes = median(evicted.map((l) => l.codeBytes));
      const again = htmlAt + FAST_3G.latency + (codeBytes / FAST_3G.downloadThroughput) * 1000;
      return (
        `the ${scenario.label}: first visit ${fmt(kb(firstBytes))} KB by ready, ${fmt(first)} ms at best (one round trip, the bytes at ${FAST_3G.downloadThroughput} B/s); ` +
        `cache evicted ${fmt(kb(codeBytes))} KB of scripts and styles after the HTML, ${fmt(again)} ms at best (HTML at ${fmt(htmlAt)} ms, one more round trip, the bytes)`
      );
    });
    return {
      key: 'h5-load',
      title: this.title,
      setup: [
        `\`taro build --type h5\` (production${build.buildSeconds === null ? `, given in BENCH_H5_DIR` : `, ${fmt(build.buildSeconds)} s`}) served by the real server (compressed, hashed files cached for a year) on MariaDB with the demo county.`,
        `Chromium at ${VIEWPORT.width}×${VIEWPORT.height} (device scale 2, touch) with the DevTools protocol's \`Network.emulateNetworkConditions\` = Fast 3G: latency ${FAST_3G.latency} ms, download ${FAST_3G.downloadThroughput} B/s (1.6 Mbit/s × 0.9), upload ${FAST_3G.uploadThroughput} B/s (750 kbit/s × 0.9); and \`Emulation.setCPUThrottlingRate\` ${CPU_SLOWDOWN}.`,
        `Each role signs in once (unthrottled); then, ${repeats} times, a new context with that stored session opens the URL cold: an empty HTTP cache and no copy of this build (its first visit since a release), so the server sends the page with the entry inside it (index.inline.html), which then fetches the entry into the cache and sets the \`bx_h5\` cookie. The same page opens the URL again after about:blank (warm: the entry from the cache). Cache evicted: a new context with the session and the cookie but an empty cache (a phone whose browser dropped the files), which gets index.html and fetches the entry after it. ` +
          `Tip form: \`${SCENARIOS[0]!.path}\`, ready when ${SCENARIOS[0]!.readyText}. County home: \`${SCENARIOS[1]!.path}\` (the app as the admin opens it), ready when ${SCENARIOS[1]!.readyText}. ` +
          "The time is the page's own clock (`performance.now()`, from the start of the navigation) at the first animation frame where it is ready.",
        `Baseline: a bare static HTML page (\`${BARE_PAGE}\`) from the same server over the same profile, cold and warm, in the same loop (ready when ${BARE.readyText}).`,
        `The entry (what index.html names, before any page loads): ${entry.files.length} files, ${fmt(kb(entry.raw))} KB of JS and CSS as built, ${fmt(kb(entry.brotli))} KB brotli as the server sends them.`,
      ],
      figures,
      tables: [
        [
          '| page (medians) | cold: received by ready | cold: received (requests) | cold: JS+CSS received | JS+CSS used (decoded) | warm: received (requests) | warm: JS+CSS received |',
          '|---|---|---|---|---|---|---|',
          ...rows,
        ].join('\n'),
        [
          '| where the time goes (medians, ms on the page clock) | HTML arrived | last script or style arrived | ready | ready − last arrival (the page running on the slowed CPU) |',
          '|---|---|---|---|---|',
          ...timeRows,
        ].join('\n'),
      ],
      notes: [
        `Network floor: ${floors.join('; ')}. What the page then does on the slowed CPU (Taro's web components and Preact starting, the page rendering) is the last column of the table above.`,
        `Received bytes are what came over the wire (compressed bodies and headers) for the navigation until the network was quiet for a second after ready, so the page's follow-up API calls count too, and on the first visit the entry's files fetched again into the cache after the page loaded (the price of the saved round trip: the entry crosses the link twice, once inside the page, once as files, the second time while the person is already using the page). The tip form's first cold load fetched: ${tipFiles.map((f) => `\`${f}\``).join(', ') || '—'}.`,
      ],
    };
  },
};
