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

/**
 * The same scope for the inbox: a county's, a township's or a village's prefix of the routing code
 * is matched on the column holding that part (generated from it by the database), an equality the
 * inbox's indexes serve together with its order. The same cases as `CASE_SCOPE`.
 */
export const INBOX_SCOPE = {
  ...CASE_SCOPE,
  divisionParts: { 6: 'c.routing_county', 9: 'c.routing_township', 12: 'c.routing_code' },
} as const;

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
