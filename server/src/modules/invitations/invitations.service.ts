import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  divisionLevelOf,
  divisionPrefix,
  type AppointmentView,
  type InvitationStatus,
  type InvitationView,
  type Me,
  type RoleChange,
  type UnitRef,
} from '@baoxue/shared';
import type { createInvitationRequest } from '@baoxue/shared';
import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, inReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { RateLimiter } from '../../common/http/rate-limiter';
import { newId, newReadableCode } from '../../common/ids';
import { AccountsService } from '../accounts/accounts.service';
import { UnitsService } from '../accounts/units.service';
import { UserRecords, type UserRow } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { hashToken } from '../auth/sessions.service';
import { ChildRecords } from '../children/child-records';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { Invitation } from './invitation.entity';
import { transactionWithRetry } from '../../database/transaction';

/** 50 bits: not guessable within the attempt limits. */
const CODE_LENGTH = 10;
const HOUR = 3_600_000;
const LIST_LIMIT = 200;

type CreateInput = z.output<typeof createInvitationRequest>;

/** A county admin code the operator printed: shown once, like one issued in the app. */
export interface OperatorInvitation {
  id: string;
  code: string;
  expiresAt: Date;
  /** Earlier unused codes for the same person that this one replaces (they no longer work). */
  replaced: number;
}

/** What an appointment is made of, on a user or an invitation. */
type Appointment = Pick<UserRow, 'role' | 'position' | 'unitDivisionCode' | 'unitSchoolId'>;

function sameAppointment(a: Appointment, b: Appointment): boolean {
  return a.role === b.role && a.position === b.position && a.unitDivisionCode === b.unitDivisionCode && a.unitSchoolId === b.unitSchoolId;
}

export function statusOf(invitation: Invitation, now: Date): InvitationStatus {
  if (invitation.revokedAt) return 'revoked';
  if (invitation.usedAt) return 'used';
  if (invitation.expiresAt <= now) return 'expired';
  return 'active';
}

