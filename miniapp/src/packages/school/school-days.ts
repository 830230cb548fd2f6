import { ABSENCE_REASON_LABELS, isPresentMark } from '@baoxue/shared';
import type { AbsenceReason } from '@baoxue/shared';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 2026-11-23 → 11月23日 星期一 (the day as a calendar date, whatever the phone's zone). */
export function dayWithWeekday(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay();
  return `${month}月${date}日 星期${WEEKDAYS[weekday]}`;
}

/** 2026-11-23 → 11/23 周一, for the week grid's head. */
export function shortDay(day: string): { date: string; weekday: string } {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return { date: `${month}/${date}`, weekday: `周${WEEKDAYS[new Date(Date.UTC(year, month - 1, date)).getUTCDay()]}` };
}

/** The China-time clock of a moment: 08:12. */
export function takenAtTime(iso: string | null): string {
  if (!iso) return '';
  const china = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return `${String(china.getUTCHours()).padStart(2, '0')}:${String(china.getUTCMinutes()).padStart(2, '0')}`;
}

export type WeekMark = AbsenceReason | 'present';

/** The week grid's one-character symbols, and what each means. */
export const MARK_SYMBOLS: Record<WeekMark, string> = { present: '√', sick: '病', personal: '事', unexcused: '旷', late: '迟' };
export const MARK_LEGEND: ReadonlyArray<{ mark: WeekMark; text: string }> = [
  { mark: 'present', text: '√ 出勤' },
  { mark: 'sick', text: `病 ${ABSENCE_REASON_LABELS.sick}` },
  { mark: 'personal', text: `事 ${ABSENCE_REASON_LABELS.personal}` },
  { mark: 'unexcused', text: `旷 ${ABSENCE_REASON_LABELS.unexcused}` },
  { mark: 'late', text: `迟 ${ABSENCE_REASON_LABELS.late}` },
];

export function markClass(mark: WeekMark): string {
  if (mark === 'present' || isPresentMark(mark)) return mark === 'present' ? 'mark-present' : 'mark-excused';
  return mark === 'unexcused' ? 'mark-absent' : 'mark-excused';
}

/** A page parameter as typed (a class name like 2班): WeChat and Taro's H5 router hand them over still percent-encoded. */
export function decodedParam(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
