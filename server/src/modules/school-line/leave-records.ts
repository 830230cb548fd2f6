import { Injectable } from '@nestjs/common';
import { addDays } from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import { chunks } from '../../common/sql/chunks';
import { LeaveRequest } from './leave.entity';

/**
 * Leave requests 请假 as the rest of the school line reads them (the roll call presets the sheet
 * from approved leave and counts those days excused; the school home counts what waits).
 */
@Injectable()
export class LeaveRecords {
  /**
   * The days between `from` and `to` (inclusive, calendar days) that an approved leave covers, per
   * child; children without any are left out.
   */
  async approvedDays(manager: EntityManager, childIds: string[], from: string, to: string): Promise<Map<string, Set<string>>> {
    const days = new Map<string, Set<string>>();
    for (const ids of chunks([...new Set(childIds)])) {
      const rows = await manager
        .createQueryBuilder(LeaveRequest, 'l')
        .select(['l.childId', 'l.fromDay', 'l.toDay'])
        .where({ childId: In(ids), status: 'approved' })
        .andWhere('l.from_day <= :to AND l.to_day >= :from', { from, to })
        .getMany();
      for (const row of rows) {
        const covered = days.get(row.childId) ?? new Set<string>();
        const last = row.toDay < to ? row.toDay : to;
        for (let day = row.fromDay > from ? row.fromDay : from; day <= last; day = addDays(day, 1)) covered.add(day);
        days.set(row.childId, covered);
      }
    }
    return days;
  }

  /** The approved leave that covers `day`, per child (the roll-call sheet shows it and presets the mark). */
  async approvedOn(manager: EntityManager, childIds: string[], day: string): Promise<Map<string, Pick<LeaveRequest, 'id' | 'kind'>>> {
    const found = new Map<string, Pick<LeaveRequest, 'id' | 'kind'>>();
    for (const ids of chunks([...new Set(childIds)])) {
      const rows = await manager
        .createQueryBuilder(LeaveRequest, 'l')
        .select(['l.id', 'l.childId', 'l.kind'])
        .where({ childId: In(ids), status: 'approved' })
        .andWhere('l.from_day <= :day AND l.to_day >= :day', { day })
        .getMany();
      for (const row of rows) found.set(row.childId, { id: row.id, kind: row.kind });
    }
    return found;
  }

  /** Leave requests waiting for a decision at a school, of some classes only (a 班主任's) or of all (null: a leader's). */
  async pendingCount(
    manager: EntityManager,
    schoolId: string,
    classes: ReadonlyArray<{ grade: number; className: string }> | null,
  ): Promise<number> {
    if (classes && !classes.length) return 0;
    const qb = manager.createQueryBuilder(LeaveRequest, 'l').where({ schoolId, status: 'pending' });
    if (classes)
      qb.andWhere(
        `(${classes.map((_, i) => `(l.grade = :grade${i} AND l.class_name = :class${i})`).join(' OR ')})`,
        Object.fromEntries(classes.flatMap((c, i) => [[`grade${i}`, c.grade] as const, [`class${i}`, c.className] as const])),
      );
    return qb.getCount();
  }
}
