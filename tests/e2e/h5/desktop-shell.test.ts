import { ROLE_LABELS } from '@baoxue/shared';
import type { Me, SessionResponse } from '@baoxue/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { api } from '../../support/api';
import { input, launchChromium, navigate, openDesktop, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * The H5 build's frame (issue 16): at a desk (≥ 1024 px) a console with a header, the sidebar grouped
 * by job and breadcrumbs, in fixed 14–16 px type and without the phone's tab bar; on a phone a title
 * bar with the page's title and 返回. Browser back and forward work in both, and resizing the window
 * across 1024 px switches the frame without reloading the page or losing what was typed.
 */
describe('the H5 frame: the desktop console and the phone title bar', () => {
  const SCHOOLS_PAGE = '#/packages/county/pages/schools/index';
  const ACCOUNTS_PAGE = '#/packages/county/pages/accounts/index';
  const HOME_PAGE = '#/pages/home/index';
  const NEW_SCHOOL = '例如 光山县十里镇中心小学';

  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let admin: Me;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    admin = (await api(server).post<SessionResponse>('/auth/dev-login', { account: 'county-admin' })).body.user;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('at 1440×900 the county admin works from the sidebar, the header and the breadcrumbs', async () => {
    const { context, page, errors } = await openDesktop(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      const header = page.locator('.shell-header').filter({ visible: true });
      const sidebar = page.locator('.shell-sidebar').filter({ visible: true });

      // the header names the product, the unit and the user
      await header.getByText('保学通', { exact: true }).waitFor();
      await header.getByText(admin.unit!.name, { exact: true }).waitFor();
      await header.getByText(admin.displayName, { exact: true }).waitFor();
      await header.getByRole('link', { name: '我的', exact: true }).waitFor();
      await header.getByRole('button', { name: '退出', exact: true }).waitFor();

      // the sidebar groups the county's pages by job, 首页 marked
      for (const group of ['案件', '名册与比对', '资助', '通知', '统计与报告', '设置']) {
        await sidebar.getByRole('heading', { name: group, exact: true }).waitFor();
      }
      await eventually(() => currentLink(sidebar), '首页');
      await eventually(() => crumbsOf(page), ['首页']);

      // fixed type: the root font no longer follows the window, body text is 14–16 px
      const type = await page.evaluate(() => {
        const size = (selector: string) => {
          const element = Array.from(document.querySelectorAll(selector)).find((candidate) => candidate.getBoundingClientRect().height > 0);
          return element ? parseFloat(getComputedStyle(element).fontSize) : 0;
        };
        return { body: size('body'), screen: size('.shell-desktop .screen'), menu: size('.menu-title'), sidebar: size('.shell-link') };
      });
      for (const size of Object.values(type)) {
        expect(size).toBeGreaterThanOrEqual(14);
        expect(size).toBeLessThanOrEqual(16);
      }

      // the sidebar replaces the tab bar
      expect(await page.locator('.taro-tabbar__tabbar').filter({ visible: true }).count()).toBe(0);

      // the dashboard's figures stand in one row, its cards beside each other
      const figures = await page
        .locator('.dash-figure')
        .filter({ visible: true })
        .evaluateAll((elements) => elements.map((element) => Math.round(element.getBoundingClientRect().top)));
      expect(figures).toHaveLength(6);
      expect(new Set(figures).size).toBe(1);
      const cards = await page
        .locator('.dash > .card')
        .filter({ visible: true })
        .evaluateAll((elements) => elements.map((element) => Math.round(element.getBoundingClientRect().top)));
      expect(new Set(cards).size).toBe(1);
      await screenshot(page, 'desktop-shell-home-1440');

      // a sidebar link opens its page: breadcrumbs name its group, the sidebar marks it
      await navigate(page, () => sidebar.getByRole('link', { name: '学校管理', exact: true }).click());
      expect(page.url()).toContain(SCHOOLS_PAGE);
      await eventually(() => crumbsOf(page), ['首页', '设置', '学校管理']);
      await eventually(() => currentLink(sidebar), '学校管理');

      // a page opened from a list: the list is a breadcrumb, the page's own title (set by the page) last
      await navigate(page, () => visibleText(page, '新增学校').click());
      await eventually(() => crumbsOf(page), ['首页', '设置', '学校管理', '新增学校']);
      await eventually(() => currentLink(sidebar), '学校管理');
      await input(page, NEW_SCHOOL).fill('光山县测试小学');
      await screenshot(page, 'desktop-shell-form-1440');

      // narrower than 1024 px: the phone frame, with the same page and what was typed in it
      const url = page.url();
      await page.setViewportSize({ width: 800, height: 900 });
      const titleBar = page.locator('.title-bar').filter({ visible: true });
      await titleBar.getByRole('heading', { name: '新增学校', exact: true }).waitFor();
      await titleBar.getByRole('button', { name: '返回' }).waitFor();
      expect(await page.locator('.shell-sidebar, .shell-header, .shell-crumbs').filter({ visible: true }).count()).toBe(0);
      expect(page.url()).toBe(url);
      expect(await input(page, NEW_SCHOOL).inputValue()).toBe('光山县测试小学');
      // the phone's type follows the window again (Taro's root font, at most 40 px)
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('40px');
      // and back to the console
      await page.setViewportSize({ width: 1440, height: 900 });
      await sidebar.waitFor();
      expect(await titleBar.count()).toBe(0);
      expect(await input(page, NEW_SCHOOL).inputValue()).toBe('光山县测试小学');
      await eventually(() => crumbsOf(page), ['首页', '设置', '学校管理', '新增学校']);

      // the list's breadcrumb leads back to it
      await navigate(page, () => crumbLink(page, '学校管理').click());
      expect(page.url()).toContain(SCHOOLS_PAGE);

      // another sidebar page, then the browser's back and forward
      await navigate(page, () => sidebar.getByRole('link', { name: '账号管理', exact: true }).click());
      expect(page.url()).toContain(ACCOUNTS_PAGE);
      await eventually(() => crumbsOf(page), ['首页', '设置', '账号管理']);
      await navigate(page, () => page.goBack());
      expect(page.url()).toContain(SCHOOLS_PAGE);
      await eventually(() => crumbsOf(page), ['首页', '设置', '学校管理']);
      await eventually(() => currentLink(sidebar), '学校管理');
      await navigate(page, () => page.goForward());
      expect(page.url()).toContain(ACCOUNTS_PAGE);
      await eventually(() => currentLink(sidebar), '账号管理');
      await navigate(page, () => page.goBack());
      await navigate(page, () => page.goBack());
      expect(page.url()).toContain(HOME_PAGE);
      await eventually(() => currentLink(sidebar), '首页');

      // the breadcrumb 首页 and the header's 我的
      await navigate(page, () => sidebar.getByRole('link', { name: '入学通知书回执', exact: true }).click());
      await eventually(() => crumbsOf(page), ['首页', '通知', '入学通知书回执']);
      await navigate(page, () => crumbLink(page, '首页').click());
      expect(page.url()).toContain(HOME_PAGE);
      await navigate(page, () => header.getByRole('link', { name: '我的', exact: true }).click());
      expect(page.url()).toContain('#/pages/me/index');
      await visibleText(page, ROLE_LABELS[admin.role]).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test('at 375×812 a page has a title bar: 返回 to the page before, or 首页 when it was opened directly', async () => {
    const { context, page, errors } = await openPhone(browser);
    try {
      await page.setViewportSize({ width: 375, height: 812 });
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      const titleBar = page.locator('.title-bar').filter({ visible: true });

      // the home tab: its title and the tab bar, nothing to go back to, no console
      await titleBar.getByRole('heading', { name: '保学通', exact: true }).waitFor();
      expect(await titleBar.locator('button, a').count()).toBe(0);
      expect(await page.locator('.taro-tabbar__tabbar').filter({ visible: true }).count()).toBe(1);
      expect(await page.locator('.shell-sidebar, .shell-header').count()).toBe(0);

      await navigate(page, () => page.locator('.menu-row').filter({ visible: true }).filter({ hasText: '学校管理' }).click());
      await titleBar.getByRole('heading', { name: '学校管理', exact: true }).waitFor();
      await screenshot(page, 'desktop-shell-title-bar-375');
      await navigate(page, () => titleBar.getByRole('button', { name: '返回' }).click());
      expect(page.url()).toContain(HOME_PAGE);
      await titleBar.getByRole('heading', { name: '保学通', exact: true }).waitFor();

      // the browser's back and forward
      await navigate(page, () => page.locator('.menu-row').filter({ visible: true }).filter({ hasText: '账号管理' }).click());
      await titleBar.getByRole('heading', { name: '账号管理', exact: true }).waitFor();
      await navigate(page, () => page.goBack());
      expect(page.url()).toContain(HOME_PAGE);
      await navigate(page, () => page.goForward());
      expect(page.url()).toContain(ACCOUNTS_PAGE);
      await titleBar.getByRole('heading', { name: '账号管理', exact: true }).waitFor();

      // a page opened directly (a link, a reload) has nothing below it: 首页 instead of 返回
      await page.goto(`${server.baseUrl}/${SCHOOLS_PAGE}`);
      await page.reload();
      await settled(page);
      await titleBar.getByRole('heading', { name: '学校管理', exact: true }).waitFor();
      expect(await titleBar.getByRole('button', { name: '返回' }).count()).toBe(0);
      await navigate(page, () => titleBar.getByRole('link', { name: '首页', exact: true }).click());
      expect(page.url()).toContain(HOME_PAGE);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/**
 * Waits until `read` answers `expected` (the router and React finish a navigation a frame or two after
 * the address changes), then asserts it, so a miss still shows what the page had.
 */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  expect(value).toEqual(expected);
}

function crumbsOf(page: Page): Promise<string[]> {
  return page.locator('.shell-crumbs').filter({ visible: true }).locator('.shell-crumb').allInnerTexts();
}

function crumbLink(page: Page, name: string): Locator {
  return page.locator('.shell-crumbs').filter({ visible: true }).getByRole('link', { name, exact: true });
}

function currentLink(sidebar: Locator): Promise<string> {
  return sidebar.locator('[aria-current=page]').innerText();
}
