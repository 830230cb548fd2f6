import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * BRIEF §9 / issue 15: on a machine with only Node, `npm install && npm test` passes and leaves the
 * tree clean. These check the files that decide it, whichever packages the machine already holds.
 */
const REPO = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');

interface LockEntry {
  resolved?: string;
  link?: boolean;
  optionalDependencies?: Record<string, string>;
}
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };

/** Optional binaries their package names but the registry never published: npm cannot lock them. */
const UNPUBLISHED = new Set(
  ['darwin-arm64', 'darwin-x64', 'linux-arm64-gnu', 'win32-x64-msvc'].map((platform) => `@tarojs/binding-${platform}@4.2.1`),
);

/** The lockfile entry npm would use for `name` required from the package at `key`, as Node resolves it. */
function lockedFrom(key: string, name: string): LockEntry | undefined {
  let at = key;
  for (;;) {
    const entry = lock.packages[`${at ? `${at}/` : ''}node_modules/${name}`];
    if (entry || !at) return entry;
    const parent = at.lastIndexOf('/node_modules/');
    at = parent >= 0 ? at.slice(0, parent) : '';
  }
}

describe('a fresh machine', () => {
  it("finds every platform's optional binaries in the lockfile, so npm install on any platform adds none", () => {
    // npm drops other platforms' entries when a lockfile is written from an installed tree (DuckDB's bindings were)
    const missing = Object.entries(lock.packages).flatMap(([key, entry]) =>
      Object.entries(entry.optionalDependencies ?? {})
        .filter(([name, version]) => !lockedFrom(key, name) && !UNPUBLISHED.has(`${name}@${version}`))
        .map(([name]) => `${key || '(root)'} → ${name}`),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/@duckdb/node-bindings-'))).toHaveLength(8);
  });

  it('writes no registry address into the lockfile, whatever the npm configuration of the machine', () => {
    expect(read('.npmrc')).toMatch(/^omit-lockfile-registry-resolved=true$/m);
    const withAddress = Object.entries(lock.packages).filter(([, entry]) => entry.resolved && !entry.link);
    expect(withAddress.map(([key]) => key)).toEqual([]);
  });

  it('installs the font printed notices embed with the server, not from the system', () => {
    const server = JSON.parse(read('server/package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(server.dependencies)).toContain('@expo-google-fonts/noto-sans-sc');
  });

  it('runs in CI the test command the README gives', () => {
    const readme = read('README.md');
    const ci = read('.ci/run');
    expect(readme).toContain('To run the whole test suite:\n\n```sh\nnpm test\n```');
    expect(ci.split('\n').filter((line) => /^\s*npm (test|run test)\b/.test(line))).toEqual(['npm test']);
  });
});
