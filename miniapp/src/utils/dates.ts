import { chinaDay } from '@baoxue/shared';

/** Today as the API takes it (YYYY-MM-DD): China time, like the server, wherever the phone is set. */
export function today(): string {
  return chinaDay(new Date());
}

/** Whole months from one ISO day to another, as placement rules count time out of school. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return Math.max(0, (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0));
}

/** 2024-09-01 → 2024年9月1日, as formal notices write dates. */
export function chineseDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${year}年${month}月${date}日`;
}

/** 26 hours → 1天2小时: how late something is. */
export function hoursLabel(hours: number): string {
  if (hours < 24) return `${hours}小时`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days}天${rest}小时` : `${days}天`;
}
