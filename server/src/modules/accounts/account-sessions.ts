import type { EntityManager } from 'typeorm';

/**
 * The sessions of an account, as the accounts module needs them: disabling an account signs it out
 * everywhere. The auth module, which owns sessions, provides it (SessionsService), so accounts never
 * imports auth.
 */
export abstract class AccountSessions {
  /** Revokes every live session of the user, inside the caller's transaction. */
  abstract revokeAll(manager: EntityManager, userId: string): Promise<void>;
}
