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

  /** The days from `from` to `to` (inclusive) on which each class's roll call was taken, by `classKey`. */
  abstract rollCallDays(manager: EntityManager, classes: SchoolClassRef[], from: string, to: string): Promise<Map<string, Set<string>>>;
}

/** One string per class (a map key). */
export function classKey(schoolClass: SchoolClassRef): string {
  return `${schoolClass.schoolId}:${schoolClass.grade}:${schoolClass.className}`;
}
