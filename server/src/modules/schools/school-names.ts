import { In, type EntityManager } from 'typeorm';
import { School } from './school.entity';

/** The names of the given schools by id, in one query; blanks are skipped. */
export async function schoolNames(manager: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  if (unique.length === 0) return new Map();
  const schools = await manager.find(School, { where: { id: In(unique) }, select: { id: true, name: true } });
  return new Map(schools.map((s) => [s.id, s.name]));
}
