import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { CACHED_BUILD_COOKIE } from '../../server/src/common/http/first-visit-page';
import { launchChromium, openPhone } from '../../tests/support/browser';
import { signInWithDemoAccount, untilEntryCached } from '../../tests/support/h5-app';
import type { BenchContext } from './context';
import { createDatabase } from './mysql';
import { ROOT, startServer, type BenchServer } from './server';

/** The role homes timed: the account, its display name, and text only its role section shows. */
export const TIMED_HOMES = [
  { account: 'township-leader', name: '王志强', marker: '本单位' },
  { account: 'supervisor', name: '李建国', marker: '提交线索' },
  { account: 'county-admin', name: '周国华', marker: '县级管理' },
] as const;

export interface HomeTimings {
  /** Per role: a phone opening the app with a stored session, an empty HTTP cache and no copy of this build (its first visit since a release). */
  cold: Map<string, number[]>;
  /** The same with the app's files in the browser cache (a second visit). */
  warm: Map<string, number[]>;
  /** A bare static page from the same server, cold and warm: the floor of any navigation. */
  bareCold: number[];
  bareWarm: number[];
  /** NaN for a build given in BENCH_H5_DIR. */
  buildSeconds: number;
}

export const BARE_PAGE = 'bench-bare.html';

export interface H5Build {
  dir: string;
  /** Seconds `taro build --type h5` took; null for a build given in BENCH_H5_DIR. */
  buildSeconds: number | null;
}

const builds = new Map<string, H5Build>();

/**
 * The production H5 build the H5 figures measure, made once per bench run into scratch space (the
 * sections that time the app share it), or an existing build named by BENCH_H5_DIR (e.g. an older
 * commit's, to compare) used as it is. Either way it gets the bare static page of the baselines.
 */
export function buildH5(ctx: BenchContext): H5Build {
  const given = process.env.BENCH_H5_DIR;
  const dir = given ? resolve(given) : join(ctx.tmp, 'h5');
  let build = builds.get(dir);
  if (!build) {
    if (given) {
      if (!existsSync(join(dir, 'index.html'))) throw new Error(`BENCH_H5_DIR=${given} holds no H5 build (no index.html)`);
      build = { dir, buildSeconds: null };
    } else {
      ctx.log('h5: taro build --type h5');
      const started = performance.now();
      execFileSync('npm', ['run', '--silent', 'build:h5', '-w', 'miniapp'], {
        cwd: ROOT,
        env: { ...process.env, BX_OUTPUT_ROOT: dir, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      build = { dir, buildSeconds: (performance.now() - started) / 1000 };
    }
    writeFileSync(join(dir, BARE_PAGE), '<!doctype html><meta charset="utf-8"><p id="ready">保学通</p>');
    builds.set(dir, build);
  }
  return build;
}

/** The real server serving the build, on a MariaDB database of its own with the demo county. */
export async function serveH5(ctx: BenchContext, h5Dir: string): Promise<BenchServer> {
  const db = await createDatabase('h5');
  return startServer({ databaseUrl: db.url, logFile: join(ctx.tmp, 'h5-server.log'), env: { H5_DIR: h5Dir } });
}

/** A phone's storage as it is after the first visit (the session and the cookie), and as a phone that has not opened this build. */
export interface PhoneStates {
  returning: BrowserContextOptions['storageState'];
  firstVisit: BrowserContextOptions['storageState'];
}

/** Signs a demo account in once, in a context of its own: the phone's storage, to reopen the app with. */
export async function signedInState(browser: Browser, serverUrl: string, displayName: string): Promise<PhoneStates> {
  const signedIn = await openPhone(browser);
  await signInWithDemoAccount(signedIn.page, serverUrl, displayName);
  await untilEntryCached(signedIn.context);
  const returning = await signedIn.context.storageState();
  await signedIn.context.close();
  return { returning, firstVisit: { ...returning, cookies: returning.cookies.filter((cookie) => cookie.name !== CACHED_BUILD_COOKIE) } };
}

/** Milliseconds from `goto` to `ready` resolving, measured by the driver. */
async function timed(page: Page, url: string, ready: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await page.goto(url);
  await ready();
  return performance.now() - started;
}

/**
 * Builds the H5 app (production) into scratch space, serves it from the real server on MariaDB with
 * the demo county, signs each timed role in once, then repeatedly opens the app as that phone:
 * navigation → the role home's user card and role section visible.
 */
export async function timeRoleHomes(ctx: BenchContext, repeats: number): Promise<HomeTimings> {
  const { dir: h5Dir, buildSeconds } = buildH5(ctx);
  const server = await serveH5(ctx, h5Dir);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const timings: HomeTimings = { cold: new Map(), warm: new Map(), bareCold: [], bareWarm: [], buildSeconds: buildSeconds ?? Number.NaN };
    const bareUrl = `${server.url}/${BARE_PAGE}`;
    for (const home of TIMED_HOMES) {
      // cold: a phone with the session that has not opened this build (its first visit after a release)
      const storageState = (await signedInState(browser, server.url, home.name)).firstVisit;
      const cold: number[] = [];
      const warm: number[] = [];
      for (let r = 0; r < repeats; r++) {
        // a new context has an empty cache: the first open is cold, the second warm
        const { context, page } = await openPhone(browser, { storageState });
        const ready = async () => {
          await page.locator('.user-card').filter({ visible: true }).waitFor();
          await page.getByText(home.marker, { exact: true }).filter({ visible: true }).first().waitFor();
        };
        cold.push(await timed(page, `${server.url}/`, ready));
        await untilEntryCached(context);
        await page.goto('about:blank');
        warm.push(await timed(page, `${server.url}/`, ready));
        await context.close();

        const bare = await openPhone(browser);
        const bareReady = () => bare.page.locator('#ready').waitFor();
        timings.bareCold.push(await timed(bare.page, bareUrl, bareReady));
        await bare.page.goto('about:blank');
        timings.bareWarm.push(await timed(bare.page, bareUrl, bareReady));
        await bare.context.close();
      }
      timings.cold.set(home.account, cold);
      timings.warm.set(home.account, warm);
      ctx.log(
        `miniapp: ${home.account} home cold ${cold.map((v) => v.toFixed(0)).join(' ')} ms, warm ${warm.map((v) => v.toFixed(0)).join(' ')} ms`,
      );
    }
    return timings;
  } finally {
    await browser?.close();
    await server.stop();
  }
}
