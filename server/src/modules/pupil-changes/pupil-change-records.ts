import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ChildRecords } from '../children/child-records';
import { SchoolRecords } from '../schools/school-records';
import { PupilChange } from './pupil-change.entity';

/** An effective transfer out or move away of a pupil of one cohort, with the places it left and reached. */
export interface CohortMove {
  kind: 'transfer_out' | 'moved_away';
  fromCountyCode: string;
  fromTownshipCode: string;
  /** The receiving school's county and township (a transfer); null for a move away. */
  toCountyCode: string | null;
  toTownshipCode: string | null;
  /** Where the child lives, as its record says now. */
  villageCode: string | null;
}

/** How many moves of a cohort (CohortMove) left one county and reached another (null for a move away). */
export interface CohortMoveCount {
  kind: CohortMove['kind'];
  fromCountyCode: string;
  toCountyCode: string | null;
  moves: number;
}

/**
 * 学籍异动 as other modules ask about them. The absence rules (the roll call's streaks, the daily
 * monitor) skip a pupil who is away by an effective change: 休学 or moved away.
 */
@Injectable()
export class PupilChangeRecords {
  constructor(
    private readonly children: ChildRecords,
    private readonly schools: SchoolRecords,
  ) {}

  /**
   * The effective transfers and moves away, into or out of a county, of the pupils of the cohort that
   * graduates from grade 9 in `graduatingYear`: a pupil in grade g during school year S belongs to the
   * cohort graduating in S + 9 − g (the grade recorded on the change, the school year of its date).
   */
  async cohortMoves(manager: EntityManager, countyCode: string, graduatingYear: number): Promise<CohortMove[]> {
    const qb = this.cohortMovesQuery(manager, graduatingYear, '= :county', { county: countyCode });
    this.children.joinChildren(qb, 'ch', 'ch.id = pc.child_id', 'left');
    return qb
      .select('pc.kind', 'kind')
      .addSelect('pc.county_code', 'fromCountyCode')
      .addSelect('fs.township_code', 'fromTownshipCode')
      .addSelect('ts.county_code', 'toCountyCode')
      .addSelect('ts.township_code', 'toTownshipCode')
      .addSelect('ch.village_code', 'villageCode')
      .getRawMany<CohortMove>();
  }

  /**
   * The same moves (cohortMoves), into or out of any county whose code starts with `prefix` (a
   * prefecture's or province's), counted by the county left and the county reached, in one grouped query.
   */
  async cohortMovesByCounty(manager: EntityManager, prefix: string, graduatingYear: number): Promise<CohortMoveCount[]> {
    const rows = await this.cohortMovesQuery(manager, graduatingYear, 'LIKE :region', { region: `${prefix}%` })
      .select('pc.kind', 'kind')
      .addSelect('pc.county_code', 'fromCountyCode')
      .addSelect('ts.county_code', 'toCountyCode')
      .addSelect('COUNT(*)', 'moves')
      .groupBy('pc.kind')
      .addGroupBy('pc.county_code')
      .addGroupBy('ts.county_code')
      .getRawMany<Omit<CohortMoveCount, 'moves'> & { moves: number | string }>();
    return rows.map((row) => ({ ...row, moves: Number(row.moves) }));
  }

  /**
   * The effective transfers out and moves away of the cohort, from a county or to a receiving
   * school's county matching `county` (a comparison with its parameters), with the schools left
   * (`fs`) and reached (`ts`) joined.
   */
  private cohortMovesQuery(manager: EntityManager, graduatingYear: number, county: string, countyParams: Record<string, string>) {
    const cohort: string[] = [];
    const params: Record<string, string | number> = {};
    for (let grade = 1; grade <= 9; grade++) {
      const schoolYear = graduatingYear + grade - 9;
      cohort.push(`(pc.from_grade = :g${grade} AND pc.effective_on BETWEEN :from${grade} AND :to${grade})`);
      Object.assign(params, { [`g${grade}`]: grade, [`from${grade}`]: `${schoolYear}-09-01`, [`to${grade}`]: `${schoolYear + 1}-08-31` });
    }
    const qb = manager.createQueryBuilder(PupilChange, 'pc');
    this.schools.joinSchools(qb, 'fs', 'fs.id = pc.from_school_id');
    this.schools.joinSchools(qb, 'ts', 'ts.id = pc.to_school_id', 'left');
    return qb
      .where("pc.status = 'effective' AND pc.kind IN ('transfer_out', 'moved_away')")
      .andWhere(`(pc.county_code ${county} OR ts.county_code ${county})`, countyParams)
      .andWhere(`(${cohort.join(' OR ')})`, params);
  }

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
