import { Injectable } from '@nestjs/common';
import { Brackets, In, IsNull, type EntityManager, type FindOptionsWhere, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { newReadableCode } from '../../common/ids';
import { bulkInsert } from '../../database/bulk-insert';
import { selectRows } from '../../database/sql';
import { updateChild } from './child-batch-sql';
import { AttendanceDay } from './attendance.entity';
import { ChildGuardian } from './child-guardian.entity';
import { Child } from './child.entity';
import { Guardianship } from './guardianship.entity';

/** A stored child as other modules see it (they never import the entity). */
export type ChildRow = Child;

/** A parent bound to a child in the app, with their relation to the child. */
export type GuardianshipRow = Guardianship;

/** A guardian as the school roster or the household registry lists them (not necessarily a user of the app). */
export type RosterGuardianRow = ChildGuardian;

/** One school day of one child, as recorded. */
export type AttendanceRow = AttendanceDay;

/** Pupils of one county, village, school, grade and set of priority groups (JSON text as stored): ChildRecords.pupilCounts. */
export interface PupilCountRow {
  county: string;
  village: string | null;
  school: string | null;
  grade: number;
  groups: string;
  count: number | string;
}

/** Where a child's record lies (as `CHILD_SCOPE` places it): its village, else its county; the audit log files acts on it there. */
export function placeOfChild(child: Pick<ChildRow, 'villageCode' | 'countyCode'>): string | null {
  return child.villageCode ?? child.countyCode;
}

/**
 * Children, their guardians and their attendance as other modules read and write them (BRIEF §3a: one record per child).
 * The children module owns these tables; other modules never import its entities.
 */
@Injectable()
export class ChildRecords {
  /** The child a record points at: it exists, so a missing one fails as findOneByOrFail does. */
  async getById(manager: EntityManager, id: string): Promise<ChildRow> {
    return manager.findOneByOrFail(Child, { id });
  }

  /** The children with these ids (whole rows, in no particular order). */
  async findByIds(manager: EntityManager, ids: string[]): Promise<ChildRow[]> {
    if (ids.length === 0) return [];
    return manager.findBy(Child, { id: In(ids) });
  }

  /** Each child's name by id. */
  async namesOf(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.find(Child, { where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(rows.map((c) => [c.id, c.name]));
  }

  /**
   * The record and every record merged into it, directly or through another merge: what was
   * recorded about any of them is about this child (the audit log keeps the id that was read).
   */
  async withMergedRecords(manager: EntityManager, id: string): Promise<string[]> {
    const ids = [id];
    let frontier = [id];
    for (let hops = 0; frontier.length > 0 && hops < 8; hops++) {
      const merged = await manager.find(Child, { where: { mergedIntoId: In(frontier) }, select: { id: true } });
      frontier = merged.map((c) => c.id).filter((found) => !ids.includes(found));
      ids.push(...frontier);
    }
    return ids;
  }

  /** The name and priority groups of each child (a dispatch list puts children of a group first). */
  async namesWithGroups(manager: EntityManager, ids: string[]): Promise<Array<Pick<ChildRow, 'id' | 'name' | 'priorityGroups'>>> {
    if (ids.length === 0) return [];
    return manager.find(Child, { where: { id: In(ids) }, select: { id: true, name: true, priorityGroups: true } });
  }

  /** The parents bound to these children in the app. */
  async guardiansOf(manager: EntityManager, childIds: string[]): Promise<GuardianshipRow[]> {
    if (childIds.length === 0) return [];
    return manager.findBy(Guardianship, { childId: In(childIds) });
  }

  /** The children a parent is bound to. */
  async childIdsBoundTo(manager: EntityManager, userId: string): Promise<string[]> {
    const rows = await manager.find(Guardianship, { where: { userId }, select: { childId: true } });
    return rows.map((g) => g.childId);
  }

  /** Whether the user is a parent bound to the child. */
  async isBoundParent(manager: EntityManager, childId: string, userId: string): Promise<boolean> {
    return manager.existsBy(Guardianship, { childId, userId });
  }

  /**
   * Of these children, those known only through reports: not on a school roster, no guardian on
   * record and no bound parent (retention may forget who they were).
   */
  async unrosteredWithoutGuardians(manager: EntityManager, childIds: string[]): Promise<string[]> {
    if (childIds.length === 0) return [];
    const candidates = await manager.find(Child, { where: { id: In(childIds), studentNumber: IsNull() }, select: { id: true } });
    const ids = candidates.map((c) => c.id);
    if (ids.length === 0) return [];
    const guarded = new Set([
      ...(await manager.find(ChildGuardian, { where: { childId: In(ids) }, select: { childId: true } })).map((g) => g.childId),
      ...(await manager.find(Guardianship, { where: { childId: In(ids) }, select: { childId: true } })).map((g) => g.childId),
    ]);
    return ids.filter((id) => !guarded.has(id));
  }

  /** Joins the children table into another module's query, e.g. to filter cases by the child's name. */
  joinChildren<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    condition: string,
    kind: 'inner' | 'left' = 'inner',
  ): SelectQueryBuilder<T> {
    return kind === 'inner' ? qb.innerJoin(Child, alias, condition) : qb.leftJoin(Child, alias, condition);
  }

  /** The records with these 学籍号 or ID numbers (as stored, normalised). */
  async findByIdentifiers(manager: EntityManager, field: 'studentNumber' | 'idNumber', values: string[]): Promise<ChildRow[]> {
    if (values.length === 0) return [];
    return manager.findBy(Child, { [field]: In(values) });
  }

  /** Those of these ID numbers that a record already has. */
  async knownIdNumbers(manager: EntityManager, idNumbers: string[]): Promise<string[]> {
    if (idNumbers.length === 0) return [];
    const rows = await manager.find(Child, { where: { idNumber: In(idNumbers) }, select: { idNumber: true } });
    return rows.map((r) => r.idNumber!);
  }

  /** The record a printed binding code belongs to (it may have been merged since), or null. */
  async findByBindingCode(manager: EntityManager, bindingCode: string): Promise<ChildRow | null> {
    return manager.findOneBy(Child, { bindingCode });
  }

  /** Children born within the window who are in no school yet, living under one of the division prefixes; at most `limit`. */
  async entrantsIn(
    manager: EntityManager,
    window: { from: string; to: string },
    villagePrefixes: string[],
    limit: number,
  ): Promise<ChildRow[]> {
    return manager
      .createQueryBuilder(Child, 'ch')
      .where('ch.birth_date BETWEEN :from AND :to', window)
      .andWhere('ch.grade IS NULL')
      .andWhere(
        new Brackets((w) => villagePrefixes.forEach((prefix, i) => w.orWhere(`ch.village_code LIKE :p${i}`, { [`p${i}`]: `${prefix}%` }))),
      )
      .limit(limit)
      .getMany();
  }

  /** The pupils of some schools, of one grade or class when given; at most `take`. */
  async pupilsOf(
    manager: EntityManager,
    filter: { schoolIds: string[]; grade?: number; className?: string },
    take?: number,
  ): Promise<ChildRow[]> {
    const where: FindOptionsWhere<Child> = { schoolId: In(filter.schoolIds) };
    if (filter.grade !== undefined) where.grade = filter.grade;
    if (filter.className !== undefined) where.className = filter.className;
    return manager.find(Child, { where, take });
  }

  /** The pupils of a class as the roster has them (records merged into another left out), by name. */
  async pupilsOfClass(
    manager: EntityManager,
    schoolClass: { schoolId: string; grade: number; className: string },
  ): Promise<Array<Pick<ChildRow, 'id' | 'name' | 'countyCode' | 'schoolId' | 'grade' | 'className'>>> {
    return manager.find(Child, {
      where: { ...schoolClass, mergedIntoId: IsNull() },
      select: { id: true, name: true, countyCode: true, schoolId: true, grade: true, className: true },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** A school's classes: the grades and class names of its pupils on the roster (merged records left out), with their sizes. */
  async classesOfSchool(manager: EntityManager, schoolId: string): Promise<Array<{ grade: number; className: string; pupils: number }>> {
    const rows = await manager
      .createQueryBuilder(Child, 'ch')
      .select('ch.grade', 'grade')
      .addSelect('ch.class_name', 'className')
      .addSelect('COUNT(*)', 'pupils')
      .where('ch.school_id = :schoolId AND ch.grade IS NOT NULL AND ch.class_name IS NOT NULL AND ch.merged_into_id IS NULL', { schoolId })
      .groupBy('ch.grade')
      .addGroupBy('ch.class_name')
      .getRawMany<{ grade: number | string; className: string; pupils: number | string }>();
    return rows
      .map((r) => ({ grade: Number(r.grade), className: r.className, pupils: Number(r.pupils) }))
      .sort((a, b) => a.grade - b.grade || a.className.localeCompare(b.className, 'zh-CN', { numeric: true }));
  }

  /** Names of the pupils of a school, of one grade or class when given (a notice to their parents). */
  async pupilNamesOf(
    manager: EntityManager,
    filter: { schoolId: string; grade?: number; className?: string },
  ): Promise<Array<Pick<ChildRow, 'id' | 'name'>>> {
    const where: FindOptionsWhere<Child> = { schoolId: filter.schoolId };
    if (filter.grade !== undefined) where.grade = filter.grade;
    if (filter.className !== undefined) where.className = filter.className;
    return manager.find(Child, { where, select: { id: true, name: true } });
  }

  /** A child without a binding code gets one now (a paper notice must carry it); the rows passed are updated too. */
  async ensureBindingCodes(manager: EntityManager, children: ChildRow[]): Promise<void> {
    for (const child of children) {
      if (child.bindingCode) continue;
      for (let attempt = 0; ; attempt++) {
        const code = newReadableCode(8);
        if (await manager.existsBy(Child, { bindingCode: code })) {
          if (attempt > 5) throw new Error('could not find a free binding code');
          continue;
        }
        await manager.update(Child, { id: child.id, bindingCode: IsNull() }, { bindingCode: code });
        child.bindingCode = code;
        break;
      }
    }
  }

  /** The parents bound to a child in the app, first bound first. */
  async guardianshipsOfChild(manager: EntityManager, childId: string): Promise<GuardianshipRow[]> {
    return manager.find(Guardianship, { where: { childId }, order: { createdAt: 'ASC' } });
  }

  /** The children a parent is bound to (of `only`, when given), first bound first. */
  async guardianshipsOfUser(manager: EntityManager, userId: string, only: string[] | null): Promise<GuardianshipRow[]> {
    return manager.find(Guardianship, { where: only ? { userId, childId: In(only) } : { userId }, order: { createdAt: 'ASC' } });
  }

  async findGuardianship(manager: EntityManager, childId: string, userId: string): Promise<GuardianshipRow | null> {
    return manager.findOneBy(Guardianship, { childId, userId });
  }

  async countGuardians(manager: EntityManager, childId: string): Promise<number> {
    return manager.countBy(Guardianship, { childId });
  }

  /** Binds a parent to a child (the caller checked the code, the name and the limit of guardians). */
  async addGuardianship(manager: EntityManager, row: GuardianshipRow): Promise<void> {
    await manager.insert(Guardianship, row);
  }

  async setGuardianRelation(manager: EntityManager, childId: string, userId: string, relation: string): Promise<void> {
    await manager.update(Guardianship, { childId, userId }, { relation });
  }

  async removeGuardianship(manager: EntityManager, childId: string, userId: string): Promise<void> {
    await manager.delete(Guardianship, { childId, userId });
  }

  /** The roster's guardians of these children, oldest first. */
  async rosterGuardiansOf(manager: EntityManager, childIds: string[]): Promise<RosterGuardianRow[]> {
    if (childIds.length === 0) return [];
    return manager.find(ChildGuardian, { where: { childId: In(childIds) }, order: { createdAt: 'ASC' } });
  }

  /** Adds guardians to the roster (e.g. the household registry's, for a child it brought in). */
  async addRosterGuardians(manager: EntityManager, rows: RosterGuardianRow[]): Promise<void> {
    if (rows.length) await manager.insert(ChildGuardian, rows);
  }

  /** Adds many roster guardians at once (an import), as multi-row inserts. */
  async insertRosterGuardians(manager: EntityManager, rows: RosterGuardianRow[]): Promise<void> {
    await bulkInsert(manager, ChildGuardian, rows);
  }

  /** Replaces what the roster says of one guardian. */
  async updateRosterGuardian(
    manager: EntityManager,
    id: string,
    values: Pick<RosterGuardianRow, 'name' | 'relation' | 'phone'>,
  ): Promise<void> {
    await manager.update(ChildGuardian, { id }, values);
  }

  /** The county's pupils with these 学籍号 (what an absence list names them by). */
  async pupilsByStudentNumber(
    manager: EntityManager,
    countyCode: string,
    studentNumbers: string[],
  ): Promise<Array<Pick<ChildRow, 'id' | 'studentNumber' | 'schoolId'>>> {
    if (studentNumbers.length === 0) return [];
    return manager.find(Child, {
      where: { studentNumber: In(studentNumbers), countyCode },
      select: { id: true, studentNumber: true, schoolId: true },
    });
  }

  /**
   * Children matching any of the pairs of (village, birth date), or of (name key, village): one
   * index (idx_children_village_birth, idx_children_identity) per query, so each OR of equalities
   * is a set of ranges of that index on both databases. What matching needs of them only.
   */
  async findByPairs(
    manager: EntityManager,
    columns: 'villageAndBirthDate' | 'nameKeyAndVillage',
    pairs: Array<[string, string]>,
  ): Promise<Array<Pick<ChildRow, 'id' | 'nameKey' | 'birthDate' | 'villageCode' | 'countyCode' | 'studentNumber'>>> {
    if (pairs.length === 0) return [];
    const [first, second] = columns === 'villageAndBirthDate' ? ['village_code', 'birth_date'] : ['name_key', 'village_code'];
    const params: Record<string, string> = {};
    const terms = pairs.map(([a, b], j) => {
      Object.assign(params, { [`a${j}`]: a, [`b${j}`]: b });
      return `(p.${first} = :a${j} AND p.${second} = :b${j})`;
    });
    return manager
      .createQueryBuilder(Child, 'p')
      .select(['p.id', 'p.nameKey', 'p.birthDate', 'p.villageCode', 'p.countyCode', 'p.studentNumber'])
      .where(terms.join(' OR '), params)
      .getMany();
  }

  /**
   * The ID numbers of the county's pupils on a roster from `from` to `to` (inclusive), in order, read
   * from idx_children_id_roster alone (one range of it, no row): the roster's side of a merge by ID number.
   */
  async rosteredIdNumbers(manager: EntityManager, countyCode: string, from: string, to: string): Promise<string[]> {
    const rows = await selectRows<{ id_number: string }>(
      manager,
      'SELECT id_number FROM children WHERE id_number >= ? AND id_number <= ? AND county_code = ? AND student_number IS NOT NULL ORDER BY id_number',
      [from, to, countyCode],
    );
    return rows.map((row) => row.id_number);
  }

  /**
   * Pupils on a roster (with a grade and a county), counted by county, village, school, grade and
   * priority groups as stored (JSON text), in one read: what the enrolment tallies are made of. Of
   * these counties only, when given.
   */
  async pupilCounts(manager: EntityManager, counties: readonly string[] | null = null): Promise<PupilCountRow[]> {
    if (counties?.length === 0) return [];
    const qb = manager
      .createQueryBuilder(Child, 'ch')
      .select('ch.county_code', 'county')
      .addSelect('ch.village_code', 'village')
      .addSelect('ch.school_id', 'school')
      .addSelect('ch.grade', 'grade')
      .addSelect('ch.priority_groups', 'groups')
      .addSelect('COUNT(*)', 'count')
      .where('ch.student_number IS NOT NULL AND ch.grade IS NOT NULL AND ch.county_code IS NOT NULL')
      .groupBy('ch.county_code')
      .addGroupBy('ch.village_code')
      .addGroupBy('ch.school_id')
      .addGroupBy('ch.grade')
      .addGroupBy('ch.priority_groups');
    if (counties) qb.andWhere('ch.county_code IN (:...counties)', { counties });
    return qb.getRawMany<PupilCountRow>();
  }

  /** The county's children with at least `minDays` unexcused absences between two days (YYYY-MM-DD), counted in SQL. */
  async unexcusedAbsentees(manager: EntityManager, countyCode: string, from: string, to: string, minDays: number): Promise<string[]> {
    const rows = await manager
      .createQueryBuilder(AttendanceDay, 'a')
      .innerJoin(Child, 'ch', 'ch.id = a.child_id')
      .select('a.child_id', 'childId')
      .where('ch.county_code = :countyCode AND a.present = :absent AND a.excused = :unexcused AND a.day >= :from AND a.day <= :to', {
        countyCode,
        absent: false,
        unexcused: false,
        from,
        to,
      })
      .groupBy('a.child_id')
      .having('COUNT(*) >= :min', { min: minDays })
      .getRawMany<{ childId: string }>();
    return rows.map((r) => r.childId);
  }

  /** Every unexcused absence of these children. */
  async unexcusedAbsencesOf(manager: EntityManager, childIds: string[]): Promise<AttendanceRow[]> {
    if (childIds.length === 0) return [];
    return manager.find(AttendanceDay, { where: { childId: In(childIds), present: false, excused: false } });
  }

  /** What is recorded of these children on these days. */
  async attendanceOn(manager: EntityManager, childIds: string[], days: string[]): Promise<AttendanceRow[]> {
    if (childIds.length === 0 || days.length === 0) return [];
    return manager.find(AttendanceDay, { where: { childId: In(childIds), day: In(days) } });
  }

  /** Replaces what is recorded of one school day of a child. */
  async updateAttendanceDay(
    manager: EntityManager,
    id: string,
    values: Partial<Pick<AttendanceRow, 'present' | 'excused' | 'source' | 'recordedBy' | 'recordedAt'>>,
  ): Promise<void> {
    await manager.update(AttendanceDay, { id }, values);
  }

  /** Records many school days at once (an import), as multi-row inserts. */
  async insertAttendanceDays(manager: EntityManager, rows: AttendanceRow[]): Promise<void> {
    await bulkInsert(manager, AttendanceDay, rows);
  }

  /** An approved leave (请假): the child's absences already recorded between two days (inclusive) become excused; returns how many. */
  async excuseAbsences(manager: EntityManager, childId: string, from: string, to: string): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(AttendanceDay)
      .set({ excused: true })
      .where('child_id = :childId AND day >= :from AND day <= :to AND present = :absent AND excused = :unexcused', {
        childId,
        from,
        to,
        absent: false,
        unexcused: false,
      })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * 学籍异动: where a pupil is on the rolls now (a transfer moves the school and class; a move out of
   * the county clears them, so the pupil leaves the county's enrolment). The enrolment tallies hear of it.
   */
  async setPlacement(
    manager: EntityManager,
    childId: string,
    values: Partial<Pick<ChildRow, 'schoolId' | 'grade' | 'className' | 'countyCode'>>,
  ): Promise<void> {
    await updateChild(manager, childId, values);
  }
}
