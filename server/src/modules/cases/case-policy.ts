import { allowedCaseActions, caseActionRefusal, mayTakeCaseAction, type CaseAction, type CaseFacts } from '@baoxue/shared';
import type { Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { canSeeCase } from './case-access';
import { actorsFor } from './case-actors';
import type { DropoutCase } from './case.entity';

/**
 * The one place the server checks the case policy (`CASE_POLICY` in shared) for a single case: a
 * case out of the caller's scope reads as not found, an action the caller may not take is refused
 * with the policy's reason. Whether the case's state allows it is the service's to say (a conflict).
 */
type PolicyRecord = Pick<
  DropoutCase,
  'countyCode' | 'townshipCode' | 'villageCode' | 'routingCode' | 'schoolId' | 'assigneeId' | 'confirmingSchoolId'
>;

export function requireAccess(caller: Caller, action: CaseAction, record: PolicyRecord): void {
  if (!canSeeCase(caller, record)) throw AppError.notFound();
  if (!mayTakeCaseAction(action, actorsFor(caller, record))) throw AppError.forbidden(caseActionRefusal(action));
}

/** What the caller may do with the case now, for the mini program to offer. */
export function caseActionsFor(
  caller: Caller,
  record: PolicyRecord & Pick<DropoutCase, 'status' | 'returnedOn' | 'tipCount'>,
  attendanceProven: boolean,
): CaseAction[] {
  if (!canSeeCase(caller, record)) return [];
  const facts: CaseFacts = {
    status: record.status,
    attendanceProven,
    returned: !!record.returnedOn,
    inTownship: !!record.townshipCode,
    tipCount: record.tipCount,
    hasAssignee: !!record.assigneeId,
  };
  return allowedCaseActions(actorsFor(caller, record), facts);
}
