import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PriorityGroup } from '@baoxue/shared';
import { Clock } from '../../common/clock';
import { newId, newReadableCode } from '../../common/ids';
import { DropoutCase } from '../cases/case.entity';
import { School } from '../schools/school.entity';
import { Child } from './child.entity';
import { countyOfReport, matchByName, nameKeyOf, type ChildReport, type KnownChild, type MatchRule } from './child-matching';
import { ChildMatchReview, type ChildMatchReason } from './child-registry.entities';

/** Where a report about a child came from (BRIEF §3a lists them). */
export type ChildSource =
  'tip' | 'roster' | 'household' | 'absence' | 'poverty' | 'school' | 'binding' | 'cross_check' | 'split' | 'repair';

export interface Resolution {
  child: Child;
  created: boolean;
  /** The rule that found a known child; null for a new record. */
  rule: MatchRule | null;
}

const KNOWN_COLUMNS = {
  id: true,
  nameKey: true,
  idNumber: true,
  studentNumber: true,
  birthDate: true,
  birthYear: true,
  birthYearExact: true,
  villageCode: true,
  schoolId: true,
} as const;

function isMysql(manager: EntityManager): boolean {
  const type = manager.connection.driver.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/**
 * The child registry (BRIEF §3a): the only code that finds or creates a child. Every source — tips,
 * rosters, household lists, absences, the poverty list, the cross-check, a school's report, a
 * parent's binding, a split — resolves what it knows through `resolve`, in the brief's order: the
 * same ID number or 学籍号; the same normalised name, birth date and village or school; the same
 * name, birth year (±1 when estimated) and village; otherwise a new child. Uniqueness is the
 * database's: one child per ID number and per 学籍号 (unique keys), and a claim row per name and
 * place that makes parallel reports matched by name take turns. Run it inside a READ COMMITTED
 * transaction (MySQL) through `transactionWithRetry`, so a loser of a unique-key race runs again and
 * finds the winner's child.
 */
@Injectable()
export class ChildRegistry {
  constructor(private readonly clock: Clock) {}

  async resolve(manager: EntityManager, report: ChildReport, source: ChildSource): Promise<Resolution> {
    let conflicting: Child | null = null;
    for (const [column, value] of [
      ['studentNumber', report.studentNumber],
      ['idNumber', report.idNumber],
    ] as const) {
      if (!value) continue;
      const known = await this.live(manager, await manager.findOneBy(Child, { [column]: value }));
      if (!known) continue;
      // A tip naming a known identifier under another name is not merged silently: a record of its
      // own, in review. The registries themselves are authoritative for their identifiers.
      if (known.nameKey === nameKeyOf(report.name) || source !== 'tip') {
        await this.complete(manager, known, report);
        return { child: known, created: false, rule: column === 'idNumber' ? 'id_number' : 'student_number' };
      }
      conflicting = known;
      break;
    }
    const place = report.villageCode ? `village:${report.villageCode}` : report.schoolId ? `school:${report.schoolId}` : null;
    const nameKey = nameKeyOf(report.name);
    if (place) await this.claim(manager, nameKey, place);
    const outcome = matchByName(
      conflicting ? { ...report, idNumber: null, studentNumber: null } : report,
      place ? await this.namedNear(manager, nameKey, report) : [],
    );
    if (outcome.match && !conflicting) {
      const known = await manager.findOneByOrFail(Child, { id: outcome.match.id });
      await this.complete(manager, known, report);
      return { child: known, created: false, rule: outcome.rule };
    }
    const child = await this.create(manager, conflicting ? { ...report, idNumber: null, studentNumber: null } : report);
    const reviews: Array<{ candidate: KnownChild | Child; reason: ChildMatchReason }> = outcome.reviews;
    if (conflicting) reviews.unshift({ candidate: conflicting, reason: 'identity_conflict' });
    await this.addReviews(manager, child, reviews, source);
    return { child, created: true, rule: null };
  }

  /**
   * A new record for a report an official has said is another child (a tip split off a case): its
   * identifiers are kept only where no other record holds them.
   */
  async createSeparate(manager: EntityManager, report: ChildReport): Promise<Child> {
    const taken = async (column: 'idNumber' | 'studentNumber', value: string | null) =>
      !!value && (await manager.existsBy(Child, { [column]: value }));
    return this.create(manager, {
      ...report,
      idNumber: (await taken('idNumber', report.idNumber)) ? null : report.idNumber,
      studentNumber: (await taken('studentNumber', report.studentNumber)) ? null : report.studentNumber,
    });
  }

  /**
   * The record a child id stands for now: a merged record answers with its survivor, so links
   * written before a merge still lead to the child.
   */
  async current(manager: EntityManager, id: string): Promise<Child | null> {
    return this.live(manager, await manager.findOneBy(Child, { id }));
  }

  /** Sets the child's priority groups and the priority of its open cases in the same transaction. */
  async setPriorityGroups(manager: EntityManager, childId: string, groups: PriorityGroup[]): Promise<void> {
    await manager.update(Child, { id: childId }, { priorityGroups: groups });
    await manager.update(DropoutCase, { openChildId: childId }, { priority: groups.length ? 1 : 0 });
  }

  /** Follows merges to the surviving record (a chain of merges is followed to its end). */
  private async live(manager: EntityManager, child: Child | null): Promise<Child | null> {
    for (let hops = 0; child?.mergedIntoId && hops < 8; hops++) child = await manager.findOneBy(Child, { id: child.mergedIntoId });
    return child;
  }

  /** Takes (or waits for) the claim row of a name at a place, until the transaction ends. */
  private async claim(manager: EntityManager, nameKey: string, place: string): Promise<void> {
    if (isMysql(manager))
      await manager.query(
        'INSERT INTO child_identity_claims (name_key, place, uses) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE uses = uses + 1',
        [nameKey, place],
      );
    else
      await manager.query(
        'INSERT INTO child_identity_claims (name_key, place, uses) VALUES (?, ?, 1) ON CONFLICT (name_key, place) DO UPDATE SET uses = uses + 1',
        [nameKey, place],
      );
  }

  /** Known children of this name in the report's village, township or school (merged records left out). */
  private async namedNear(manager: EntityManager, nameKey: string, report: ChildReport): Promise<KnownChild[]> {
    const qb = manager
      .createQueryBuilder(Child, 'ch')
      .select(Object.keys(KNOWN_COLUMNS).map((k) => `ch.${k}`))
      .where('ch.name_key = :nameKey AND ch.merged_into_id IS NULL', { nameKey })
      .limit(50);
    const places: string[] = [];
    if (report.villageCode) places.push('ch.village_code LIKE :township');
    if (report.schoolId) places.push('ch.school_id = :schoolId');
    qb.andWhere(`(${places.join(' OR ')})`, { township: `${report.villageCode?.slice(0, 9)}%`, schoolId: report.schoolId });
    return qb.getMany();
  }

  private async create(manager: EntityManager, report: ChildReport): Promise<Child> {
    const school =
      report.schoolId && !report.villageCode
        ? await manager.findOne(School, { where: { id: report.schoolId }, select: { countyCode: true } })
        : null;
    const now = this.clock.now();
    const child: Child = {
      id: newId(),
      name: report.name,
      nameKey: nameKeyOf(report.name),
      sex: report.sex,
      birthYear: report.birthDate ? Number(report.birthDate.slice(0, 4)) : report.birthYear,
      birthYearExact: !!report.birthDate || report.birthYearExact,
      birthDate: report.birthDate,
      idNumber: report.idNumber,
      studentNumber: report.studentNumber,
      villageCode: report.villageCode,
      schoolId: report.schoolId,
      grade: report.grade,
      className: null,
      boarding: null,
      priorityGroups: [],
      bindingCode: report.studentNumber ? newReadableCode(8) : null,
      countyCode: countyOfReport(report, school?.countyCode ?? null),
      mergedIntoId: null,
      createdAt: now,
      updatedAt: now,
    };
    // a copy: on MySQL the insert writes the driver's raw values back into what it is given
    await manager.insert(Child, { ...child });
    return child;
  }

  /** Fills what the record did not know yet from a later report; never overwrites what it knew. */
  private async complete(manager: EntityManager, child: Child, report: ChildReport): Promise<void> {
    const changes: Partial<Child> = {};
    if (!child.idNumber && report.idNumber) changes.idNumber = report.idNumber;
    if (!child.studentNumber && report.studentNumber) changes.studentNumber = report.studentNumber;
    if (!child.birthDate && report.birthDate) changes.birthDate = report.birthDate;
    const exactYear = report.birthDate ? Number(report.birthDate.slice(0, 4)) : report.birthYearExact ? report.birthYear : null;
    if (exactYear !== null && !child.birthYearExact) Object.assign(changes, { birthYear: exactYear, birthYearExact: true });
    else if (child.birthYear === null && report.birthYear !== null) changes.birthYear = report.birthYear;
    if (child.sex === 'unknown' && report.sex !== 'unknown') changes.sex = report.sex;
    if (!child.villageCode && report.villageCode) changes.villageCode = report.villageCode;
    if (!child.schoolId && report.schoolId) changes.schoolId = report.schoolId;
    if (child.grade === null && report.grade !== null) changes.grade = report.grade;
    if (!child.countyCode) {
      const county = countyOfReport({ ...report, villageCode: changes.villageCode ?? child.villageCode }, null);
      if (county) changes.countyCode = county;
    }
    if (!Object.keys(changes).length) return;
    await manager.update(Child, { id: child.id }, changes);
    Object.assign(child, changes);
  }

  private async addReviews(
    manager: EntityManager,
    child: Child,
    reviews: Array<{ candidate: { id: string }; reason: ChildMatchReason }>,
    source: ChildSource,
  ): Promise<void> {
    if (!reviews.length || !child.countyCode) return;
    const now = this.clock.now();
    const rows = reviews.map((r) => ({
      id: newId(),
      countyCode: child.countyCode!,
      childId: child.id,
      candidateId: r.candidate.id,
      reason: r.reason,
      source,
      status: 'pending' as const,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      createdAt: now,
    }));
    await manager.createQueryBuilder().insert().into(ChildMatchReview).values(rows).orIgnore().execute();
  }
}
