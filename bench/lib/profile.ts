import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: the npm package, the product's own code, or Node itself. */
function owner(url: string): string {
  if (!url) return '(native / GC / idle)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node core';
  const own = /\/(server|shared)\/dist\/(.*)$/.exec(url);
  if (own) return `${own[1]}: ${own[2]!.split('/').slice(0, 2).join('/')}`;
  return url;
}

/**
 * Self time of a V8 CPU profile (`node --cpu-prof`), grouped by package and by function: the short
 * answer to "where does the server spend its time". Idle time is left out of the shares, and so is
 * the first `skipMs` of the profile: the server's boot (module loading and compiling), which would
 * otherwise pass for work done under load.
 */
export function summariseProfiles(dir: string, top = 8, skipMs = 0): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let elapsed = 0;
    profile.samples.forEach((id, i) => {
      elapsed += profile.timeDeltas[i] ?? 0;
      if (elapsed < skipMs * 1000) return;
      const node = nodes.get(id)!;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') return;
      const micros = profile.timeDeltas[i] ?? 0;
      busy += micros;
      const who = functionName === '(garbage collector)' ? 'garbage collector' : owner(url);
      byOwner.set(who, (byOwner.get(who) ?? 0) + micros);
      const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/(server|shared)\/dist\//, '$1/')}:${lineNumber + 1}` : ''}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    });
  }
  if (!busy) return '(empty profile)';
  const share = (m: number) => `${((m / busy) * 100).toFixed(1)} %`;
  const rank = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `CPU time of the server process while busy under load (boot left out): ${(busy / 1e6).toFixed(1)} s. By package (self time):`,
    '',
    '| package | share |',
    '|---|---|',
    ...rank(byOwner).map(([k, v]) => `| ${k} | ${share(v)} |`),
    '',
    'Hottest functions (self time):',
    '',
    '| function | share |',
    '|---|---|',
    ...rank(byFunction).map(([k, v]) => `| \`${k.trim()}\` | ${share(v)} |`),
  ].join('\n');
}
