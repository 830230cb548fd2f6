import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { divisionPrefix, isWithinDivision, READ_RELATION, RECORD_POLICY, type ReadAction, type RecordAction } from '@baoxue/shared';
import { AppError } from '../errors/app-error';
import type { Caller } from './caller';
import { recordActorsFor } from './record-policy';

/**
 * Scope: which records a caller may see, from the policy's `read_…` rows (`RECORD_POLICY` in
 * shared): the actor the caller is (`recordActorsFor`, with the row's division levels) reaches
 * records by its `READ_RELATION`: a county admin their county, a division's leaders and cadres
 * their division (a code prefix), school staff their school, a supervisor what they sent, a parent
 * their bound children. Every query that returns scoped data goes through `applyScope`, and single
 * records through `inReadScope`; both fail closed: a caller the row does not list, or whose
 * relation the query cannot express, sees nothing.
 */

/** What a caller reaches when reading a kind of record; null: nothing. */
export type ReadScope =
  | { relation: 'county'; countyCode: string }
  | { relation: 'division'; code: string }
  | { relation: 'school'; schoolId: string }
  | { relation: 'class'; schoolId: string; userId: string }
  | { relation: 'bound_child' | 'own'; userId: string };

/**
 * The caller's scope for `action`'s row: the relation of the actor it lists the caller as (at most
 * one without a record). Mostly a `read_…` row; an action taken across an area (`review_children`)
 * reaches the same way.
 */
export function readScope(caller: Caller, action: RecordAction): ReadScope | null {
  const actors = recordActorsFor(caller, action);
  const actor = RECORD_POLICY[action].who.find((a) => actors.has(a));
  if (!actor) return null;
  const relation = READ_RELATION[actor];
  const unit = caller.unit;
  switch (relation) {
    case 'county':
      return caller.countyCode ? { relation, countyCode: caller.countyCode } : null;
    case 'division':
      return unit?.kind === 'division' ? { relation, code: unit.code } : null;
    case 'school':
      return unit?.kind === 'school' ? { relation, schoolId: unit.schoolId } : null;
    case 'class':
      return unit?.kind === 'school' ? { relation, schoolId: unit.schoolId, userId: caller.userId } : null;
    default:
      return { relation, userId: caller.userId };
  }
}

/** Columns (qualified, e.g. `s.county_code`) through which a query can be scoped. */
export interface ScopeColumns {
  /** The record's county: a county admin is matched on it when given, else by `division`. */
  county?: string;
  /** A 12-digit division code the record lies in (village, township or county). */
  division?: string;
  /** The school the record belongs to. */
  school?: string;
  /** The user who created the record (a supervisor's own tips). */
  owner?: string;
  /**
   * The class the record belongs to (school, grade, class name): a 班主任 reads the records of the
   * classes `class_teachers` names them for.
   */
  schoolClass?: readonly [school: string, grade: string, className: string];
}

const SCOPE_COLUMNS = ['county', 'division', 'school', 'owner'] as const satisfies ReadonlyArray<keyof ScopeColumns>;
type ValueColumn = (typeof SCOPE_COLUMNS)[number];

/** The one condition a scope puts on a record: a column equal to, or starting with, a value. */
function scopeCondition(scope: ReadScope | null, columns: ScopeColumns): { column: ValueColumn; value: string; prefix: boolean } | null {
  switch (scope?.relation) {
    case 'county':
      if (columns.county) return { column: 'county', value: scope.countyCode, prefix: false };
      return columns.division ? { column: 'division', value: divisionPrefix(scope.countyCode), prefix: true } : null;
    case 'division':
      return columns.division ? { column: 'division', value: divisionPrefix(scope.code), prefix: true } : null;
    case 'school':
      return columns.school ? { column: 'school', value: scope.schoolId, prefix: false } : null;
    case 'own':
      return columns.owner ? { column: 'owner', value: scope.userId, prefix: false } : null;
    default:
      // nothing, or a guardian's: their lists are read through their bindings (the `…Mine` routes)
      return null;
  }
}

/** Narrows a query to what the caller may read of `action`'s kind of record. */
export function applyScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  caller: Caller,
  action: ReadAction,
  columns: ScopeColumns,
): SelectQueryBuilder<T> {
  const scope = readScope(caller, action);
  if (scope?.relation === 'class') {
    if (!columns.schoolClass) return qb.andWhere('1 = 0');
    const [school, grade, className] = columns.schoolClass;
    return qb.andWhere(
      `${school} = :scope_class_school AND EXISTS (SELECT 1 FROM class_teachers ct WHERE ct.user_id = :scope_class_teacher` +
        ` AND ct.school_id = ${school} AND ct.grade = ${grade} AND ct.class_name = ${className})`,
      { scope_class_school: scope.schoolId, scope_class_teacher: scope.userId },
    );
  }
  const where = scopeCondition(scope, columns);
  if (!where) return qb.andWhere('1 = 0');
  const column = columns[where.column]!;
  const name = `scope_${column.replace(/\W/g, '_')}`;
  return where.prefix
    ? qb.andWhere(`${column} LIKE :${name}`, { [name]: `${where.value}%` })
    : qb.andWhere(`${column} = :${name}`, { [name]: where.value });
}

/** A record's values for the scope columns; `guardian`: the service found the caller bound to its child. */
export type ScopedRecord = { [column in ValueColumn]?: string | null } & { guardian?: boolean; classTeacher?: boolean };

/** Whether one record is in what the caller may read of its kind: the same rule as `applyScope`. */
export function inReadScope(caller: Caller, action: ReadAction, record: ScopedRecord): boolean {
  const scope = readScope(caller, action);
  if (scope?.relation === 'bound_child') return record.guardian === true;
  if (scope?.relation === 'class') return record.school === scope.schoolId && record.classTeacher === true;
  // the columns the record gives (each named by itself), so the same condition is chosen as for a query
  const given: ScopeColumns = {};
  for (const column of SCOPE_COLUMNS) if (record[column] !== undefined) given[column] = column;
  const where = scopeCondition(scope, given);
  if (!where) return false;
  const value = record[where.column];
  return typeof value === 'string' && (where.prefix ? value.startsWith(where.value) : value === where.value);
}

/**
 * Whether a division code (a list's `under` filter) lies in the area the caller reads `action`'s
 * records by: a county admin's county, a division official's unit (at the row's levels). Callers
 * who read by school, binding or ownership have no area: false.
 */
export function divisionInReadScope(caller: Caller, action: ReadAction, code: string): boolean {
  const where = scopeCondition(readScope(caller, action), { division: 'division' });
  return where !== null && code.startsWith(where.value);
}

/**
 * Whether `action`'s row reaches the caller through the children bound to them (a guardian): the
 * service asks the database whether they are bound to the record's child and passes `guardian`.
 */
export function readsBoundChildren(caller: Caller, action: ReadAction): boolean {
  return readScope(caller, action)?.relation === 'bound_child';
}

/** For a record the caller asked for by id: out of scope reads as "not found", never as someone else's data. */
export function assertCountyScope(caller: Caller, recordCountyCode: string | null): void {
  if (!recordCountyCode || !caller.countyCode || !isWithinDivision(recordCountyCode, caller.countyCode)) throw AppError.notFound();
}
