import { newId, newReadableCode } from '../../../server/src/common/ids';

describe('ids', () => {
  it('are UUIDv7: unique, and sorted by the millisecond they were made in', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => newId(1_764_000_000_000 + Math.floor(i / 100)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 100).every((id) => id < ids[100]!)).toBe(true);
  });

  it('make readable codes from every letter and digit but 0, 1, I and O, evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const code = newReadableCode(8);
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 32 000 characters over 32 symbols: 1 000 each, far from 800 or 1 200 only if biased
    for (const n of counts.values()) expect(Math.abs(n - 1_000)).toBeLessThan(200);
  });
});
