import { chinaDay, endOfChinaDay, schoolDaysFrom, type CountySettings, type SchoolCalendar } from '@baoxue/shared';
import type { DueKind } from './case.entity';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DUE_LABELS: Record<DueKind, string> = {
  accept: '受理线索',
  verify: '完成核查',
  first_visit: '首次家访',
  notice: '发出《限期返校通知书》',
  notice_deadline: '通知书限期返校',
  attendance: '核验返校出勤并销号',
  school_confirmation: '接收学校确认就读',
};

/**
 * When the next step of a case is due, by the county's rules (BRIEF §4 time limits). The limits in
 * school days (the 销号 window) follow the county's calendar when one is given.
 */
export function deadline(kind: DueKind, from: Date, settings: CountySettings, calendar?: SchoolCalendar): Date {
  switch (kind) {
    case 'accept':
      return new Date(from.getTime() + settings.acknowledgeHours * HOUR);
    case 'verify':
    case 'school_confirmation':
      return new Date(from.getTime() + settings.verifyDays * DAY);
    case 'first_visit':
      return new Date(from.getTime() + settings.firstVisitDays * DAY);
    case 'notice':
      return new Date(from.getTime() + settings.noticeDays * DAY);
    case 'attendance': {
      // the end of the window's last school day; without a calendar, its weekdays and weekends
      const last = calendar ? schoolDaysFrom(chinaDay(from), settings.closeWindowDays, calendar).at(-1) : undefined;
      return last ? endOfChinaDay(last) : new Date(from.getTime() + Math.ceil((settings.closeWindowDays * 7) / 5) * DAY);
    }
    case 'notice_deadline':
      return from;
  }
}
