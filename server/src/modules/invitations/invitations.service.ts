import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { divisionLevelOf, divisionPrefix, type InvitationStatus, type InvitationView, type Me, type UnitRef } from '@baoxue/shared';
import type { createInvitationRequest } from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller } from '../../common/auth/caller';
import { administeredCounty, applyScope, assertCountyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { RateLimiter } from '../../common/http/rate-limiter';
import { newId, newReadableCode } from '../../common/ids';
import { AccountsService } from '../accounts/accounts.service';
import { UnitsService } from '../accounts/units.service';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { hashToken } from '../auth/sessions.service';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { Invitation } from './invitation.entity';

/** 50 bits: not guessable within the attempt limits. */
const CODE_LENGTH = 10;
const HOUR = 3_600_000;
const LIST_LIMIT = 200;

type CreateInput = z.output<typeof createInvitationRequest>;

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
  ) {}

  async create(caller: Caller, input: CreateInput): Promise<InvitationView & { code: string }> {
    const county = administeredCounty(caller);
    const unit = await this.resolveUnit(county, input.unit);
    const code = newReadableCode(CODE_LENGTH);
    const now = this.clock.now();
    const invitation = this.dataSource.manager.create(Invitation, {
      id: newId(),
      codeHash: hashToken(code),
      codeHint: code.slice(-2),
      role: input.role,
      position: input.position,
      ...unit,
      countyCode: county,
      note: input.note ?? null,
      expiresAt: new Date(now.getTime() + input.expiresInHours * HOUR),
      createdBy: caller.userId,
      createdAt: now,
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(Invitation, invitation);
      await this.audit.record(
        caller,
        { action: 'invitation.create', targetType: 'invitation', targetId: invitation.id, details: { role: input.role } },
        manager,
      );
    });
    return { ...(await this.toViews([invitation]))[0]!, code };
  }

  async list(caller: Caller, status?: InvitationStatus): Promise<InvitationView[]> {
    administeredCounty(caller);
    const now = this.clock.now();
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(Invitation, 'i'), caller, 'read_invitation', {
      division: 'i.county_code',
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
    administeredCounty(caller);
    const invitation = await this.dataSource.manager.findOneBy(Invitation, { id });
    if (!invitation) throw AppError.notFound();
    assertCountyScope(caller, invitation.countyCode);
    if (invitation.usedAt) throw new AppError('INVITATION_NOT_REVOCABLE');
    if (!invitation.revokedAt) {
      invitation.revokedAt = this.clock.now();
      await this.dataSource.transaction(async (manager) => {
        await manager.update(Invitation, { id }, { revokedAt: invitation.revokedAt });
        await this.audit.record(caller, { action: 'invitation.revoke', targetType: 'invitation', targetId: id }, manager);
      });
    }
    return (await this.toViews([invitation]))[0]!;
  }

  /**
   * Turns the caller into the supervisor or official the code was issued for. Wrong codes count
   * against a per-user limit, so codes cannot be guessed; a code works exactly once.
   */
  async redeem(caller: Caller, rawCode: string, displayName: string): Promise<Me> {
    if (caller.role === 'county_admin') throw AppError.forbidden('县教育局管理员账号不能使用邀请码');
    const limitKey = `invitation:${caller.userId}`;
    const limit = this.config.auth.invitationAttemptsPerHour;
    const lockedOut = '邀请码输错次数过多，请一小时后再试';
    this.limiter.check(limitKey, limit, HOUR, lockedOut);
    const invitation = await this.dataSource.manager.findOneBy(Invitation, { codeHash: hashToken(rawCode) });
    const now = this.clock.now();
    if (!invitation) {
      this.limiter.record(limitKey, HOUR);
      throw new AppError('INVITATION_INVALID', undefined, { code: '邀请码无效' });
    }
    const status = statusOf(invitation, now);
    if (status === 'revoked') throw new AppError('INVITATION_REVOKED', undefined, { code: '邀请码已被撤销' });
    if (status === 'used') throw new AppError('INVITATION_USED', undefined, { code: '邀请码已被使用' });
    if (status === 'expired') throw new AppError('INVITATION_EXPIRED', undefined, { code: '邀请码已过期' });

    await this.dataSource.transaction(async (manager) => {
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
        countyCode: invitation.countyCode,
        displayName,
      });
      await this.audit.record(
        caller,
        { action: 'invitation.redeem', targetType: 'invitation', targetId: invitation.id, details: { role: invitation.role } },
        manager,
      );
    });
    return this.accounts.me(caller.userId);
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
    const userIds = invitations.flatMap((i) => (i.usedBy ? [i.usedBy] : []));
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
      codeHint: i.codeHint,
    }));
  }
}
