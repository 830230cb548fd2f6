import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { atMost, fmt, type Figure, type SectionResult } from '../lib/figures';
import type { BenchContext, Section } from '../lib/context';
import { timeRoleHomes, TIMED_HOMES } from '../lib/h5-home';
import { ROOT } from '../lib/server';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** WeChat counts a package as the files uploaded: everything but source maps. */
const counted = (file: string) => !file.endsWith('.map');

/**
 * 6. Mini program: the weapp build's main package and each subpackage against WeChat's limits
 * (goals: main ≤ 400 KB, each subpackage ≤ 600 KB; WeChat allows 2 MB each).
 */
export const miniappSection: Section = {
  key: 'miniapp',
  title: '6. Mini program (weapp package sizes, H5 time to the role home)',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const out = join(ctx.tmp, 'weapp');
    ctx.log('miniapp: taro build --type weapp');
    const started = performance.now();
    execFileSync('npm', ['run', '--silent', 'build:weapp', '-w', 'miniapp'], {
      cwd: ROOT,
      env: { ...process.env, BX_OUTPUT_ROOT: out, NODE_ENV: 'production', TARO_APP_API_BASE: 'https://baoxue.example.org/api' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const buildSeconds = (performance.now() - started) / 1000;
    const app = JSON.parse(readFileSync(join(out, 'app.json'), 'utf8')) as {
      subPackages?: Array<{ root: string }>;
      subpackages?: Array<{ root: string }>;
    };
    const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
    const sizes = new Map<string, number>([['main', 0], ...roots.map((r) => [r, 0] as [string, number])]);
    for (const file of filesUnder(out).filter(counted)) {
      const path = relative(out, file);
      const root = roots.find((r) => path.startsWith(`${r}/`)) ?? 'main';
      sizes.set(root, sizes.get(root)! + statSync(file).size);
    }
    rmSync(out, { recursive: true, force: true });
    const kb = (bytes: number) => bytes / 1024;
    const figures: Figure[] = [...sizes].map(([name, bytes]) => ({
      label: name === 'main' ? 'main package' : `subpackage ${name}`,
      unit: 'KB',
      better: 'lower' as const,
      samples: [kb(bytes)],
      baseline: { label: "WeChat's limit", unit: 'KB', samples: [2048] },
      goals: [atMost(kb(bytes), name === 'main' ? 400 : 600, 'KB')],
    }));
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);

    const repeats = ctx.quick ? 2 : 5;
    const homes = await timeRoleHomes(ctx, repeats);
    const bareCold = { label: 'bare static page, cold', unit: 'ms', samples: homes.bareCold };
    const bareWarm = { label: 'bare static page, warm', unit: 'ms', samples: homes.bareWarm };
    for (const home of TIMED_HOMES) {
      figures.push(
        {
          label: `H5 ${home.account} home, cold cache`,
          unit: 'ms',
          better: 'lower',
          samples: homes.cold.get(home.account)!,
          baseline: bareCold,
          goals: [],
        },
        {
          label: `H5 ${home.account} home, warm cache`,
          unit: 'ms',
          better: 'lower',
          samples: homes.warm.get(home.account)!,
          baseline: bareWarm,
          goals: [],
        },
      );
    }
    return {
      key: 'miniapp',
      title: this.title,
      setup: [
        `\`taro build --type weapp\` (production) into a scratch directory: ${fmt(buildSeconds)} s. Sizes are the files WeChat uploads (source maps left out), by package root from the built app.json; ${fmt(kb(total))} KB in all. The ratio is the size ÷ WeChat's 2 MB limit per package.`,
        `H5: \`taro build --type h5\` (production, ${fmt(homes.buildSeconds)} s) served by the real server on MariaDB with the demo county. Each role signs in once; then, ${repeats} times, a new phone-sized Chromium context with that stored session opens the app (cold: empty HTTP cache and no copy of this build, so the server sends the page with the entry inside it) and, once that page has cached the entry, opens it again (warm). The time runs from \`goto\` until the user card and the role's own section are visible, as measured by the driver. Baseline: a bare static HTML page from the same server, cold and warm, in the same loop.`,
      ],
      figures,
      notes: [
        'The issue sets no goal for the H5 time; the ratio to a bare page shows what the app itself costs (its JavaScript, the session check and the role summary requests).',
      ],
    };
  },
};
