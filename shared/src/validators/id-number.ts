import { formatIsoDate, parseBirthDate } from './calendar-date';
import { normalizeIdentifier } from './normalize';

// GB 11643-1999 居民身份证号: 6-digit area, 8-digit birth date, 3-digit sequence, check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

export type IdNumberProblem = 'empty' | 'fifteen_digits' | 'format' | 'birth_date' | 'check_digit';

export type IdNumberResult =
  | {
      ok: true;
      value: string;
      areaCode: string;
      birthDate: string;
      sex: 'male' | 'female';
    }
  | { ok: false; problem: IdNumberProblem; message: string };

export const ID_NUMBER_MESSAGES: Record<IdNumberProblem, string> = {
  empty: '请填写身份证号',
  fifteen_digits: '请填写18位身份证号（15位旧号码需换算为18位）',
  format: '身份证号应为17位数字加1位校验码（数字或X）',
  birth_date: '身份证号中的出生日期不是有效日期',
  check_digit: '身份证号校验位不正确，请核对',
};

/** The check character for the first 17 digits of an ID number. */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

function fail(problem: IdNumberProblem): IdNumberResult {
  return { ok: false, problem, message: ID_NUMBER_MESSAGES[problem] };
}

/**
 * Validates an ID number exactly. An unknown leading area code is accepted on purpose: people keep
 * the codes of counties that have since been renamed or merged.
 */
export function parseIdNumber(input: string, today: Date = new Date()): IdNumberResult {
  const value = normalizeIdentifier(input);
  if (value === '') return fail('empty');
  if (/^\d{15}$/.test(value)) return fail('fifteen_digits');
  if (!/^\d{17}[\dX]$/.test(value)) return fail('format');
  const birth = parseBirthDate(value.slice(6, 14), today);
  if (!birth) return fail('birth_date');
  const birthDate = formatIsoDate(birth);
  if (idNumberCheckCharacter(value.slice(0, 17)) !== value[17]) return fail('check_digit');
  return {
    ok: true,
    value,
    areaCode: value.slice(0, 6),
    birthDate,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

export function isValidIdNumber(input: string): boolean {
  return parseIdNumber(input).ok;
}

/** `411522200801011238` → `411522********1238`: area code and last four stay visible. */
export function maskIdNumber(value: string): string {
  if (value.length <= 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

/** The one way a nullable ID number leaves the server: masked, or null when none is known. */
export function maskedOrNull(value: string | null | undefined): string | null {
  return value ? maskIdNumber(value) : null;
}
