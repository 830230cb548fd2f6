import {
  divisionLevelOf,
  divisionPrefix,
  isWithinDivision,
  mayTakeRecordAction,
  RECORD_POLICY,
  type RecordAction,
  type RecordActor,
} from '@baoxue/shared';
import { AppError } from '../errors/app-error';
import type { Caller } from './caller';

/**
 * What an action is about, as far as the policy asks: the record's county, the division code that
 * places it (a deferral's township), its school, and whether the service found the caller a bound
 * guardian of its child. A part left out is not asked (any parent is a guardian where there is no
 * child yet); a division code of null places it nowhere.
 */
export interface PolicyRecord {
  countyCode?: string;
  divisionCode?: string | null;
  schoolId?: string;
  guardian?: boolean;
  /** Whether the service found the caller a 班主任 of the record's class (left out: any class). */
  classTeacher?: boolean;
}

/**
 * What the caller is to the record for `action` (`RecordActor` in shared). An account without a
 * county acts for no unit; only the levels of division units the action's row names count.
 */
export function recordActorsFor(caller: Caller, action: RecordAction, record: PolicyRecord = {}): Set<RecordActor> {
  const actors = new Set<RecordActor>();
  if (caller.role === 'parent') {
    if (record.guardian !== false) actors.add('guardian');
    return actors;
  }
  if (caller.role === 'supervisor') return actors.add('supervisor');
  if (caller.role === 'region_admin') {
    // a prefecture's or province's bureau: its unit is the region, a record of it lies under the region's prefix
    if (caller.unit?.kind !== 'division') return actors;
    const region = caller.unit.code;
    const within = (code: string | null | undefined) => code === undefined || (code !== null && isWithinDivision(code, region));
    if (within(record.countyCode) && within(record.divisionCode) && record.schoolId === undefined) actors.add('region_admin');
    return actors;
  }
  if (!caller.countyCode) return actors;
  if (caller.role === 'county_admin') {
    if (record.countyCode === undefined || record.countyCode === caller.countyCode) actors.add('county_admin');
    return actors;
  }
  if (caller.role !== 'official' || !caller.unit) return actors;
  if (caller.unit.kind === 'school') {
    if (record.schoolId !== undefined && record.schoolId !== caller.unit.schoolId) return actors;
    actors.add('school_staff');
    if (caller.position === 'leader') actors.add('school_leader');
    if (record.classTeacher !== false) actors.add('class_teacher');
    return actors;
  }
  const { levels } = RECORD_POLICY[action];
  const unit = caller.unit.code;
  if (levels && !levels.includes(divisionLevelOf(unit))) return actors;
  if (record.divisionCode === null) return actors;
  if (record.divisionCode !== undefined && !record.divisionCode.startsWith(divisionPrefix(unit))) return actors;
  if (caller.position === 'leader') actors.add('division_leader');
  if (caller.position === 'cadre') actors.add('division_cadre');
  return actors;
}

/**
 * The one place the server checks `RECORD_POLICY` for the records other than cases: an action the
 * caller may not take is refused with the row's reason. Returns what the caller is to the record.
 */
export function requireRecordAccess(caller: Caller, action: RecordAction, record: PolicyRecord = {}): Set<RecordActor> {
  const actors = recordActorsFor(caller, action, record);
  if (!mayTakeRecordAction(action, actors)) throw refusalOf(action);
  return actors;
}

/**
 * For an action of a county's own records (its schools, registries, invitations): the county the
 * caller takes it in, once `requireRecordAccess` let them. A caller without one is refused alike.
 */
export function requireCountyAccess(caller: Caller, action: RecordAction): string {
  requireRecordAccess(caller, action);
  if (!caller.countyCode) throw refusalOf(action);
  return caller.countyCode;
}

function refusalOf(action: RecordAction): AppError {
  const { refusal, fields } = RECORD_POLICY[action];
  return AppError.forbidden(refusal, fields ? { ...fields } : undefined);
}
