import { divisionLevelOf, divisionPrefix, type CaseActor } from '@baoxue/shared';
import type { Caller } from '../../common/auth/caller';
import type { DropoutCase } from './case.entity';

/**
 * What the caller is to this case (BRIEF §1, the two lines of duty): its responsible cadre, a
 * leader or cadre of its township (or of the county government), a cadre of the child's village,
 * staff of the child's school (or of the school asked to confirm a transferred child), or the county
 * education bureau. The case policy (`CASE_POLICY` in shared) names these.
 */
export function actorsFor(
  caller: Caller,
  record: Pick<DropoutCase, 'countyCode' | 'townshipCode' | 'villageCode' | 'schoolId' | 'assigneeId' | 'confirmingSchoolId'>,
): Set<CaseActor> {
  const actors = new Set<CaseActor>();
  if (caller.role === 'county_admin') {
    if (caller.countyCode === record.countyCode) actors.add('county_admin');
    return actors;
  }
  if (caller.role !== 'official' || !caller.unit) return actors;
  if (record.assigneeId === caller.userId) actors.add('assignee');
  if (caller.unit.kind === 'school') {
    if (record.schoolId === caller.unit.schoolId) actors.add('school_staff');
    if (record.confirmingSchoolId === caller.unit.schoolId) actors.add('receiving_school');
    return actors;
  }
  const unit = caller.unit.code;
  const level = divisionLevelOf(unit);
  const township = record.townshipCode;
  const coversTownship =
    !!township && ((level === 'county' && township.startsWith(divisionPrefix(unit))) || (level === 'township' && township === unit));
  if (coversTownship) actors.add(caller.position === 'leader' ? 'township_leader' : 'township_cadre');
  if (level === 'village' && record.villageCode === unit) actors.add('village_cadre');
  return actors;
}
