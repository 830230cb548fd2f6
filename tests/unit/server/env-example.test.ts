import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, EXAMPLE_PLACEHOLDER, envSchema, loadConfig } from '../../../server/src/config/config.schema';

/**
 * Issue 15 item 8: `.env.example` at the repository root holds every variable config.schema.ts
 * requires in production, each explained by a comment, and nothing the server does not read; filled
 * in, it starts a production server, and left as it is, it does not.
 */
const EXAMPLE = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
const lines = EXAMPLE.split('\n');

/** `NAME=value` lines, as `node --env-file` and systemd's EnvironmentFile read them. */
const assignments = new Map(
  lines.flatMap((line, index) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match ? [[match[1]!, { value: match[2]!, index }] as const] : [];
  }),
);
/** Optional variables shown commented out: `# NAME=value`. */
const commentedOut = new Set(lines.flatMap((line) => /^# ([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []));
const exampleEnv = () => Object.fromEntries([...assignments].map(([name, { value }]) => [name, value]));
/** What an operator does with the file: every placeholder replaced by this deployment's own value. */
const filledIn = () =>
  Object.fromEntries(
    Object.entries(exampleEnv()).map(([name, value]) => [
      name,
      value.includes(EXAMPLE_PLACEHOLDER)
        ? value.replace(EXAMPLE_PLACEHOLDER, `${name.toLowerCase()}-of-this-county-0123456789abcdef`)
        : value,
    ]),
  );

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split('\n').slice(1);
  }
}

/** The variables named by the production rules of config.schema.ts when nothing is set. */
const requiredInProduction = problemsOf({ APP_MODE: 'production' }).flatMap((problem) => problem.trim().split(':')[0]!.split(', '));

describe('.env.example', () => {
  it('names every variable production requires, and the rules do require some', () => {
    expect(requiredInProduction).toEqual(expect.arrayContaining(['WECHAT_API_BASE', 'WECHAT_APP_SECRET', 'FILE_URL_SECRET']));
    const missing = ['APP_MODE', ...requiredInProduction].filter((name) => !assignments.has(name));
    expect(missing).toEqual([]);
    expect(assignments.get('APP_MODE')!.value).toBe('production');
  });

  it('explains each required variable with a comment just above it (or above its group)', () => {
    for (const name of requiredInProduction) {
      let above = assignments.get(name)!.index - 1;
      while (above >= 0 && /^[A-Z][A-Z0-9_]*=/.test(lines[above]!)) above -= 1;
      expect({ name, comment: lines[above]?.startsWith('# ') ?? false }).toEqual({ name, comment: true });
    }
  });

  it('sets or shows only variables the server reads', () => {
    const known = Object.keys(envSchema.shape);
    expect([...assignments.keys(), ...commentedOut].filter((name) => !known.includes(name))).toEqual([]);
  });

  it('starts a production server once filled in: every required variable is there and valid', () => {
    expect(problemsOf(filledIn())).toEqual([]);
    const config = loadConfig(filledIn());
    expect(config).toMatchObject({ mode: 'production', seedDemo: false, http: { host: '127.0.0.1', trustProxy: 1 } });
    expect(config.auth.devLogin).toBe(false);
    // and each required variable is needed: without it the server refuses to start
    for (const name of requiredInProduction) {
      const { [name]: _, ...without } = filledIn();
      expect({ name, refused: problemsOf(without).some((p) => p.includes(name)) }).toEqual({ name, refused: true });
    }
  });

  it('does not start a production server as it is: every placeholder is refused by name', () => {
    const placeholders = [...assignments].filter(([, { value }]) => value.includes(EXAMPLE_PLACEHOLDER)).map(([name]) => name);
    expect(placeholders).toEqual(expect.arrayContaining(['WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'FILE_URL_SECRET']));
    const problems = problemsOf(exampleEnv());
    for (const name of placeholders)
      expect(problems).toContain(`  ${name}: still the placeholder of .env.example; set this deployment's own value`);
  });
});
