import { Injectable } from '@nestjs/common';
import { FINISHED_CASE_STATUSES, normalizePersonName, type ChildSex } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { newId } from '../../common/ids';
import { DropoutCase } from '../cases/case.entity';
import { Child } from './child.entity';

/** What a report says about who the child is. */
export interface ChildIdentity {
  name: string;
  sex: ChildSex;
  idNumber: string | null;
  birthYear: number | null;
  /** True when the birth year comes from an ID number, false when estimated from an age. */
  birthYearExact: boolean;
  villageCode: string | null;
  schoolId: string | null;
  grade: number | null;
}

/**
 * Children and the rule that decides two reports are about the same child (BRIEF §3): the same
 * ID number, or the same normalised name, birth year and village. An estimated birth year matches
 * within a year either way; a known different ID number never matches.
 */
@Injectable()
export class ChildrenService {
  /** The open case of this child, if one exists. */
  async findOpenCase(manager: EntityManager, identity: ChildIdentity): Promise<DropoutCase | null> {
    const open = (alias: string) =>
      manager
        .createQueryBuilder(DropoutCase, alias)
        .innerJoin(Child, 'ch', `ch.id = ${alias}.child_id`)
        .where(`${alias}.status NOT IN (:...finished) AND ${alias}.merged_into_id IS NULL`, { finished: FINISHED_CASE_STATUSES })
        .orderBy(`${alias}.opened_at`, 'ASC')
        .limit(1);
    if (identity.idNumber) {
      const byId = await open('c').andWhere('ch.id_number = :idNumber', { idNumber: identity.idNumber }).getOne();
      if (byId) return byId;
    }
    if (!identity.villageCode || identity.birthYear === null) return null;
    const qb = open('c')
      .addSelect('ch.birth_year', 'child_birth_year')
      .addSelect('ch.birth_year_exact', 'child_birth_year_exact')
      .andWhere('ch.name_key = :nameKey AND ch.village_code = :village', {
        nameKey: normalizePersonName(identity.name),
        village: identity.villageCode,
      })
      .andWhere('ch.birth_year BETWEEN :from AND :to', { from: identity.birthYear - 1, to: identity.birthYear + 1 })
      .limit(10);
    if (identity.idNumber) qb.andWhere('(ch.id_number IS NULL OR ch.id_number = :idNumber)', { idNumber: identity.idNumber });
    const candidates = await qb.getRawAndEntities();
    // Two exact years must be equal; with an estimate on either side, a year apart still matches.
    const index = candidates.raw.findIndex(
      (row: { child_birth_year: number; child_birth_year_exact: number | boolean }) =>
        !(identity.birthYearExact && Boolean(Number(row.child_birth_year_exact))) || Number(row.child_birth_year) === identity.birthYear,
    );
    return index >= 0 ? (candidates.entities[index] ?? null) : null;
  }

  async create(manager: EntityManager, identity: ChildIdentity): Promise<Child> {
    const child = manager.create(Child, {
      id: newId(),
      name: identity.name,
      nameKey: normalizePersonName(identity.name),
      sex: identity.sex,
      birthYear: identity.birthYear,
      birthYearExact: identity.birthYearExact,
      idNumber: identity.idNumber,
      villageCode: identity.villageCode,
      schoolId: identity.schoolId,
      grade: identity.grade,
      priorityGroups: [],
    });
    return manager.save(Child, child);
  }

  /** Fills what the record did not know yet from a later report; never overwrites what it knew. */
  async complete(manager: EntityManager, childId: string, identity: ChildIdentity): Promise<void> {
    const child = await manager.findOneByOrFail(Child, { id: childId });
    const changes: Partial<Child> = {};
    if (!child.idNumber && identity.idNumber) changes.idNumber = identity.idNumber;
    if (identity.birthYearExact && !child.birthYearExact) Object.assign(changes, { birthYear: identity.birthYear, birthYearExact: true });
    else if (child.birthYear === null && identity.birthYear !== null) changes.birthYear = identity.birthYear;
    if (child.sex === 'unknown' && identity.sex !== 'unknown') changes.sex = identity.sex;
    if (!child.villageCode && identity.villageCode) changes.villageCode = identity.villageCode;
    if (!child.schoolId && identity.schoolId) changes.schoolId = identity.schoolId;
    if (child.grade === null && identity.grade !== null) changes.grade = identity.grade;
    if (Object.keys(changes).length) await manager.update(Child, { id: childId }, changes);
  }
}
