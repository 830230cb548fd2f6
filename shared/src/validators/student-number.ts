import { formatIsoDate, parseBirthDate } from './calendar-date';
import { parseIdNumber } from './id-number';
import { normalizeIdentifier } from './normalize';

/**
 * 全国学籍号: 19 characters.
 *  - G + ID number: formal, the pupil has an ID card (the ID number must be valid);
 *  - J + an ID-shaped number: formal, no ID card (area, real birth date, sequence, check character);
 *  - L + 6-digit area + 8-digit birth date + 4 random characters: temporary.
 */
export type StudentNumberKind = 'formal_id' | 'formal_no_id' | 'temporary';

export type StudentNumberResult = { ok: true; value: string; kind: StudentNumberKind; birthDate: string } | { ok: false; message: string };

const LENGTH_MESSAGE = '学籍号应为19位：G、J或L开头';

export function parseStudentNumber(input: string, today: Date = new Date()): StudentNumberResult {
  const value = normalizeIdentifier(input);
  if (value === '') return { ok: false, message: '请填写学籍号' };
  if (value.length !== 19) return { ok: false, message: LENGTH_MESSAGE };
  const prefix = value[0];
  const rest = value.slice(1);
  if (prefix === 'G') {
    const id = parseIdNumber(rest, today);
    if (!id.ok) return { ok: false, message: `G字头学籍号后18位应为有效身份证号：${id.message}` };
    return { ok: true, value, kind: 'formal_id', birthDate: id.birthDate };
  }
  if (prefix === 'J') {
    if (!/^\d{17}[\dX]$/.test(rest)) return { ok: false, message: 'J字头学籍号后18位应为17位数字加1位校验码' };
    const birth = parseBirthDate(rest.slice(6, 14), today);
    if (!birth) return { ok: false, message: 'J字头学籍号中的出生日期不是有效日期' };
    return { ok: true, value, kind: 'formal_no_id', birthDate: formatIsoDate(birth) };
  }
  if (prefix === 'L') {
    if (!/^\d{14}[0-9A-Z]{4}$/.test(rest)) {
      return { ok: false, message: 'L字头临时学籍号应为6位地区码、8位出生日期和4位随机码' };
    }
    const birth = parseBirthDate(rest.slice(6, 14), today);
    if (!birth) return { ok: false, message: 'L字头学籍号中的出生日期不是有效日期' };
    return { ok: true, value, kind: 'temporary', birthDate: formatIsoDate(birth) };
  }
  return { ok: false, message: LENGTH_MESSAGE };
}

export function maskStudentNumber(value: string): string {
  return value.length === 19 ? value.slice(0, 7) + '*'.repeat(8) + value.slice(-4) : '*'.repeat(value.length);
}
