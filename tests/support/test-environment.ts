import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

/**
 * Node's test environment, with a temporary directory of each jest worker's own: the server under
 * test spools uploads to os.tmpdir(), and a test that looks there for stray files must not find
 * another worker's (another tier's, another run's). Set here, when the worker loads the environment,
 * because os.tmpdir() reads the worker's real environment, which a test file's `process.env` (a copy)
 * does not reach.
 */
if (!process.env.BX_WORKER_TMPDIR) {
  const dir = mkdtempSync(join(tmpdir(), 'bx-jest-'));
  // open to all, sticky, like /tmp: the fault tests' MariaDB servers run as user mysql and use it too
  chmodSync(dir, 0o1777);
  process.env.BX_WORKER_TMPDIR = dir;
  process.env.TMPDIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

export default TestEnvironment;
