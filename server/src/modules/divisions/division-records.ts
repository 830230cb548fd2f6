import { Injectable } from '@nestjs/common';
import { divisionPrefix, type CountySettings } from '@baoxue/shared';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Division, ServedCounty } from './division.entity';

/** A stored division as other modules see it (they never import the entity). */
export type DivisionRow = Division;

/** A county this deployment serves, with its stored settings. */
export type ServedCountyRow = ServedCounty;

/**
 * Administrative divisions as other modules read them. The divisions module owns the divisions table.
 */
@Injectable()
export class DivisionRecords {
  /** Every county this deployment serves. */
  async servedCounties(manager: EntityManager): Promise<ServedCountyRow[]> {
    return manager.find(ServedCounty);
  }

  /** A served county, or null when the deployment does not serve it. */
  async servedCounty(manager: EntityManager, code: string): Promise<ServedCountyRow | null> {
    return manager.findOneBy(ServedCounty, { code });
  }

  /** Replaces a served county's stored settings (its local policy). */
  async setCountySettings(manager: EntityManager, code: string, settings: Partial<CountySettings>): Promise<void> {
    await manager.update(ServedCounty, { code }, { settings });
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
