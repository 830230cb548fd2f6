#!/usr/bin/env node
// `npm start`: builds what is out of date and starts the product on http://localhost:3000 —
// the API under /api, the H5 app at /, the embedded SQLite database under ./data/ with the demo
// county loaded and the fake WeChat API in-process (APP_MODE=demo unless set otherwise).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Newest modification time of any file under these paths. */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'dist') visit(join(path, entry));
    } else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}

// TypeScript project references rebuild only what changed.
run('npx', ['tsc', '-b', 'shared', 'server']);

const h5Index = 'miniapp/dist/h5/index.html';
const sources = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'shared/src'];
if (!existsSync(h5Index) || statSync(h5Index).mtimeMs < newest(sources)) {
  console.log('building the H5 app…');
  run('npm', ['run', 'build:h5']);
}

const server = spawn(process.execPath, ['server/dist/main.js'], {
  stdio: 'inherit',
  env: { APP_MODE: 'demo', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
