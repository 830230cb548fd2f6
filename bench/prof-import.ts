import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { createDatabase, demoToken, connect } from './lib/mysql';
import { startServer } from './lib/server';
import { summariseProfiles } from './lib/profile';

async function main() {
  const dir = '/tmp/prof/import';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = await createDatabase('profimport');
  const t0 = performance.now();
  const server = await startServer({ databaseUrl: db.url, logFile: '/tmp/prof/server.log', cpuProfileDir: dir });
  const boot = performance.now() - t0;
  const conn = await connect(db.url);
  const admin = await demoToken(conn, 'county-admin');
  for (const kind of ['household', 'roster']) {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(`bench/data/${kind}-50000.csv`)]), `${kind}.csv`);
    const s = performance.now();
    const r = await fetch(`${server.url}/api/registry/imports?kind=${kind}`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: form });
    const { id } = (await r.json()) as { id: string };
    for (;;) {
      const v = (await (await fetch(`${server.url}/api/registry/imports/${id}`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { status: string };
      if (v.status !== 'running') { console.log(kind, v.status, ((performance.now() - s) / 1000).toFixed(1), 's'); break; }
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  await conn.end();
  await server.stop();
  await db.drop();
  console.log(summariseProfiles(dir, 25, boot));
}
main();
