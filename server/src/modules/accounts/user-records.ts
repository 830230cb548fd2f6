import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { User } from './user.entity';

/** A stored user as other modules see it (they never import the entity). */
export type UserRow = User;

/**
 * Accounts as other modules read them (who someone is, who holds a unit). The accounts module owns the users table.
 */
@Injectable()
export class UserRecords {
  /** Each user's display name by id, in the order the database returns them. */
  async displayNames(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await manager.find(User, { where: { id: In(ids) }, select: { id: true, displayName: true } });
    return new Map(users.map((u) => [u.id, u.displayName]));
  }

  /** The user with this id, which the caller's own rows point at: a missing one fails as findOneByOrFail does. */
  async getById(manager: EntityManager, id: string): Promise<UserRow> {
    return manager.findOneByOrFail(User, { id });
  }

  /** The user of a demo account (demo and local modes), or null. */
  async findByDemoAccount(manager: EntityManager, account: string): Promise<UserRow | null> {
    return manager.findOneBy(User, { demoAccount: account });
  }

  /** The users of every demo account, by id. */
  async demoAccounts(manager: EntityManager): Promise<UserRow[]> {
    return manager.find(User, { where: { demoAccount: Not(IsNull()) }, order: { id: 'ASC' } });
  }

  /** The user's WeChat openid, or null when the user or their openid is missing. */
  async openidOf(manager: EntityManager, id: string): Promise<string | null> {
    const user = await manager.findOne(User, { where: { id }, select: { id: true, openid: true } });
    return user?.openid ?? null;
  }

  /** Records when the user was last seen (the caller decides how often). */
  async markSeen(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(User, { id }, { lastSeenAt: at });
  }

  /** Gives the user the role and unit an invitation was issued for, inside the caller's transaction. */
  async appoint(
    manager: EntityManager,
    id: string,
    appointment: Pick<UserRow, 'role' | 'position' | 'unitDivisionCode' | 'unitSchoolId' | 'countyCode' | 'displayName'>,
  ): Promise<void> {
    await manager.update(User, { id }, appointment);
  }

  /** The user's role, or null when there is no such user (who an audit entry names). */
  async roleOf(manager: EntityManager, id: string): Promise<UserRow['role'] | null> {
    return (await manager.findOne(User, { where: { id }, select: { role: true } }))?.role ?? null;
  }

  /** Joins the users table (alias `alias`, snake_case columns) into another module's query, e.g. the user of a session. */
  joinUsers<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    condition: string,
    kind: 'inner' | 'left' = 'inner',
  ): SelectQueryBuilder<T> {
    return kind === 'inner' ? qb.innerJoin(User, alias, condition) : qb.leftJoin(User, alias, condition);
  }
}
