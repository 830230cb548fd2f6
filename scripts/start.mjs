#!/usr/bin/env node
// `npm start`: builds what is out of date and starts the product on http://localhost:3000 —
// the API under /api, the H5 app at /, the embedded SQLite database under ./data/ with the demo
// county loaded and the fake WeChat API in-process (APP_MODE=demo unless set otherwise).
import { spawn, spawnSync } from 'node:child_process';
import { isStale } from './lib/freshness.mjs';

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// TypeScript project references rebuild only what changed.
run('npx', ['tsc', '-b', 'shared', 'server']);

if (isStale('miniapp/dist/h5/index.html')) {
  console.log('building the H5 app…');
  run('npm', ['run', 'build:h5']);
}

const server = spawn(process.execPath, ['server/dist/main.js'], {
  stdio: 'inherit',
  env: { APP_MODE: 'demo', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
