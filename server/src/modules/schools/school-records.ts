import { Injectable } from '@nestjs/common';
import { In, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { School } from './school.entity';

/** A stored school as other modules see it (they never import the entity). */
export type SchoolRow = School;

/**
 * Schools as other modules read them. The schools module owns the schools table.
 */
@Injectable()
export class SchoolRecords {
  /** The school, or null when there is none with this id. */
  async findById(manager: EntityManager, id: string): Promise<SchoolRow | null> {
    return manager.findOneBy(School, { id });
  }

  /** The school the caller's unit or record points at: it exists, so a missing one fails as findOneByOrFail does. */
  async getById(manager: EntityManager, id: string): Promise<SchoolRow> {
    return manager.findOneByOrFail(School, { id });
  }

  /** The schools with these ids (those that exist, in no particular order). */
  async findByIds(manager: EntityManager, ids: string[]): Promise<SchoolRow[]> {
    if (ids.length === 0) return [];
    return manager.findBy(School, { id: In(ids) });
  }

  /** The county a school is in, or null when there is no such school. */
  async countyOf(manager: EntityManager, id: string): Promise<string | null> {
    return (await manager.findOne(School, { where: { id }, select: { countyCode: true } }))?.countyCode ?? null;
  }

  /** The number of schools of each county (0 for a county without any). */
  async countByCounty(manager: EntityManager, countyCodes: string[]): Promise<Map<string, number>> {
    const counts = new Map(countyCodes.map((c) => [c, 0]));
    if (countyCodes.length === 0) return counts;
    const rows = await manager
      .createQueryBuilder(School, 's')
      .select('s.county_code', 'county')
      .addSelect('COUNT(*)', 'n')
      .where('s.county_code IN (:...codes)', { codes: countyCodes })
      .groupBy('s.county_code')
      .getRawMany<{ county: string; n: number | string }>();
    for (const row of rows) counts.set(row.county, Number(row.n));
    return counts;
  }

  /** Whether there is a school with this id. */
  async exists(manager: EntityManager, id: string): Promise<boolean> {
    return manager.existsBy(School, { id });
  }

  /** Each school's county by id (those that exist). */
  async countiesOf(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const schools = await manager.find(School, { where: { id: In(ids) }, select: { id: true, countyCode: true } });
    return new Map(schools.map((s) => [s.id, s.countyCode]));
  }

  /** Each school's township by id (those that exist). */
  async townshipsOf(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const schools = await manager.find(School, { where: { id: In(ids) }, select: { id: true, townshipCode: true } });
    return new Map(schools.map((s) => [s.id, s.townshipCode]));
  }

  /** SQL for "`column` names a school of the township in parameter `param`", for another module's WHERE (the township index). */
  inTownship(column: string, param: string): string {
    return `${column} IN (SELECT s.id FROM schools s WHERE s.township_code = :${param})`;
  }

  /** Joins the schools table (alias `alias`, snake_case columns) into another module's query, e.g. the school of a user's unit. */
  joinSchools<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    condition: string,
    kind: 'inner' | 'left' = 'inner',
  ): SelectQueryBuilder<T> {
    return kind === 'inner' ? qb.innerJoin(School, alias, condition) : qb.leftJoin(School, alias, condition);
  }

  /** Each school's name by id (those that exist). */
  async schoolNames(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const schools = await manager.find(School, { where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(schools.map((s) => [s.id, s.name]));
  }

  /** The county's schools: what an import names a school by (its name or its code). */
  async inCounty(manager: EntityManager, countyCode: string): Promise<Array<Pick<SchoolRow, 'id' | 'name' | 'code'>>> {
    return manager.find(School, { where: { countyCode }, select: { id: true, name: true, code: true } });
  }
}
