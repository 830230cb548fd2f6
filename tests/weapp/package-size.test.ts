import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { WEAPP_DIST } from '../support/weapp';

/**
 * Issue 16: the main package (what every user downloads before the first page) stays within
 * 400 KB. It is counted as bench/sections/miniapp.ts counts it: every file WeChat uploads outside
 * the subpackage roots of the built app.json, source maps left out. Run against a production
 * build (`npm run build:weapp`), as CI does; a development build is far larger.
 */
const MAIN_PACKAGE_GOAL = 400 * 1024;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the weapp main package', () => {
  const app = JSON.parse(readFileSync(join(WEAPP_DIST, 'app.json'), 'utf8')) as { subPackages: Array<{ root: string }> };
  const roots = app.subPackages.map((sub) => sub.root.replace(/\/$/, ''));
  const uploaded = filesUnder(WEAPP_DIST)
    .filter((file) => !file.endsWith('.map'))
    .map((file) => ({ name: relative(WEAPP_DIST, file).split(sep).join('/'), size: statSync(file).size }));
  const inMain = uploaded.filter((file) => !roots.some((root) => file.name.startsWith(`${root}/`)));

  test('is within 400 KB', () => {
    const size = inMain.reduce((sum, file) => sum + file.size, 0);
    const largest = [...inMain]
      .sort((a, b) => b.size - a.size)
      .slice(0, 5)
      .map((file) => `${file.name} ${(file.size / 1024).toFixed(1)} KB`);
    // On failure the diff shows the size and the largest files, which is where a regression usually is.
    expect({ withinGoal: size <= MAIN_PACKAGE_GOAL, kb: Number((size / 1024).toFixed(1)), largest }).toMatchObject({ withinGoal: true });
  });

  test('app.wxss holds no styles that only subpackage pages use', () => {
    // Styles of subpackage-only components and pages live in their own CSS files, which the build
    // places under the subpackage roots (sub-common / sub-vendors): a few markers of each file.
    const appWxss = readFileSync(join(WEAPP_DIST, 'app.wxss'), 'utf8');
    const subpackageWxss = uploaded.filter((file) => file.name.endsWith('.wxss') && roots.some((root) => file.name.startsWith(`${root}/`)));
    const subpackageText = subpackageWxss.map((file) => readFileSync(join(WEAPP_DIST, file.name), 'utf8')).join('\n');
    for (const selector of [
      '.segmented{',
      '.picker-panel{',
      '.timeline-dot{',
      '.detail-row{',
      '.photo-thumb{',
      '.chips{',
      '.textarea{',
      '.result-title{',
      '.history-item{',
      '.row-error{',
    ]) {
      expect({ selector, inAppWxss: appWxss.includes(selector) }).toEqual({ selector, inAppWxss: false });
      expect({ selector, inSubpackages: subpackageText.includes(selector) }).toEqual({ selector, inSubpackages: true });
    }
    // The main pages' own styles stay in app.wxss.
    for (const selector of ['.card{', '.menu-row{', '.btn-primary{', '.dash-figure{', '.privacy-body{']) {
      expect({ selector, inAppWxss: appWxss.includes(selector) }).toEqual({ selector, inAppWxss: true });
    }
  });
});
