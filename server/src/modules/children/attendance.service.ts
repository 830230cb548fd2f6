import { Injectable } from '@nestjs/common';
import type { AttendanceSummary, CountySettings } from '@baoxue/shared';
import { MoreThanOrEqual, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { newId } from '../../common/ids';
import { AttendanceDay } from './attendance.entity';

export interface AttendanceEntry {
  day: string;
  present: boolean;
  excused: boolean;
}

/**
 * School attendance of a child. Recording the same day again replaces it. The 销号 rule: present
 * on at least N of the first M school days after the return (default 20 of 30).
 */
@Injectable()
export class AttendanceService {
  constructor(private readonly clock: Clock) {}

  async record(
    manager: EntityManager,
    childId: string,
    schoolId: string,
    entries: AttendanceEntry[],
    recordedBy: string | null,
    source: 'school' | 'import',
  ): Promise<void> {
    const now = this.clock.now();
    for (const entry of entries) {
      const existing = await manager.findOneBy(AttendanceDay, { childId, day: entry.day });
      if (existing)
        await manager.update(
          AttendanceDay,
          { id: existing.id },
          { present: entry.present, excused: entry.excused, schoolId, recordedBy, recordedAt: now, source },
        );
      else
        await manager.insert(AttendanceDay, {
          id: newId(),
          childId,
          schoolId,
          day: entry.day,
          present: entry.present,
          excused: entry.excused,
          source,
          recordedBy,
          recordedAt: now,
        });
    }
  }

  async summary(manager: EntityManager, childId: string, returnedOn: string | null, settings: CountySettings): Promise<AttendanceSummary> {
    const base = { returnedOn, required: settings.closeMinPresentDays, window: settings.closeWindowDays };
    if (!returnedOn) return { ...base, recorded: 0, present: 0, satisfied: false, days: [] };
    const days = await manager.find(AttendanceDay, {
      where: { childId, day: MoreThanOrEqual(returnedOn) },
      order: { day: 'ASC' },
      take: settings.closeWindowDays,
    });
    const present = days.filter((d) => d.present).length;
    return {
      ...base,
      recorded: days.length,
      present,
      satisfied: present >= settings.closeMinPresentDays,
      days: days.map((d) => ({ day: d.day, present: d.present, excused: d.excused })),
    };
  }

  /** True when the child's last `days` recorded school days were all unexcused absences. */
  async absentInARow(manager: EntityManager, childId: string, since: string, days: number): Promise<boolean> {
    const latest = await manager.find(AttendanceDay, {
      where: { childId, day: MoreThanOrEqual(since) },
      order: { day: 'DESC' },
      take: days,
    });
    return latest.length === days && latest.every((d) => !d.present && !d.excused);
  }
}
