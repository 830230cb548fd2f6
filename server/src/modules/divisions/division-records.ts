import { Injectable } from '@nestjs/common';
import { divisionPrefix, type CountySettings } from '@baoxue/shared';
import { Like, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { selectRows } from '../../database/sql';
import { Division, ServedCounty } from './division.entity';

/** A stored division as other modules see it (they never import the entity). */
export type DivisionRow = Division;

/** A county this deployment serves, with its stored settings. */
export type ServedCountyRow = ServedCounty;

/** A served county's settings as the driver hands them over: JSON text, or parsed by a driver that knows the type. */
export function storedSettings(stored: string | Record<string, unknown>): Record<string, unknown> {
  return typeof stored === 'string' ? (JSON.parse(stored) as Record<string, unknown>) : stored;
}

/**
 * Administrative divisions as other modules read them. The divisions module owns the divisions table.
 */
@Injectable()
export class DivisionRecords {
  /** Every county this deployment serves. */
  async servedCounties(manager: EntityManager): Promise<ServedCountyRow[]> {
    return manager.find(ServedCounty);
  }

  /** The served counties whose codes start with `prefix` (a prefecture's or province's), by code. */
  async servedCountiesUnder(manager: EntityManager, prefix: string): Promise<ServedCountyRow[]> {
    return manager.find(ServedCounty, { where: { code: Like(`${prefix}%`) }, order: { code: 'ASC' } });
  }

  /** A served county, or null when the deployment does not serve it. */
  async servedCounty(manager: EntityManager, code: string): Promise<ServedCountyRow | null> {
    // hand-written: every tip reads its county's settings
    const [row] = await selectRows<{ code: string; settings: string }>(
      manager,
      'SELECT code, settings FROM served_counties WHERE code = ?',
      [code],
    );
    return row ? { code: row.code, settings: storedSettings(row.settings) } : null;
  }

  /**
   * Marks a county as served (its tips are routed, its officials work here), with no settings of its
   * own yet (the defaults apply). Returns false when it was served already.
   */
  async serveCounty(manager: EntityManager, code: string): Promise<boolean> {
    if (await manager.existsBy(ServedCounty, { code })) return false;
    // two operators at once: the second insert is ignored
    await manager.createQueryBuilder().insert().into(ServedCounty).values({ code, settings: {} }).orIgnore().execute();
    return true;
  }

  /** The division (any level) with this code, or null. */
  async findByCode(manager: EntityManager, code: string): Promise<DivisionRow | null> {
    return manager.findOneBy(Division, { code });
  }

  /** How many townships and villages of a county are imported. */
  async countUnder(manager: EntityManager, countyCode: string): Promise<{ townships: number; villages: number }> {
    const rows = await manager
      .createQueryBuilder(Division, 'd')
      .select('d.level', 'level')
      .addSelect('COUNT(*)', 'n')
      .where('d.code LIKE :prefix AND d.level IN (:...levels)', {
        prefix: `${divisionPrefix(countyCode)}%`,
        levels: ['township', 'village'],
      })
      .groupBy('d.level')
      .getRawMany<{ level: string; n: number | string }>();
    const count = (level: string) => Number(rows.find((r) => r.level === level)?.n ?? 0);
    return { townships: count('township'), villages: count('village') };
  }

  /** Replaces a served county's stored settings (its local policy). */
  async setCountySettings(manager: EntityManager, code: string, settings: Partial<CountySettings>): Promise<void> {
    await manager.update(ServedCounty, { code }, { settings });
  }

  /** Joins the served county whose code `condition` names (left: null columns when not served), in another module's query. */
  joinServedCounties<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, condition: string): SelectQueryBuilder<T> {
    return qb.leftJoin(ServedCounty, alias, condition);
  }

  /** The codes of the served counties as a subquery of `qb`, for `column IN (…)` in another module's query. */
  servedCountyCodes<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): string {
    return qb.subQuery().select('c.code').from(ServedCounty, 'c').getQuery();
  }

  /** The townships and villages of a county (what an import names a village by). */
  async townshipsAndVillagesOf(manager: EntityManager, countyCode: string): Promise<DivisionRow[]> {
    return manager
      .createQueryBuilder(Division, 'd')
      .where('d.code LIKE :prefix AND d.level IN (:...levels)', {
        prefix: `${divisionPrefix(countyCode)}%`,
        levels: ['township', 'village'],
      })
      .getMany();
  }
}
