import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_PAGES } from '@baoxue/shared';
import { PAGES, TAB_PAGES } from '../../miniapp/src/routes';
import { WEAPP_DIST } from '../support/weapp';

/**
 * Server messages link to the pages in shared APP_PAGES, and the mini program navigates to its own
 * PAGES table: every one must be a page of the built app, declared in the package that holds it.
 */
describe('the weapp build declares every page that is linked to', () => {
  const app = JSON.parse(readFileSync(join(WEAPP_DIST, 'app.json'), 'utf8')) as {
    pages: string[];
    subPackages: Array<{ root: string; pages: string[] }>;
    tabBar: { list: Array<{ pagePath: string }> };
  };
  const declared = [...app.pages, ...app.subPackages.flatMap((sub) => sub.pages.map((page) => `${sub.root.replace(/\/$/, '')}/${page}`))];

  test.each(Object.entries(APP_PAGES))('APP_PAGES.%s (%s)', (_, path) => {
    expect(declared).toContain(path.replace(/^\//, ''));
  });

  test.each(Object.entries(PAGES))('PAGES.%s (%s)', (_, path) => {
    expect(declared).toContain(path.replace(/^\//, ''));
  });

  test('the tab pages are the tab bar, in order, in the main package', () => {
    expect(app.tabBar.list.map((tab) => `/${tab.pagePath}`)).toEqual(TAB_PAGES);
    for (const tab of app.tabBar.list) expect(app.pages).toContain(tab.pagePath);
  });
});
