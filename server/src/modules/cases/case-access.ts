import { mayTakeCaseAction } from '@baoxue/shared';
import type { Caller } from '../../common/auth/caller';
import { inReadScope } from '../../common/auth/scope';
import { actorsFor } from './case-actors';
import type { DropoutCase } from './case.entity';

/**
 * Who may see and handle a case: the policy's `read_case` row, for lists `applyScope` with the case
 * columns (routing_code for divisions and the county, school_id for schools), for a single record
 * `inReadScope` (its county for the county admin).
 */
export const CASE_SCOPE = { division: 'c.routing_code', school: 'c.school_id' } as const;

export function canSeeCase(caller: Caller, record: Pick<DropoutCase, 'routingCode' | 'schoolId' | 'countyCode'>): boolean {
  return inReadScope(caller, 'read_case', { county: record.countyCode, division: record.routingCode, school: record.schoolId });
}

/** Township-level work (accepting, handing back): a county admin, or a leader or cadre of the county or the township (`accept`'s actors). */
export function canHandleForTownship(
  caller: Caller,
  record: Pick<
    DropoutCase,
    'routingCode' | 'schoolId' | 'countyCode' | 'townshipCode' | 'villageCode' | 'assigneeId' | 'confirmingSchoolId'
  >,
): boolean {
  return canSeeCase(caller, record) && mayTakeCaseAction('accept', actorsFor(caller, record));
}
