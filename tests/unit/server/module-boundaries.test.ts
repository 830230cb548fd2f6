import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The module boundaries `npm run lint` checks (.dependency-cruiser.cjs), run on a small tree of
 * its own: an entity imported by another module and a cycle between two module folders each fail;
 * the owner's records class and an abstract class provided from above pass.
 */
const ROOT = join(__dirname, '../../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bx-boundaries-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    // the project's rules, without its tsconfig (the small tree has plain relative imports)
    writeFileSync(
      join(dir, 'rules.cjs'),
      `const project = require(${JSON.stringify(join(ROOT, '.dependency-cruiser.cjs'))});\n` +
        'module.exports = { ...project, options: { ...project.options, tsConfig: undefined } };\n',
    );
    const run = spawnSync(DEPCRUISE, ['server/src', '--config', 'rules.cjs', '--output-type', 'err'], { cwd: dir, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CHILD_ENTITY = 'export class Child { id = ""; }\n';
const CHILD_RECORDS =
  "import { Child } from './child.entity';\nexport type ChildRow = Child;\nexport class ChildRecords { byId(id: string): ChildRow { return { id }; } }\n";

describe('module boundaries (npm run lint)', () => {
  it('passes a module that reads another module through the records class it exports', () => {
    const result = cruise({
      'server/src/modules/children/child.entity.ts': CHILD_ENTITY,
      'server/src/modules/children/child-records.ts': CHILD_RECORDS,
      'server/src/modules/cases/cases.service.ts':
        "import { ChildRecords } from '../children/child-records';\nexport const names = new ChildRecords().byId('1');\n",
    });
    expect(result).toMatchObject({ status: 0 });
  });

  it('fails a module that imports another module’s entity', () => {
    const result = cruise({
      'server/src/modules/children/child.entity.ts': CHILD_ENTITY,
      'server/src/modules/cases/cases.service.ts': "import { Child } from '../children/child.entity';\nexport const child = new Child();\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-foreign-entity');
  });

  it('fails two module folders that depend on each other', () => {
    const result = cruise({
      'server/src/modules/children/child-merge.ts':
        "import { caseCount } from '../cases/case-count';\nexport const merged = caseCount + 1;\n",
      'server/src/modules/cases/case-count.ts':
        "import { CHILD_KIND } from '../children/child-kind';\nexport const caseCount = CHILD_KIND.length;\n",
      'server/src/modules/children/child-kind.ts': "export const CHILD_KIND = 'child';\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-folder-cycle');
  });
});
