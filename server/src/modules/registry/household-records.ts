import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager } from 'typeorm';
import { HouseholdMember } from './registry.entities';

/** A child as the household registry (户籍) lists them, as other modules see it (they never import the entity). */
export type HouseholdMemberRow = HouseholdMember;

/**
 * The imported household registry as other modules read it (enrolment finds the children about to
 * start school there). The registry module owns the household tables.
 */
@Injectable()
export class HouseholdRecords {
  /** The county's household children born within the window, living under one of the division prefixes; at most `limit`. */
  async entrantsIn(
    manager: EntityManager,
    countyCode: string,
    window: { from: string; to: string },
    villagePrefixes: string[],
    limit: number,
  ): Promise<HouseholdMemberRow[]> {
    return manager
      .createQueryBuilder(HouseholdMember, 'h')
      .where('h.county_code = :county AND h.birth_date BETWEEN :from AND :to', { county: countyCode, ...window })
      .andWhere(
        new Brackets((w) => villagePrefixes.forEach((prefix, i) => w.orWhere(`h.village_code LIKE :p${i}`, { [`p${i}`]: `${prefix}%` }))),
      )
      .limit(limit)
      .getMany();
  }
}
