import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call } from './request';

/** The county school calendar (BRIEF §4a): terms, holidays, 调休 school days, the county's own days. */
export type SchoolCalendarView = ResponseOf<'calendarGet'>;
export type CalendarDayView = SchoolCalendarView['days'][number];
export type CalendarTermView = SchoolCalendarView['terms'][number];

export const calendarApi = {
  get: (query: RequestQuery<'calendarGet'> = {}) => call('calendarGet', { query }),
  setTerms: (body: RequestBody<'calendarSetTerms'>) => call('calendarSetTerms', { body }),
  setDay: (day: string, body: RequestBody<'calendarSetDay'>) => call('calendarSetDay', { params: { day }, body }),
  resetDay: (day: string) => call('calendarResetDay', { params: { day } }),
};
