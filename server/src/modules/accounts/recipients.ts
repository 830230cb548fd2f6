import { divisionLevelOf, type Position } from '@baoxue/shared';
import { In, IsNull, Like, Not, type EntityManager } from 'typeorm';
import { User } from './user.entity';
import { placeholders, selectRows } from '../../database/sql';

/**
 * Who should be told: the one place that finds the enabled accounts of a unit, for every notifier.
 * Each function takes the caller's EntityManager, so it reads inside the notifier's transaction.
 */

/** Leaders and cadres: the officials who handle a township's or a village's cases. */
export const HANDLING_POSITIONS: readonly Position[] = ['leader', 'cadre'];

const ids = (users: Pick<User, 'id'>[]) => users.map((u) => u.id);

/** Staff (principal, class teachers, …) of a school. */
export async function schoolStaff(manager: EntityManager, schoolId: string): Promise<string[]> {
  return ids(await manager.find(User, { where: { role: 'official', unitSchoolId: schoolId, disabled: false }, select: { id: true } }));
}

/** The leaders (校长) of a school: who is told of its pupils absent without leave, beside the class's 班主任. */
export async function schoolLeaders(manager: EntityManager, schoolId: string): Promise<string[]> {
  return ids(
    await manager.find(User, {
      where: { role: 'official', position: 'leader', unitSchoolId: schoolId, disabled: false },
      select: { id: true },
    }),
  );
}

/** The enabled staff accounts of a school by name: whom its leader may name 班主任. */
export async function schoolStaffAccounts(manager: EntityManager, schoolId: string): Promise<Array<Pick<User, 'id' | 'displayName'>>> {
  return manager.find(User, {
    where: { role: 'official', unitSchoolId: schoolId, disabled: false },
    select: { id: true, displayName: true },
    order: { displayName: 'ASC', id: 'ASC' },
  });
}

/** Officials of the given divisions (a township, its villages), optionally only of some positions. */
export async function divisionOfficials(
  manager: EntityManager,
  divisionCodes: readonly string[],
  positions?: readonly Position[],
): Promise<string[]> {
  return [...(await officialsByDivision(manager, divisionCodes, positions)).values()].flat();
}

/** `divisionOfficials` of many divisions at once, by division (a batch of cases in many villages). */
export async function officialsByDivision(
  manager: EntityManager,
  divisionCodes: readonly string[],
  positions?: readonly Position[],
): Promise<Map<string, string[]>> {
  const byDivision = new Map<string, string[]>();
  const codes = [...new Set(divisionCodes)];
  if (!codes.length) return byDivision;
  // hand-written: a new case asks it on every tip (TypeORM's find cost more than the index read)
  const rows = await selectRows<{ id: string; unit_division_code: string }>(
    manager,
    `SELECT id, unit_division_code FROM users WHERE role = 'official' AND disabled = 0 AND unit_division_code IN (${placeholders(codes.length)})${
      positions ? ` AND position IN (${placeholders(positions.length)})` : ''
    }`,
    [...codes, ...(positions ?? [])],
  );
  for (const row of rows) byDivision.set(row.unit_division_code, [...(byDivision.get(row.unit_division_code) ?? []), row.id]);
  return byDivision;
}

/** The leaders of a township (who are told when its work is overdue or escalated); none for a case in triage. */
export async function townshipLeaders(manager: EntityManager, townshipCode: string | null): Promise<string[]> {
  return townshipCode ? divisionOfficials(manager, [townshipCode], ['leader']) : [];
}

/** The county education bureau's admins (triage, complaints, the top of every escalation). */
export async function countyAdmins(manager: EntityManager, countyCode: string): Promise<string[]> {
  return ids(await manager.find(User, { where: { role: 'county_admin', countyCode, disabled: false }, select: { id: true } }));
}

/** Leaders and cadres of a township or of a village inside it, by name: who may be named 包抓干部. */
export async function townshipHandlers(manager: EntityManager, townshipCode: string): Promise<User[]> {
  return manager.find(User, {
    where: {
      role: 'official',
      position: In([...HANDLING_POSITIONS]),
      unitDivisionCode: Like(`${townshipCode.slice(0, 9)}%`),
      disabled: false,
    },
    order: { displayName: 'ASC' },
  });
}

/** Every township leader and every school's staff of a county: who a 通报 (a county's circular) goes to. */
export async function countyUnitHeadsAndSchoolStaff(manager: EntityManager, countyCode: string): Promise<string[]> {
  const officials = await manager.find(User, {
    select: { id: true, position: true, unitDivisionCode: true, unitSchoolId: true },
    where: [
      { countyCode, role: 'official', disabled: false, unitSchoolId: Not(IsNull()) },
      { countyCode, role: 'official', disabled: false, position: 'leader', unitDivisionCode: Not(IsNull()) },
    ],
    order: { id: 'ASC' },
  });
  return officials
    .filter((user) => user.unitSchoolId !== null || divisionLevelOf(user.unitDivisionCode!) === 'township')
    .map((user) => user.id);
}
