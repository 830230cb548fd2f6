import { Injectable } from '@nestjs/common';
import type { SchoolCalendar } from '@baoxue/shared';
import { Brackets, type EntityManager } from 'typeorm';
import { ClassDays, classKey, type SchoolClassRef } from '../children/class-days';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { RollCall } from './school-line.entities';

/** Classes asked about in one query (the daily monitor asks for a batch of pupils' classes at once). */
const CLASSES_PER_QUERY = 200;

/** The calendar and roll-call days the attendance rules read (plugged into AttendanceService by SchoolLineModule). */
@Injectable()
export class SchoolLineDays extends ClassDays {
  constructor(private readonly calendars: SchoolCalendars) {
    super();
  }

  calendarOf(manager: EntityManager, countyCode: string): Promise<SchoolCalendar> {
    return this.calendars.of(manager, countyCode);
  }

  async rollCallDays(manager: EntityManager, classes: SchoolClassRef[], from: string, to: string): Promise<Map<string, Set<string>>> {
    const taken = new Map<string, Set<string>>();
    for (let i = 0; i < classes.length; i += CLASSES_PER_QUERY) {
      const chunk = classes.slice(i, i + CLASSES_PER_QUERY);
      const rows = await manager
        .createQueryBuilder(RollCall, 'rc')
        .select('rc.school_id', 'schoolId')
        .addSelect('rc.grade', 'grade')
        .addSelect('rc.class_name', 'className')
        .addSelect('rc.day', 'day')
        .where('rc.day >= :from AND rc.day <= :to', { from, to })
        .andWhere(
          new Brackets((any) =>
            chunk.forEach((c, j) =>
              any.orWhere(`(rc.school_id = :school${j} AND rc.grade = :grade${j} AND rc.class_name = :class${j})`, {
                [`school${j}`]: c.schoolId,
                [`grade${j}`]: c.grade,
                [`class${j}`]: c.className,
              }),
            ),
          ),
        )
        .getRawMany<{ schoolId: string; grade: number | string; className: string; day: string }>();
      for (const row of rows) {
        const key = classKey({ schoolId: row.schoolId, grade: Number(row.grade), className: row.className });
        taken.set(key, (taken.get(key) ?? new Set()).add(row.day));
      }
    }
    return taken;
  }
}
