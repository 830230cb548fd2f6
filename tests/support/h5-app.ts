import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuthOptions } from '@baoxue/shared';
import type { BrowserContext, Page } from 'playwright-core';
import { CACHED_BUILD_COOKIE } from '../../server/src/common/http/first-visit-page';
import { api } from './api';
import { visibleText } from './browser';
import type { TestServer } from './server';

/** The H5 build the browser tests drive (BX_H5_DIST points elsewhere, e.g. a parallel build). */
export const H5_DIST = process.env.BX_H5_DIST ?? resolve(__dirname, '../../miniapp/dist/h5');

/** The H5 tier tests the built app; `npm test` builds it when it is missing. */
export function requireH5Build(): string {
  if (!existsSync(join(H5_DIST, 'index.html'))) {
    throw new Error(`no H5 build at ${H5_DIST}: run npm run build:h5 (npm test does it when the build is missing)`);
  }
  return H5_DIST;
}

/** Each demo account's display name, by account key: the sign-in page lists the accounts by name. */
export async function demoAccountNames(server: TestServer): Promise<Record<string, string>> {
  const options = (await api(server).get<AuthOptions>('/auth/options')).body;
  return Object.fromEntries(options.demoAccounts.map((demo) => [demo.account, demo.displayName]));
}

/** From a fresh start: the sign-in page, a tap on a demo account, agreement to the privacy guide. */
export async function signInWithDemoAccount(page: Page, baseUrl: string, displayName: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await visibleText(page, '演示账号').waitFor();
  await visibleText(page, displayName).click();
  await visibleText(page, '同意并继续').click();
  await page.waitForURL(/#\/pages\/home\/index/);
  // The sign-in page leaves the DOM once the home tab has replaced it.
  await page.locator('.login').waitFor({ state: 'detached' });
  await page.locator('.user-card').filter({ visible: true }).waitFor();
}

/**
 * Until the first-visit page (index.inline.html) has put the build's entry in this browser's cache and
 * set the cookie that says so (server/src/common/http/first-visit-page.ts); at most 30 s.
 */
export async function untilEntryCached(context: BrowserContext): Promise<string> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const cookie = (await context.cookies()).find((candidate) => candidate.name === CACHED_BUILD_COOKIE);
    if (cookie) return cookie.value;
    if (performance.now() > deadline) throw new Error(`no ${CACHED_BUILD_COOKIE} cookie 30 s after the first visit`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
