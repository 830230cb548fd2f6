import { In, type EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity';
import { School } from '../schools/school.entity';

/** Names by id, in one query each; unknown or null ids are skipped. Pass the transaction's manager inside one. */
export async function schoolNamesOf(manager: EntityManager, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  if (!unique.length) return new Map();
  const rows = await manager.find(School, { where: { id: In(unique) }, select: { id: true, name: true } });
  return new Map(rows.map((s) => [s.id, s.name]));
}

export async function userNamesOf(manager: EntityManager, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  if (!unique.length) return new Map();
  const rows = await manager.find(User, { where: { id: In(unique) }, select: { id: true, displayName: true } });
  return new Map(rows.map((u) => [u.id, u.displayName]));
}
