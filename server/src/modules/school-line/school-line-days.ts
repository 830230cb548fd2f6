import { Injectable } from '@nestjs/common';
import type { SchoolCalendar } from '@baoxue/shared';
import { Between, type EntityManager } from 'typeorm';
import { ClassDays, type SchoolClassRef } from '../children/class-days';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { RollCall } from './school-line.entities';

/** The calendar and roll-call days the attendance rules read (plugged into AttendanceService by SchoolLineModule). */
@Injectable()
export class SchoolLineDays extends ClassDays {
  constructor(private readonly calendars: SchoolCalendars) {
    super();
  }

  calendarOf(manager: EntityManager, countyCode: string): Promise<SchoolCalendar> {
    return this.calendars.of(manager, countyCode);
  }

  async rollCallDays(manager: EntityManager, schoolClass: SchoolClassRef, from: string, to: string): Promise<Set<string>> {
    const rows = await manager.find(RollCall, { where: { ...schoolClass, day: Between(from, to) }, select: { id: true, day: true } });
    return new Set(rows.map((r) => r.day));
  }
}
