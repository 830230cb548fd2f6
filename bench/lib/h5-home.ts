import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium, openPhone } from '../../tests/support/browser';
import { signInWithDemoAccount } from '../../tests/support/h5-app';
import type { BenchContext } from './context';
import { createDatabase } from './mysql';
import { ROOT, startServer } from './server';

/** The role homes timed: the account, its display name, and text only its role section shows. */
export const TIMED_HOMES = [
  { account: 'township-leader', name: '王志强', marker: '本单位' },
  { account: 'supervisor', name: '李建国', marker: '提交线索' },
  { account: 'county-admin', name: '周国华', marker: '县级管理' },
] as const;

export interface HomeTimings {
  /** Per role: a phone opening the app with a stored session and an empty HTTP cache. */
  cold: Map<string, number[]>;
  /** The same with the app's files in the browser cache (a second visit). */
  warm: Map<string, number[]>;
  /** A bare static page from the same server, cold and warm: the floor of any navigation. */
  bareCold: number[];
  bareWarm: number[];
  buildSeconds: number;
}

const BARE_PAGE = 'bench-bare.html';

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
  const h5Dir = join(ctx.tmp, 'h5');
  ctx.log('miniapp: taro build --type h5');
  const buildStarted = performance.now();
  execFileSync('npm', ['run', '--silent', 'build:h5', '-w', 'miniapp'], {
    cwd: ROOT,
    env: { ...process.env, BX_OUTPUT_ROOT: h5Dir, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  writeFileSync(join(h5Dir, BARE_PAGE), '<!doctype html><meta charset="utf-8"><p id="ready">保学通</p>');

  const db = await createDatabase('h5');
  const server = await startServer({ databaseUrl: db.url, logFile: join(ctx.tmp, 'h5-server.log'), env: { H5_DIR: h5Dir } });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const timings: HomeTimings = { cold: new Map(), warm: new Map(), bareCold: [], bareWarm: [], buildSeconds };
    const bareUrl = `${server.url}/${BARE_PAGE}`;
    for (const home of TIMED_HOMES) {
      const signedIn = await openPhone(browser);
      await signInWithDemoAccount(signedIn.page, server.url, home.name);
      const storageState: BrowserContextOptions['storageState'] = await signedIn.context.storageState();
      await signedIn.context.close();
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
