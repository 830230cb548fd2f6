import { divisionPrefix, isWithinDivision } from '@baoxue/shared';
import { AppError } from '../errors/app-error';
import type { Caller } from './caller';

/**
 * The division-code prefix a caller's data is limited to: a county admin's county, an official's
 * or supervisor's division. Null when the caller's scope is not a division (a school, a parent).
 */
export function divisionScopePrefix(caller: Caller): string | null {
  if (caller.role === 'county_admin' && caller.countyCode) return divisionPrefix(caller.countyCode);
  if (caller.unit?.kind === 'division') return divisionPrefix(caller.unit.code);
  return null;
}

export function isDivisionInScope(caller: Caller, code: string): boolean {
  const prefix = divisionScopePrefix(caller);
  return prefix !== null && code.startsWith(prefix);
}

/** The county a county admin administers; anything else is refused. */
export function administeredCounty(caller: Caller): string {
  if (caller.role !== 'county_admin' || !caller.countyCode) throw AppError.forbidden();
  return caller.countyCode;
}

/** For a record the caller asked for by id: out of scope reads as "not found", never as someone else's data. */
export function assertCountyScope(caller: Caller, recordCountyCode: string | null): void {
  if (!recordCountyCode || !caller.countyCode || !isWithinDivision(recordCountyCode, caller.countyCode)) throw AppError.notFound();
}
