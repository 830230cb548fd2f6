import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEAPP_DIST } from '../support/weapp';

/**
 * The desktop data tables (components/data-table.h5.tsx, the inbox's case panel, 批量分派, the
 * county's column sets) are H5 only (issue 16): the mini program always shows the phone cards.
 */
const DESKTOP_TABLE_MARKERS = [
  'data-table-row',
  'data-table-bulk',
  'inbox-desktop',
  'bulk-route',
  'matchMedia',
  '批量分派',
  '批量提醒家长',
  '导出所选',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the weapp build', () => {
  test('carries none of the desktop data tables', () => {
    const found = filesUnder(WEAPP_DIST)
      .filter((file) => /\.(js|wxss|wxml|json)$/.test(file))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return DESKTOP_TABLE_MARKERS.filter((marker) => text.includes(marker)).map((marker) => `${file}: ${marker}`);
      });
    expect(found).toEqual([]);
  });
});
