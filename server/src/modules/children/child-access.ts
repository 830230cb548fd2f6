import type { EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { inReadScope } from '../../common/auth/scope';
import { AppError } from '../../common/errors/app-error';
import type { Child } from './child.entity';
import { Guardianship } from './guardianship.entity';

/**
 * Who may see a child's record (the policy's `read_child` row): officials by the village the child
 * lives in (a division prefix; the child's county when the village is not known) or by the school
 * they attend, county admins their county, parents only children bound to them (`assertGuardian`).
 * The same rules as `applyScope` with `CHILD_SCOPE`, for one record.
 */
export const CHILD_SCOPE = { division: 'COALESCE(ch.village_code, ch.county_code)', school: 'ch.school_id' } as const;

export function officialCanSeeChild(caller: Caller, child: Pick<Child, 'villageCode' | 'countyCode' | 'schoolId'>): boolean {
  return inReadScope(caller, 'read_child', { division: child.villageCode ?? child.countyCode, school: child.schoolId });
}

/** The children bound to a user. */
export async function boundChildIds(manager: EntityManager, userId: string): Promise<string[]> {
  return (await manager.find(Guardianship, { where: { userId }, select: { childId: true } })).map((g) => g.childId);
}

export async function isGuardianOf(manager: EntityManager, userId: string, childId: string): Promise<boolean> {
  return manager.existsBy(Guardianship, { userId, childId });
}

/** A parent asking about a child not bound to them reads "not found", like any out-of-scope record. */
export async function assertGuardian(manager: EntityManager, userId: string, childId: string): Promise<void> {
  if (!(await isGuardianOf(manager, userId, childId))) throw AppError.notFound();
}
