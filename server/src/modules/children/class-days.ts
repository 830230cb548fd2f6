import type { SchoolCalendar } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';

/** A class of a school, as the roster names it. */
export interface SchoolClassRef {
  schoolId: string;
  grade: number;
  className: string;
}

/**
 * What the attendance rules need from the school line: the county's school calendar, and the days a
 * class's roll call was taken (a pupil of the class without a mark that day was present). The
 * school-line module, which owns roll calls, plugs it into AttendanceService when it starts
 * (SchoolLineModule.onModuleInit): it imports children, so children cannot import it.
 */
export abstract class ClassDays {
  abstract calendarOf(manager: EntityManager, countyCode: string): Promise<SchoolCalendar>;

  /** The days from `from` to `to` (inclusive) on which the class's roll call was taken. */
  abstract rollCallDays(manager: EntityManager, schoolClass: SchoolClassRef, from: string, to: string): Promise<Set<string>>;
}
