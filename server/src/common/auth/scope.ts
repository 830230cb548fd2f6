import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { divisionPrefix, isWithinDivision } from '@baoxue/shared';
import { AppError } from '../errors/app-error';
import type { Caller } from './caller';

/**
 * Scope: which records a caller may see. A county admin sees their county; an official or a
 * supervisor their division (a code prefix) or their school; a supervisor only what they sent;
 * a parent only their bound children. Every query that returns scoped data goes through
 * `applyScope`, which fails closed: a caller whose kind of scope the query cannot express sees
 * nothing.
 */

/** The division-code prefix of a caller's division scope, or null when it is not a division. */
export function divisionScopePrefix(caller: Caller): string | null {
  if (caller.role === 'county_admin' && caller.countyCode) return divisionPrefix(caller.countyCode);
  if (caller.unit?.kind === 'division') return divisionPrefix(caller.unit.code);
  return null;
}

export function isDivisionInScope(caller: Caller, code: string): boolean {
  const prefix = divisionScopePrefix(caller);
  return prefix !== null && code.startsWith(prefix);
}

/** Columns (qualified, e.g. `s.county_code`) through which a query can be scoped. */
export interface ScopeColumns {
  /** A 12-digit division code the record lies in (village, township or county). */
  division?: string;
  /** The school the record belongs to. */
  school?: string;
  /** The user who created the record (a supervisor's own tips). */
  owner?: string;
}

/** Narrows a query to the caller's scope. */
export function applyScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  caller: Caller,
  columns: ScopeColumns,
): SelectQueryBuilder<T> {
  const name = `scope_${(columns.division ?? columns.school ?? columns.owner ?? '').replace(/\W/g, '_')}`;
  const prefix = caller.role === 'supervisor' ? null : divisionScopePrefix(caller);
  if (prefix !== null && columns.division) return qb.andWhere(`${columns.division} LIKE :${name}`, { [name]: `${prefix}%` });
  if (caller.role === 'official' && caller.unit?.kind === 'school' && columns.school) {
    return qb.andWhere(`${columns.school} = :${name}`, { [name]: caller.unit.schoolId });
  }
  if (caller.role === 'supervisor' && columns.owner) return qb.andWhere(`${columns.owner} = :${name}`, { [name]: caller.userId });
  return qb.andWhere('1 = 0');
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