@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly divisions: DivisionsService,
    private readonly units: UnitsService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
    private readonly users: UserRecords,
    private readonly schools: SchoolRecords,
    private readonly children: ChildRecords,
  ) {}

  async create(caller: Caller, input: CreateInput): Promise<InvitationView & { code: string }> {
    const { area, unit } =
      caller.role === 'region_admin' ? this.regionColleague(caller, input) : await this.countyAppointment(caller, input);
    const code = newReadableCode(CODE_LENGTH);
    const now = this.clock.now();
    const invitation = this.dataSource.manager.create(Invitation, {
      id: newId(),
      codeHash: hashToken(code),
      codeHint: code.slice(-2),
      role: input.role,
      position: input.position,
      ...unit,
      countyCode: area,
      note: input.note ?? null,
      expiresAt: new Date(now.getTime() + input.expiresInHours * HOUR),
      createdBy: caller.userId,
      createdAt: now,
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    });
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.insert(Invitation, invitation);
      await this.audit.record(
        caller,
        { action: 'invitation.create', targetType: 'invitation', targetId: invitation.id, details: { role: input.role } },
        manager,
      );
    });
    return { ...(await this.toViews([invitation]))[0]!, code };
  }

  /** What a county admin's code makes its user, in their county. */
  private async countyAppointment(
    caller: Caller,
    input: CreateInput,
  ): Promise<{ area: string; unit: Pick<Invitation, 'unitDivisionCode' | 'unitSchoolId'> }> {
    const county = requireCountyAccess(caller, 'issue_invitations');
    if (input.role === 'region_admin')
      throw AppError.forbidden('上级教育局管理员由系统运维人员或本辖区的上级教育局管理员邀请', {
        role: '县教育局不能邀请上级教育局管理员',
      });
    // another county admin of the admin's own county: its unit is the county itself
    if (input.role === 'county_admin' && (input.unit.kind !== 'division' || input.unit.code !== county))
      throw AppError.forbidden('只能邀请本县的县教育局管理员', { 'unit.code': '县教育局管理员的单位应为本县' });
    return { area: county, unit: await this.resolveUnit(county, input.unit) };
  }

  /**
   * A region admin invites colleagues of its own prefecture or province only: the same role, the same
   * region. The code's area (`county_code`) is then the region's code, which only its admins see.
   */
  private regionColleague(
    caller: Caller,
    input: CreateInput,
  ): { area: string; unit: Pick<Invitation, 'unitDivisionCode' | 'unitSchoolId'> } {
    requireRecordAccess(caller, 'issue_invitations');
    if (caller.unit?.kind !== 'division') throw AppError.forbidden();
    const region = caller.unit.code;
    if (input.role !== 'region_admin')
      throw AppError.forbidden('上级教育局只能邀请本辖区的上级教育局管理员', { role: '只能邀请上级教育局管理员' });
    if (input.unit.kind !== 'division' || input.unit.code !== region)
      throw AppError.forbidden('只能邀请本辖区的上级教育局管理员', { 'unit.code': '不在您的辖区范围内' });
    return { area: region, unit: { unitDivisionCode: region, unitSchoolId: null } };
  }

  /**
   * The operator's code for a county admin of a served county (`invite-county-admin`), for the
   * person `name`. The plain code is returned once and only its hash is kept. Issuing again for the
   * same person replaces their earlier unused code, so a lost code is simply issued anew and at most
   * one code per person works.
   */
  async issueCountyAdminCode(countyCode: string, name: string, expiresInHours: number): Promise<OperatorInvitation> {
    return this.issueOperatorCode('county_admin', countyCode, name, expiresInHours);
  }

  /** The same for a region admin of a prefecture or province (`invite-region-admin`); `regionCode` is its 12-digit code. */
  async issueRegionAdminCode(regionCode: string, name: string, expiresInHours: number): Promise<OperatorInvitation> {
    return this.issueOperatorCode('region_admin', regionCode, name, expiresInHours);
  }

  private async issueOperatorCode(
    role: 'county_admin' | 'region_admin',
    countyCode: string,
    name: string,
    expiresInHours: number,
  ): Promise<OperatorInvitation> {
    const code = newReadableCode(CODE_LENGTH);
    const now = this.clock.now();
    const invitation = this.dataSource.manager.create(Invitation, {
      id: newId(),
      codeHash: hashToken(code),
      codeHint: code.slice(-2),
      role,
      position: null,
      unitDivisionCode: countyCode,
      unitSchoolId: null,
      countyCode,
      note: name,
      expiresAt: new Date(now.getTime() + expiresInHours * HOUR),
      createdBy: null,
      createdAt: now,
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    });
    const replaced = await transactionWithRetry(this.dataSource, async (manager) => {
      const earlier = await manager
        .createQueryBuilder()
        .update(Invitation)
        .set({ revokedAt: now })
        .where('county_code = :countyCode AND role = :role AND note = :name AND created_by IS NULL', { countyCode, role, name })
        .andWhere('used_at IS NULL AND revoked_at IS NULL AND expires_at > :now', { now })
        .execute();
      await manager.insert(Invitation, invitation);
      await this.audit.record(
        null,
        {
          action: 'invitation.create',
          targetType: 'invitation',
          targetId: invitation.id,
          placeCode: countyCode,
          details: { role, county: countyCode, issuedBy: 'operator', replaced: earlier.affected ?? 0 },
        },
        manager,
      );
      return earlier.affected ?? 0;
    });
    return { id: invitation.id, code, expiresAt: invitation.expiresAt, replaced };
  }

  /** Unused codes of the county's admin role not yet redeemed, by whom they are for (the operator's `list-county-admins`). */
  async pendingCountyAdminCodes(
    countyCode: string,
  ): Promise<Array<{ name: string | null; codeHint: string; expiresAt: Date; issuedBy: string | null }>> {
    const now = this.clock.now();
    const rows = await this.dataSource.manager.find(Invitation, {
      where: { countyCode, role: 'county_admin', usedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'ASC' },
    });
    const names = await this.users.displayNames(
      this.dataSource.manager,
      rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])),
    );
    return rows.map((r) => ({
      name: r.note,
      codeHint: r.codeHint,
      expiresAt: r.expiresAt,
      issuedBy: r.createdBy ? (names.get(r.createdBy) ?? null) : null,
    }));
  }

  /** Revokes the unused codes a user issued (their county admin role was taken away), inside the caller's transaction. */
  async revokeIssuedBy(manager: EntityManager, userId: string): Promise<number> {
    const now = this.clock.now();
    const result = await manager
      .createQueryBuilder()
      .update(Invitation)
      .set({ revokedAt: now })
      .where('created_by = :userId AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now', { userId, now })
      .execute();
    return result.affected ?? 0;
  }

  async list(caller: Caller, status?: InvitationStatus): Promise<InvitationView[]> {
    requireRecordAccess(caller, 'read_invitation');
    const now = this.clock.now();
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(Invitation, 'i'), caller, 'read_invitation', {
      division: 'i.county_code',
      region: 'i.county_code',
    })
      .orderBy('i.created_at', 'DESC')
      .limit(LIST_LIMIT);
    if (status === 'revoked') qb.andWhere('i.revoked_at IS NOT NULL');
    if (status === 'used') qb.andWhere('i.revoked_at IS NULL AND i.used_at IS NOT NULL');
    if (status === 'expired') qb.andWhere('i.revoked_at IS NULL AND i.used_at IS NULL AND i.expires_at <= :now', { now });
    if (status === 'active') qb.andWhere('i.revoked_at IS NULL AND i.used_at IS NULL AND i.expires_at > :now', { now });
    return this.toViews(await qb.getMany());
  }

  async revoke(caller: Caller, id: string): Promise<InvitationView> {
    requireRecordAccess(caller, 'issue_invitations');
    const invitation = await this.dataSource.manager.findOneBy(Invitation, { id });
    if (!invitation || !inReadScope(caller, 'read_invitation', { division: invitation.countyCode, region: invitation.countyCode }))
      throw AppError.notFound();
    if (invitation.usedAt) throw new AppError('INVITATION_NOT_REVOCABLE');
    if (!invitation.revokedAt) {
      invitation.revokedAt = this.clock.now();
      await transactionWithRetry(this.dataSource, async (manager) => {
        await manager.update(Invitation, { id }, { revokedAt: invitation.revokedAt });
        await this.audit.record(caller, { action: 'invitation.revoke', targetType: 'invitation', targetId: id }, manager);
      });
    }
    return (await this.toViews([invitation]))[0]!;
  }

  /**
   * Turns the caller into the supervisor, official or county admin the code was issued for. Wrong
   * codes count against a per-user limit, so codes cannot be guessed: each attempt takes one try first
   * (atomically, so parallel guesses on any instance never get more than the limit) and a code that
   * exists gives it back. A code works exactly once. A
   * code that would change what the caller already is (another role, position or unit, or a parent
   * no longer seeing their bound children) is refused with the change until they confirm it.
   */
  async redeem(caller: Caller, rawCode: string, displayName: string, confirmRoleChange = false): Promise<Me> {
    // a county would lose its admin to a typo; an admin role is taken away by the operator (`revoke-county-admin`)
    if (caller.role === 'county_admin') throw AppError.forbidden('县教育局管理员账号不能使用邀请码');
    if (caller.role === 'region_admin') throw AppError.forbidden('上级教育局管理员账号不能使用邀请码');
    const limitKey = `invitation:${caller.userId}`;
    const limit = this.config.auth.invitationAttemptsPerHour;
    const lockedOut = '邀请码输错次数过多，请一小时后再试';
    await this.limiter.hit(limitKey, limit, HOUR, lockedOut);
    const invitation = await this.dataSource.manager.findOneBy(Invitation, { codeHash: hashToken(rawCode) });
    const now = this.clock.now();
    if (!invitation) throw new AppError('INVITATION_INVALID', undefined, { code: '邀请码无效' });
    await this.limiter.refund(limitKey);
    const status = statusOf(invitation, now);
    if (status === 'revoked') throw new AppError('INVITATION_REVOKED', undefined, { code: '邀请码已被撤销' });
    if (status === 'used') throw new AppError('INVITATION_USED', undefined, { code: '邀请码已被使用' });
    if (status === 'expired') throw new AppError('INVITATION_EXPIRED', undefined, { code: '邀请码已过期' });
    const user = await this.users.getById(this.dataSource.manager, caller.userId);
    const change = await this.roleChange(user, invitation);
    if (change && !confirmRoleChange) {
      const refusal = new AppError('INVITATION_ROLE_CHANGE');
      refusal.current = change;
      throw refusal;
    }

    await transactionWithRetry(this.dataSource, async (manager) => {
      // The conditional update is what makes the code single-use when two people redeem it at once.
      const claimed = await manager
        .createQueryBuilder()
        .update(Invitation)
        .set({ usedAt: now, usedBy: caller.userId })
        .where('id = :id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now', { id: invitation.id, now })
        .execute();
      if (claimed.affected !== 1) throw new AppError('INVITATION_USED', undefined, { code: '邀请码已被使用' });
      await this.users.appoint(manager, caller.userId, {
        role: invitation.role,
        position: invitation.position,
        unitDivisionCode: invitation.unitDivisionCode,
        unitSchoolId: invitation.unitSchoolId,
        // a region admin acts for no county: every county's records stay closed to them
        countyCode: invitation.role === 'region_admin' ? null : invitation.countyCode,
        displayName,
      });
      await this.audit.record(
        caller,
        {
          action: 'invitation.redeem',
          targetType: 'invitation',
          targetId: invitation.id,
          // the role change belongs to the unit the code gives (a parent has none before); who became a
          // supervisor (a tipster) is the county's to know, never the township's
          placeCode: invitation.role === 'supervisor' ? invitation.countyCode : (invitation.unitDivisionCode ?? invitation.countyCode),
          details: {
            role: invitation.role,
            position: invitation.position,
            county: invitation.countyCode,
            fromRole: user.role,
            fromPosition: user.position,
            confirmedChange: change !== null,
          },
        },
        manager,
      );
    });
    return this.accounts.me(caller.userId);
  }

  /**
   * What the code would change for the user, or null when there is nothing to confirm: a parent who
   * has bound no child (everyone starts as one), or a code for what the user already is.
   */
  private async roleChange(user: UserRow, invitation: Invitation): Promise<RoleChange | null> {
    const boundChildren = user.role === 'parent' ? (await this.children.childIdsBoundTo(this.dataSource.manager, user.id)).length : 0;
    if (user.role === 'parent' ? boundChildren === 0 : sameAppointment(user, invitation)) return null;
    const [fromUnit, toUnit] = await this.units.describe([user, invitation]);
    const view = (a: Appointment, unit: AppointmentView['unit'] | undefined): AppointmentView => ({
      role: a.role,
      position: a.position,
      unit: unit ?? null,
    });
    return { from: view(user, fromUnit), to: view(invitation, toUnit), boundChildren };
  }

  private async resolveUnit(county: string, unit: UnitRef): Promise<Pick<Invitation, 'unitDivisionCode' | 'unitSchoolId'>> {
    if (unit.kind === 'division') {
      const level = divisionLevelOf(unit.code);
      if (!['county', 'township', 'village'].includes(level)) throw AppError.invalid({ 'unit.code': '单位应为县、乡镇或村' });
      if (!unit.code.startsWith(divisionPrefix(county)))
        throw AppError.forbidden('只能为本县的单位发放邀请码', { 'unit.code': '不在本县范围内' });
      if (!(await this.divisions.exists(unit.code))) throw AppError.invalid({ 'unit.code': '该行政区划不存在' });
      return { unitDivisionCode: unit.code, unitSchoolId: null };
    }
    const school = await this.schools.findById(this.dataSource.manager, unit.schoolId);
    if (!school) throw AppError.invalid({ 'unit.schoolId': '该学校不存在' });
    if (school.countyCode !== county) throw AppError.forbidden('只能为本县的学校发放邀请码', { 'unit.schoolId': '不在本县范围内' });
    return { unitDivisionCode: null, unitSchoolId: school.id };
  }

  private async toViews(invitations: Invitation[]): Promise<InvitationView[]> {
    const now = this.clock.now();
    const units = await this.units.describe(invitations);
    const userIds = invitations.flatMap((i) => [i.usedBy, i.createdBy].filter((id): id is string => id !== null));
    const names = await this.users.displayNames(this.dataSource.manager, userIds);
    return invitations.map((i, index) => ({
      id: i.id,
      role: i.role,
      position: i.position,
      unit: units[index]!,
      note: i.note,
      status: statusOf(i, now),
      expiresAt: i.expiresAt.toISOString(),
      createdAt: i.createdAt.toISOString(),
      usedAt: i.usedAt?.toISOString() ?? null,
      usedByName: i.usedBy ? (names.get(i.usedBy) ?? null) : null,
      issuedByName: i.createdBy ? (names.get(i.createdBy) ?? null) : null,
      codeHint: i.codeHint,
    }));
  }
}
