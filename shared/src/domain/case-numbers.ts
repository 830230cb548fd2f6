import { chinaDay } from './calendar';

/**
 * 案件编号: what people read, say on the phone and write in a ledger instead of a UUID — the county's
 * short name, the year the case opened (China time) and the county's sequence number of that year,
 * six digits: `光山-2026-000123`. The server reserves the numbers in the transaction that opens the
 * cases (a counter row per county and year), so a number is never given twice.
 */

/** Suffixes of a county-level division dropped from its short name (光山县 → 光山, 浉河区 → 浉河). */
const LONG_SUFFIXES = ['林区', '特区', '矿区'];
const SUFFIXES = ['县', '区', '市', '旗'];
/** A short name kept on a ledger line; longer names (none in the NBS list) are cut. */
const SHORT_NAME_MAX = 16;

/**
 * A county's short name, as ledgers write it: without its 县/区/市/旗 suffix (光山县 → 光山,
 * 项城市 → 项城, 神农架林区 → 神农架), an autonomous county by its first two characters
 * (长阳土家族自治县 → 长阳), and a name that would shrink to one character kept whole (新县).
 */
export function countyShortName(name: string): string {
  const full = name.trim();
  if (/自治[县旗]$/.test(full)) return full.slice(0, 2);
  for (const suffix of [...LONG_SUFFIXES, ...SUFFIXES]) {
    if (full.endsWith(suffix) && full.length - suffix.length >= 2) return full.slice(0, -suffix.length).slice(0, SHORT_NAME_MAX);
  }
  return full.slice(0, SHORT_NAME_MAX);
}

/** The year a case opened in, on China's clock: a case opened at 00:30 on 1 January (UTC+8) is of the new year. */
export function caseNumberYear(openedAt: Date): number {
  return Number(chinaDay(openedAt).slice(0, 4));
}

/**
 * The case number: `光山-2026-000123`. `countyName` is the county's name as stored (光山县); a county
 * without a name on record is written by its code's county part (411522).
 */
export function formatCaseNumber(county: { code: string; name: string | null | undefined }, year: number, sequence: number): string {
  const short = county.name?.trim() ? countyShortName(county.name) : county.code.slice(0, 6);
  return `${short}-${year}-${String(sequence).padStart(6, '0')}`;
}

const CASE_NUMBER = /^\s*([^\s-]{1,16})\s*-\s*(\d{4})\s*-\s*(\d{1,9})\s*$/;

/**
 * A case number as typed in a search box (`光山-2026-123`, spaces around the dashes), written as the
 * server stores it; null when the text is no case number (then it is a name).
 */
export function normalizeCaseNumber(text: string): string | null {
  const match = CASE_NUMBER.exec(text.replace(/[－—–]/g, '-'));
  if (!match) return null;
  const [, short, year, sequence] = match;
  return `${short}-${year}-${sequence!.padStart(6, '0')}`;
}
