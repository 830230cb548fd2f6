import { Injectable } from '@nestjs/common';
import type { AuditAction } from '@baoxue/shared';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccountSessions } from './account-sessions';
import { User } from './user.entity';

/** A county admin as the operator's commands list them. */
export interface CountyAdminRow {
  id: string;
  displayName: string;
  disabled: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** The admin whose role `revoke` took away. */
export interface RevokedCountyAdmin {
  id: string;
  displayName: string;
}

/** `revoke` found no county admin of the county by that id or name; `formerAdmins` are users it revoked before. */
export class NoSuchCountyAdmin extends Error {
  constructor(readonly formerAdmins: Array<{ id: string; displayName: string; revokedAt: Date }>) {
    super('no such county admin');
  }
}

/** Several admins of the county bear the name: the operator must give an id. */
export class AmbiguousCountyAdmin extends Error {
  constructor(readonly candidates: CountyAdminRow[]) {
    super('several county admins bear this name');
  }
}

const REVOKE_ACTION = 'account.revoke_county_admin' satisfies AuditAction;

/**
 * The county admins of a county, for the deployment's operator (the command line): who they are,
 * and taking the role away. A revoked admin becomes a plain parent account, signed out everywhere.
 */
@Injectable()
export class CountyAdminsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: AccountSessions,
    private readonly audit: AuditService,
  ) {}

  /** The county's admins, oldest first. */
  async list(countyCode: string, manager: EntityManager = this.dataSource.manager): Promise<CountyAdminRow[]> {
    const users = await manager.find(User, { where: { role: 'county_admin', countyCode }, order: { createdAt: 'ASC', id: 'ASC' } });
    return users.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      disabled: u.disabled,
      createdAt: u.createdAt,
      lastSeenAt: u.lastSeenAt,
    }));
  }

  /** The number of admins of each county (0 for a county without one). */
  async countByCounty(countyCodes: string[]): Promise<Map<string, number>> {
    const counts = new Map(countyCodes.map((c) => [c, 0]));
    if (countyCodes.length === 0) return counts;
    const rows = await this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .select('u.county_code', 'county')
      .addSelect('COUNT(*)', 'admins')
      .where('u.role = :role AND u.county_code IN (:...codes)', { role: 'county_admin', codes: countyCodes })
      .groupBy('u.county_code')
      .getRawMany<{ county: string; admins: number | string }>();
    for (const row of rows) counts.set(row.county, Number(row.admins));
    return counts;
  }

  /**
   * Takes the county admin role from the admin of `countyCode` with the id or display name `who`,
   * inside the caller's transaction: the account becomes a plain parent (no unit, no county) and every
   * session of it ends at once. Throws `NoSuchCountyAdmin` (with the users revoked before by that id or
   * name, so a second run can say so) or `AmbiguousCountyAdmin`.
   */
  async revoke(manager: EntityManager, countyCode: string, who: string): Promise<RevokedCountyAdmin> {
    const admins = (await this.list(countyCode, manager)).filter((a) => a.id === who || a.displayName === who);
    if (admins.length > 1) throw new AmbiguousCountyAdmin(admins);
    const admin = admins[0];
    if (!admin) throw new NoSuchCountyAdmin(await this.formerAdmins(manager, countyCode, who));
    await manager.update(
      User,
      { id: admin.id },
      { role: 'parent', position: null, unitDivisionCode: null, unitSchoolId: null, countyCode: null },
    );
    await this.sessions.revokeAll(manager, admin.id);
    await this.audit.record(
      null,
      {
        action: REVOKE_ACTION,
        targetType: 'user',
        targetId: admin.id,
        placeCode: countyCode,
        details: { county: countyCode, role: 'county_admin' },
      },
      manager,
    );
    return { id: admin.id, displayName: admin.displayName };
  }

  /** Users with this id or name whose county admin role of the county was revoked, with when. */
  private async formerAdmins(manager: EntityManager, countyCode: string, who: string) {
    const users = await manager.find(User, { where: [{ id: who }, { displayName: who }], select: { id: true, displayName: true } });
    const former: Array<{ id: string; displayName: string; revokedAt: Date }> = [];
    for (const user of users) {
      const revocation = (await this.audit.entriesAbout(manager, 'user', user.id, REVOKE_ACTION)).find(
        (entry) => entry.details?.county === countyCode,
      );
      if (revocation) former.push({ id: user.id, displayName: user.displayName, revokedAt: revocation.at });
    }
    return former;
  }
}
