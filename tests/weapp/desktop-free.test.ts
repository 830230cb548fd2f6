import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEAPP_DIST } from '../support/weapp';

/**
 * The browser's frame (components/screen.h5.tsx, shell.h5.tsx, screen.h5.css: the desktop console's
 * header, sidebar and breadcrumbs, the phone title bar) is H5 only (issue 16): WeChat draws its own
 * navigation bar, and the main package has no room for code it never runs.
 */
const H5_ONLY_MARKERS = ['shell-sidebar', 'shell-crumb', 'title-bar', '功能导航', '__taroH5SetNavigationBarTitle'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the weapp build', () => {
  test('carries none of the H5 frame', () => {
    const found = filesUnder(WEAPP_DIST)
      .filter((file) => /\.(js|wxss|wxml|json)$/.test(file))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return H5_ONLY_MARKERS.filter((marker) => text.includes(marker)).map((marker) => `${file}: ${marker}`);
      });
    expect(found).toEqual([]);
  });
});
