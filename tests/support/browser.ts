import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (PLATFORM.md); BX_CHROMIUM points elsewhere. Never a downloaded browser. */
export const CHROMIUM = process.env.BX_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_H5 = resolve(__dirname, '../../artifacts/h5');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A phone-sized page in a fresh context: its own storage, so its own session. `storageState` (from
 * an earlier context's `storageState()`) reopens the app on a phone that already has data.
 */
export async function openPhone(
  browser: Browser,
  { storageState }: { storageState?: BrowserContextOptions['storageState'] } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    storageState,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** A desktop browser window (1440×900, the console's reference size) in a fresh context; see openPhone. */
export async function openDesktop(
  browser: Browser,
  {
    storageState,
    viewport = { width: 1440, height: 900 },
  }: { storageState?: BrowserContextOptions['storageState']; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', storageState });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/**
 * Text on the page the user is looking at. Taro's H5 router keeps earlier pages of the stack in
 * the DOM (hidden), so every lookup is restricted to what is visible.
 */
export function visibleText(page: Page, text: string | RegExp, exact = true): Locator {
  return page.getByText(text, { exact }).filter({ visible: true });
}

/**
 * Resizes the page and waits until the app has laid itself out for the new width: the browser reports
 * the media query's change (useDesktop) in the next frame, and the render it causes runs before that
 * frame's animation callbacks; a locator resolved any sooner may name an element about to go.
 */
export async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Waits for navigation to finish: the page the URL names is mounted (a subpackage page loads its
 * chunk first), it is the only page shown, and Taro's slide-in transition has ended.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const path = location.hash.replace(/^#/, '').split('?')[0];
    const moving = document.getAnimations().some((animation) => animation instanceof CSSTransition && animation.playState === 'running');
    const shown = Array.from(document.querySelectorAll('.taro_page')).filter((element) => getComputedStyle(element).display !== 'none');
    return !moving && shown.length === 1 && (!path || shown[0]!.id.split('?')[0] === path);
  });
}

/** Does something that navigates (a tap, going back) and waits until the new page has settled. */
export async function navigate(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = page.url();
  await action();
  await page.waitForURL((url) => url.href !== before);
  await settled(page);
}

/** The input with this placeholder: Taro's H5 <Input> wraps a real <input> that carries it too. */
export function input(page: Page, placeholder: string): Locator {
  return page.locator(`input[placeholder="${placeholder}"]`).filter({ visible: true });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await settled(page);
  mkdirSync(ARTIFACTS_H5, { recursive: true });
  const path = join(ARTIFACTS_H5, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The lowest contrast ratio of any visible text under `root` against its nearest opaque background (WCAG's formula). */
export async function lowestContrast(page: Page, root: string): Promise<{ ratio: number; text: string }> {
  return page.evaluate((selector) => {
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const c = [r!, g!, b!].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    const background = (element: Element | null): number[] => {
      for (let at = element; at; at = at.parentElement) {
        const [r, g, b, a = 1] = channels(getComputedStyle(at).backgroundColor);
        if (a > 0.5) return [r!, g!, b!];
      }
      return [255, 255, 255];
    };
    let lowest = { ratio: 21, text: '' };
    for (const element of Array.from(document.querySelector(selector)!.querySelectorAll('*'))) {
      const own = Array.from(element.childNodes).some((node) => node.nodeType === 3 && node.textContent!.trim());
      const box = element.getBoundingClientRect();
      if (!own || box.width === 0 || box.height === 0) continue;
      const [fg, bg] = [luminance(channels(getComputedStyle(element).color)), luminance(background(element))];
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < lowest.ratio) lowest = { ratio, text: element.textContent!.trim().slice(0, 30) };
    }
    return lowest;
  }, root);
}
