import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ancestorDivisionCode,
  DIVISION_LEVELS,
  divisionLevelOf,
  divisionPrefix,
  type DivisionLevel,
  type DivisionView,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { CacheVersionWatch } from '../../common/cache/cache-versions';
import { AppError } from '../../common/errors/app-error';
import { containsPattern, LIKE_ESCAPE } from '../../common/sql/like';
import { Division, ServedCounty } from './division.entity';

export interface SearchDivisions {
  q: string;
  under?: string;
  level?: string;
  limit: number;
}

/** Codes of the divisions whose names make up a full name: the county (or the node itself above it) down. */
function fullNameCodes(code: string): string[] {
  const level = divisionLevelOf(code);
  const index = DIVISION_LEVELS.indexOf(level);
  const from = Math.min(DIVISION_LEVELS.indexOf('county'), index);
  return DIVISION_LEVELS.slice(from, index + 1).map((l) => ancestorDivisionCode(code, l as DivisionLevel)!);
}

/** The cache version an import bumps (`cache_versions`). */
export const DIVISIONS_CACHE = 'divisions';

/** Bounds the name cache: a county needs a few hundred entries, the whole country would need 700 000. */
const NAME_CACHE_LIMIT = 50_000;

@Injectable()
export class DivisionsService {
  /*
   * Names of divisions read so far. Divisions change only through an import, which bumps their cache
   * version in its transaction (every instance drops its names within a second; `forget()` drops this
   * instance's at once); every tip and inbox page looks names up, so they are read once per process.
   * Only divisions found are cached: a code missing now may be imported later.
   */
  private readonly nameCache = new Map<string, string>();
  private readonly version = new CacheVersionWatch(DIVISIONS_CACHE);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Drops the cached names (after an import renamed or added divisions). */
  forget(): void {
    this.nameCache.clear();
    this.version.expire();
  }

  private remember(rows: Array<{ code: string; name: string }>): void {
    if (this.nameCache.size + rows.length > NAME_CACHE_LIMIT) this.nameCache.clear();
    for (const row of rows) this.nameCache.set(row.code, row.name);
  }

  async get(code: string): Promise<DivisionView> {
    const division = await this.dataSource.manager.findOneBy(Division, { code });
    if (!division) throw AppError.notFound();
    return (await this.toViews([division]))[0]!;
  }

  async children(code: string): Promise<DivisionView[]> {
    if (!(await this.dataSource.manager.existsBy(Division, { code }))) throw AppError.notFound();
    const rows = await this.dataSource.manager.find(Division, { where: { parentCode: code }, order: { code: 'ASC' } });
    return this.toViews(rows);
  }

  async served(): Promise<DivisionView[]> {
    const served = await this.dataSource.manager.find(ServedCounty, { order: { code: 'ASC' } });
    if (served.length === 0) return [];
    const rows = await this.dataSource.manager.find(Division, { where: { code: In(served.map((s) => s.code)) }, order: { code: 'ASC' } });
    return this.toViews(rows);
  }

  async search(query: SearchDivisions): Promise<DivisionView[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(Division, 'd')
      .where(`d.name LIKE :name ${LIKE_ESCAPE}`, { name: containsPattern(query.q) })
      .orderBy('d.code', 'ASC')
      .limit(query.limit);
    if (query.under) qb.andWhere('d.code LIKE :prefix', { prefix: `${divisionPrefix(query.under)}%` });
    if (query.level) qb.andWhere('d.level = :level', { level: query.level });
    return this.toViews(await qb.getMany());
  }

  /*
   * Lookups take the caller's EntityManager when they run inside a transaction: a second pool
   * connection there can deadlock the pool under load (every connection held by a transaction
   * waiting for another).
   */

  async isServedCounty(countyCode: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.existsBy(ServedCounty, { code: countyCode });
  }

  async exists(code: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await this.names([code], manager)).has(code);
  }

  /** The name of each division, in at most one query (none when all are cached). */
  async names(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    if (!(await this.version.fresh(manager))) this.nameCache.clear();
    for (const code of new Set(codes)) {
      const name = this.nameCache.get(code);
      if (name === undefined) missing.push(code);
      else found.set(code, name);
    }
    if (missing.length) {
      const rows = await manager.find(Division, { where: { code: In(missing) }, select: { code: true, name: true } });
      for (const row of rows) found.set(row.code, row.name);
      this.remember(rows);
    }
    return found;
  }

  /** `光山县 十里镇 吴明村民委员会` for each code, in one query. */
  async fullNames(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const names = await this.names(codes.flatMap(fullNameCodes), manager);
    return new Map(
      codes.map((code) => [
        code,
        fullNameCodes(code)
          .map((c) => names.get(c) ?? '')
          .filter(Boolean)
          .join(' '),
      ]),
    );
  }

  async toViews(rows: Division[]): Promise<DivisionView[]> {
    const parents = rows.filter((r) => r.level !== 'village').map((r) => r.code);
    const withChildren = new Set<string>();
    if (parents.length) {
      const counted = await this.dataSource.manager
        .createQueryBuilder(Division, 'd')
        .select('d.parent_code', 'parent')
        .where({ parentCode: In(parents) })
        .groupBy('d.parent_code')
        .getRawMany<{ parent: string }>();
      for (const c of counted) withChildren.add(c.parent);
    }
    const fullNames = await this.fullNames(rows.map((r) => r.code));
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parentCode,
      fullName: fullNames.get(r.code) || r.name,
      hasChildren: withChildren.has(r.code),
    }));
  }
}
