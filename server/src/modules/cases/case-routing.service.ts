import { Injectable } from '@nestjs/common';
import { ancestorDivisionCode, divisionLevelOf } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import {
  countyAdmins,
  divisionOfficials,
  HANDLING_POSITIONS,
  officialsByDivision,
  schoolStaff,
  townshipHandlers,
} from '../accounts/recipients';
import type { UserRow } from '../accounts/user-records';
import { DivisionsService } from '../divisions/divisions.service';
import type { CaseRouting } from './case.entity';

export interface RoutingDecision {
  countyCode: string;
  /** null: the county's triage queue. */
  townshipCode: string | null;
  villageCode: string | null;
  routingCode: string;
  rule: CaseRouting['rule'];
  reason: string | null;
}

/**
 * Where a report goes (BRIEF §3): to the township owning the village, or — without a usable
 * village, or outside every served county — to the triage queue of the reporter's county.
 */
@Injectable()
export class CaseRoutingService {
  constructor(private readonly divisions: DivisionsService) {}

  /**
   * `divisionCode` must exist and be a county, township or village code (checked by the caller).
   * `servedCounty`: a county the caller has just read as served (the reporter's own), asked no more.
   */
  async decide(
    manager: EntityManager,
    divisionCode: string | null,
    reporterCounty: string,
    servedCounty: string | null = null,
  ): Promise<RoutingDecision> {
    const triage = (countyCode: string, rule: CaseRouting['rule'], reason: string): RoutingDecision => ({
      countyCode,
      townshipCode: null,
      villageCode: null,
      routingCode: countyCode,
      rule,
      reason,
    });
    if (!divisionCode) return triage(reporterCounty, 'no_place', '未注明孩子住在哪个乡镇');
    const county = ancestorDivisionCode(divisionCode, 'county')!;
    if (county !== servedCounty && !(await this.divisions.isServedCounty(county, manager)))
      return triage(reporterCounty, 'outside_served', '所报地点不在本系统服务的县内');
    const level = divisionLevelOf(divisionCode);
    if (level === 'county') return triage(county, 'no_place', '只注明到县，未注明乡镇');
    const townshipCode = ancestorDivisionCode(divisionCode, 'township')!;
    const villageCode = level === 'village' ? divisionCode : null;
    return {
      countyCode: county,
      townshipCode,
      villageCode,
      routingCode: villageCode ?? townshipCode,
      rule: level === 'village' ? 'village' : 'township',
      reason: null,
    };
  }

  /**
   * Who is told of a newly routed case: the leaders and cadres of its township and of its village,
   * the staff of its school; for a case in triage, the county's admins.
   */
  async recipients(
    manager: EntityManager,
    route: Pick<RoutingDecision, 'countyCode' | 'townshipCode' | 'villageCode'>,
    schoolId: string | null,
  ): Promise<string[]> {
    const ids = new Set<string>();
    const told = route.townshipCode
      ? await divisionOfficials(manager, [route.townshipCode, ...(route.villageCode ? [route.villageCode] : [])], HANDLING_POSITIONS)
      : await countyAdmins(manager, route.countyCode);
    told.forEach((id) => ids.add(id));
    if (schoolId) (await schoolStaff(manager, schoolId)).forEach((id) => ids.add(id));
    return [...ids];
  }

  /**
   * `recipients` of many routed cases (a cross-check's batch), in a query for all their townships
   * and villages and one per county in triage and per school: who is told of each, in order.
   */
  async recipientsOfMany(
    manager: EntityManager,
    cases: ReadonlyArray<{ route: Pick<RoutingDecision, 'countyCode' | 'townshipCode' | 'villageCode'>; schoolId: string | null }>,
  ): Promise<string[][]> {
    const officials = await officialsByDivision(
      manager,
      cases.flatMap(({ route }) => (route.townshipCode ? [route.townshipCode, ...(route.villageCode ? [route.villageCode] : [])] : [])),
      HANDLING_POSITIONS,
    );
    const admins = new Map<string, string[]>();
    const staff = new Map<string, string[]>();
    for (const { route, schoolId } of cases) {
      if (!route.townshipCode && !admins.has(route.countyCode)) admins.set(route.countyCode, await countyAdmins(manager, route.countyCode));
      if (schoolId && !staff.has(schoolId)) staff.set(schoolId, await schoolStaff(manager, schoolId));
    }
    return cases.map(({ route, schoolId }) => {
      const told = route.townshipCode
        ? [...(officials.get(route.townshipCode) ?? []), ...((route.villageCode && officials.get(route.villageCode)) || [])]
        : admins.get(route.countyCode)!;
      return [...new Set([...told, ...(schoolId ? staff.get(schoolId)! : [])])];
    });
  }

  /** Leaders and cadres who may be named 包抓干部: of the township or of a village inside it. */
  async assignees(manager: EntityManager, townshipCode: string): Promise<UserRow[]> {
    return townshipHandlers(manager, townshipCode);
  }
}
