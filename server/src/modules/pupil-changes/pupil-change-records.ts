import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ChildRecords } from '../children/child-records';
import { PupilChange } from './pupil-change.entity';

/**
 * 学籍异动 as other modules ask about them. The absence rules (the roll call's streaks, the daily
 * monitor) skip a pupil who is away by an effective change: 休学 or moved away.
 */
@Injectable()
export class PupilChangeRecords {
  constructor(private readonly children: ChildRecords) {}

  /**
   * Of these children, those whose absences no longer count: an effective 休学 or move away, and no
   * class since (a roster that puts the pupil in a class again brings them back under the rules).
   */
  async excludedChildren(manager: EntityManager, childIds: readonly string[]): Promise<Set<string>> {
    const excluded = new Set<string>();
    for (let i = 0; i < childIds.length; i += 500) {
      const chunk = childIds.slice(i, i + 500);
      const rows = await this.children
        .joinChildren(manager.createQueryBuilder(PupilChange, 'pc'), 'ch', 'ch.id = pc.child_id')
        .select('DISTINCT pc.child_id', 'childId')
        .where({ childId: In(chunk), status: 'effective', kind: In(['suspension', 'moved_away']) })
        .andWhere('ch.class_name IS NULL')
        .getRawMany<{ childId: string }>();
      for (const row of rows) excluded.add(row.childId);
    }
    return excluded;
  }
}
