import type { EntityManager } from 'typeorm';
import { UserRecords } from '../accounts/user-records';
import { SchoolRecords } from '../schools/school-records';

// Plain functions for the modules that still call them; new code injects SchoolRecords and UserRecords.
const schools = new SchoolRecords();
const users = new UserRecords();

/** The ids to look names up for: each once, none null. */
function named(ids: ReadonlyArray<string | null>): string[] {
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/** Names by id, in one query each; unknown or null ids are skipped. Pass the transaction's manager inside one. */
export async function schoolNamesOf(manager: EntityManager, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  return schools.schoolNames(manager, named(ids));
}

export async function userNamesOf(manager: EntityManager, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  return users.displayNames(manager, named(ids));
}
