import { formatIsoDate, parseCompactDate } from '@baoxue/shared';

const FULL_WIDTH = /[\u3000\uff01-\uff5e]/;

/**
 * A date cell as officials write it, as a calendar day (`2026-09-01`), or null when it is not a
 * real date. Accepts 2026-09-01, 2026/9/1, 2026.9.1, 2026年9月1日, 20260901 and full-width digits;
 * date-formatted cells arrive as `2026-09-01` already (cellText).
 */
export function parseDateCell(text: string): string | null {
  // normalising costs more than the rest: only full-width text needs it (million-row imports)
  const value = (FULL_WIDTH.test(text) ? text.normalize('NFKC') : text).replace(/\s/g, '');
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const date = parseCompactDate(`${match[1]}${match[2]!.padStart(2, '0')}${match[3]!.padStart(2, '0')}`);
  return date ? formatIsoDate(date) : null;
}
