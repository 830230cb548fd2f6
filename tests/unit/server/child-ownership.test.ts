import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One child, one record: the child registry (server/src/modules/children) is the only code that
 * creates a child or changes who a child is. Anywhere else, a write to `children` is found here.
 * Seeds and the bench's county generator write whole fixtures and are left out.
 */
const SERVER = join(__dirname, '../../../server/src');
const OWNER = 'modules/children/';
const FIXTURES = ['database/seed/', 'database/generator/', 'database/migrations/'];
const IDENTITY = [
  'name',
  'nameKey',
  'sex',
  'idNumber',
  'studentNumber',
  'birthDate',
  'birthYear',
  'birthYearExact',
  'villageCode',
  'schoolId',
  'countyCode',
  'mergedIntoId',
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The text of a call's argument list starting at `open` (the index of its opening parenthesis). */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

describe('the child registry owns the child', () => {
  const files = sources(SERVER)
    .map((path) => ({ path: relative(SERVER, path), text: readFileSync(path, 'utf8') }))
    .filter((f) => !f.path.startsWith(OWNER) && !FIXTURES.some((prefix) => f.path.startsWith(prefix)));

  it('no other module inserts children', () => {
    const inserts = files.flatMap((f) =>
      [
        ...f.text.matchAll(
          /\b(?:insert|save|bulkInsert)\((?:\s*manager\s*,)?\s*Child\s*[,)]|\.into\(Child\)|\.insert\(\)\s*\.into\(Child\)/g,
        ),
      ].map((m) => `${f.path}: ${m[0]}`),
    );
    expect(inserts).toEqual([]);
  });

  it('no other module updates who a child is', () => {
    const updates = files.flatMap((f) =>
      [...f.text.matchAll(/\bupdate\(\s*Child\s*,/g)].flatMap((m) => {
        const args = callArguments(f.text, m.index! + m[0].indexOf('('));
        const changed = IDENTITY.filter((column) => new RegExp(`\\b${column}\\s*:`).test(args.slice(args.indexOf('}') + 1)));
        return changed.length ? [`${f.path}: ${changed.join(', ')}`] : [];
      }),
    );
    const builderUpdates = files.flatMap((f) => [...f.text.matchAll(/\.update\(Child\)/g)].map(() => `${f.path}: .update(Child)`));
    expect([...updates, ...builderUpdates]).toEqual([]);
  });

  it('finds a write it should refuse (the scan itself works)', () => {
    const text = "await manager.update(Child, { id }, { idNumber: '1' });";
    const match = /\bupdate\(\s*Child\s*,/.exec(text)!;
    const args = callArguments(text, match.index + match[0].indexOf('('));
    expect(IDENTITY.filter((c) => new RegExp(`\\b${c}\\s*:`).test(args.slice(args.indexOf('}') + 1)))).toEqual(['idNumber']);
  });
});
