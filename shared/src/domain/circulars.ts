import { countyShortName } from './case-numbers';

/**
 * 通报 (BRIEF §5a, issue 18 part 4): a county education bureau publishes a scorecard of a period to
 * every township and school, as a numbered document (文号) with a locked copy of the figures.
 */

/** What a 通报 ranks: the county's townships or its schools. */
export const CIRCULAR_TABLES = { township: '各乡镇', school: '各学校' } as const;
export type CircularTable = keyof typeof CIRCULAR_TABLES;

export const CIRCULAR_TITLE_MAX = 60;
export const CIRCULAR_COMMENT_MAX = 1000;

/**
 * The document number 文号: `光山教通〔2026〕3号` — the county's short name, 教通 (教育局通报), the year
 * in 〔〕 and the county's yearly sequence. A county without a name on record is written by its code.
 */
export function formatCircularNumber(county: { code: string; name: string | null | undefined }, year: number, sequence: number): string {
  const short = county.name?.trim() ? countyShortName(county.name) : county.code.slice(0, 6);
  return `${short}教通〔${year}〕${sequence}号`;
}

/** A scorecard figure as printed and shown: hours to a tenth, a share in per cent, a count as it is. */
export function scorecardValueText(kind: 'hours' | 'share' | 'count', value: number | null): string {
  if (value === null) return '—';
  if (kind === 'hours') return `${value.toFixed(1)}小时`;
  if (kind === 'share') return `${(value * 100).toFixed(1)}%`;
  return String(value);
}

/** What a figure is computed from, under its value: 2/3, or how many cases a median is over. */
export function scorecardBasisText(
  kind: 'hours' | 'share' | 'count',
  figure: { numerator: number | null; denominator: number | null },
): string {
  if (kind === 'hours') return `${figure.denominator ?? 0}件`;
  if (kind === 'share') return `${figure.numerator ?? 0}/${figure.denominator ?? 0}`;
  return '';
}

/** `2026-12-06` → `2026年12月6日`, as a document is dated. */
export function chineseDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${year}年${month}月${date}日`;
}
