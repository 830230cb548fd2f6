import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ancestorDivisionCode,
  chinaDay,
  cohortEntryYear,
  CONSOLIDATION_GAPS,
  CONSOLIDATION_TARGET,
  consolidationOf,
  divisionLevelOf,
  isDivisionCode,
  isWithinDivision,
  schoolYearOf,
  sumConsolidationParts,
  type ConsolidationParts,
  type ConsolidationRow,
  type ConsolidationView,
  type intakeRequest,
  type IntakeView,
  type RegionConsolidation,
} from '@baoxue/shared';
import { Like, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess } from '../../common/auth/record-policy';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { transactionWithRetry } from '../../database/transaction';
import { AuditService } from '../audit/audit.service';
import { DivisionsService } from '../divisions/divisions.service';
import { PupilChangeRecords } from '../pupil-changes/pupil-change-records';
import { SchoolRecords } from '../schools/school-records';
import { EnrolmentTallyService } from './enrolment-tally.service';
import { CohortIntake, EnrolmentTally } from './registry.entities';

type IntakeInput = z.output<typeof intakeRequest>;

/** The unit a 巩固率 is asked for: a county, one of its townships, or a unit no cohort is followed in. */
export type ConsolidationUnit = { kind: 'county' | 'township'; code: string } | { kind: 'other'; code: string; name: string };

/** Grade-9 pupils, transfers in and out: per township (where the children live) and for the county. */
interface CohortFigures {
  graduates: { county: number; townships: Map<string, number> } | null;
  transfersIn: { county: number; townships: Map<string, number> };
  transfersOut: { county: number; townships: Map<string, number> };
}

/**
 * 巩固率 (BRIEF §5): the county enters its grade-1 intake of earlier years from its own statistics;
 * the cohort graduating from grade 9 in school year Y entered grade 1 in Y − 8, and its rate is the
 * grade-9 pupils on the roster ÷ (that intake + the cohort's pupils transferred in − those who
 * transferred out or moved away, from the 学籍异动 records).
 *
 * Township figures follow a cohort where its children live (their village, else their school's
 * township: the place the dropout rates count them in), because most children change school between
 * primary and junior without any 学籍异动 — by school, a township without a junior school would lose
 * its whole cohort. So a township has a rate only where the county entered the township's intake
 * counted the same way, and a transfer within the county changes a township only for a child with no
 * village on record. The roster holds the current school year only, so only the cohort graduating
 * this school year has its grade-9 count; other years show why there is none.
 */
@Injectable()
export class ConsolidationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly divisions: DivisionsService,
    private readonly tallies: EnrolmentTallyService,
    private readonly pupilChanges: PupilChangeRecords,
    private readonly schools: SchoolRecords,
  ) {}

  async intakes(caller: Caller): Promise<{ items: IntakeView[] }> {
    const countyCode = requireCountyAccess(caller, 'manage_cohort_intake');
    const rows = await this.dataSource.manager.find(CohortIntake, { where: { countyCode }, order: { entryYear: 'DESC' } });
    const names = await this.divisions.names([...new Set(rows.flatMap((row) => Object.keys(row.townships)))]);
    return { items: rows.map((row) => this.intakeView(row, names)) };
  }

  /** Enters or corrects a year's intake: one row per county and year, written as an upsert, audited. */
  async setIntake(caller: Caller, entryYear: number, input: IntakeInput): Promise<IntakeView> {
    const countyCode = requireCountyAccess(caller, 'manage_cohort_intake');
    const thisYear = schoolYearOf(chinaDay(this.clock.now()));
    if (entryYear > thisYear) throw AppError.invalid({ entryYear: `入学学年不能晚于本学年（${thisYear}学年）` });
    const errors: Record<string, string> = {};
    const townships: Record<string, number> = {};
    input.townships.forEach((township, i) => {
      if (divisionLevelOf(township.code) !== 'township' || !isWithinDivision(township.code, countyCode))
        errors[`townships.${i}.code`] = '不是本县的乡镇';
      else if (township.code in townships) errors[`townships.${i}.code`] = '乡镇重复';
      else townships[township.code] = township.intake;
    });
    const sum = Object.values(townships).reduce((a, b) => a + b, 0);
    if (!Object.keys(errors).length && sum > input.intake)
      errors.townships = `各乡镇入学人数之和（${sum}）超过全县入学人数（${input.intake}）`;
    if (Object.keys(errors).length) throw AppError.invalid(errors);
    const known = await this.divisions.names(Object.keys(townships));
    input.townships.forEach((township, i) => {
      if (!known.has(township.code)) errors[`townships.${i}.code`] = '找不到该乡镇';
    });
    if (Object.keys(errors).length) throw AppError.invalid(errors);
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (manager) => {
      // the primary key (county, entry year) keeps one row whatever races; the last write wins
      await manager
        .createQueryBuilder()
        .insert()
        .into(CohortIntake)
        .values({ countyCode, entryYear, intake: input.intake, source: input.source, townships, updatedBy: caller.userId, updatedAt: now })
        .orUpdate(['intake', 'source', 'townships', 'updated_by', 'updated_at'], ['county_code', 'entry_year'])
        .execute();
      await this.audit.record(
        caller,
        {
          action: 'stats.intake',
          targetType: 'county',
          targetId: countyCode,
          placeCode: countyCode,
          details: { entryYear, intake: input.intake, source: input.source, townships: Object.keys(townships).length },
        },
        manager,
      );
    });
    const row = await this.dataSource.manager.findOneByOrFail(CohortIntake, { countyCode, entryYear });
    return this.intakeView(row, known);
  }

  /** The 巩固率 of the cohort graduating in `graduatingYear`, for a county (with its townships) or a township. */
  async forUnit(unit: ConsolidationUnit, graduatingYear: number): Promise<ConsolidationView> {
    const entryYear = cohortEntryYear(graduatingYear);
    if (unit.kind === 'other') {
      // a village or a school takes pupils from elsewhere at every stage: no cohort to follow
      const total = this.row(unit.code, unit.name, null, null, 0, 0);
      return { graduatingYear, entryYear, source: null, total: { ...total, gap: null, gapLabel: '巩固率按县和乡镇计算' }, rows: [] };
    }
    const manager = this.dataSource.manager;
    const countyCode = ancestorDivisionCode(unit.code, 'county')!;
    const intake = await manager.findOneBy(CohortIntake, { countyCode, entryYear });
    const figures = await this.cohortFigures(manager, countyCode, graduatingYear);
    const townshipRow = (code: string, name: string) =>
      this.row(
        code,
        name,
        figures.graduates ? (figures.graduates.townships.get(code) ?? 0) : null,
        intake && code in intake.townships ? intake.townships[code]! : null,
        figures.transfersIn.townships.get(code) ?? 0,
        figures.transfersOut.townships.get(code) ?? 0,
      );
    const codes = unit.kind === 'county' ? Object.keys(intake?.townships ?? {}).sort() : [unit.code];
    const names = await this.divisions.names([unit.code, ...codes]);
    const name = (code: string) => names.get(code) ?? code;
    const total =
      unit.kind === 'county'
        ? this.row(
            unit.code,
            name(unit.code),
            figures.graduates?.county ?? null,
            intake?.intake ?? null,
            figures.transfersIn.county,
            figures.transfersOut.county,
          )
        : townshipRow(unit.code, name(unit.code));
    return {
      graduatingYear,
      entryYear,
      source: intake?.source ?? null,
      total,
      rows: unit.kind === 'county' ? codes.map((code) => townshipRow(code, name(code))) : [],
    };
  }

  /**
   * Each county's 巩固率 parts for the cohort graduating in `graduatingYear`, for every county of the
   * region `prefix` (a prefecture's or province's): the same figures as each county's own (forUnit),
   * from one query per part over all the counties at once — intakes, grade-9 pupils by county, moves
   * grouped by the county left and the county reached. Counties in `counties` without any figure get
   * no intake, no transfers and, when the roster holds the year, no grade-9 pupils.
   */
  async partsByCounty(prefix: string, counties: readonly string[], graduatingYear: number): Promise<Map<string, ConsolidationParts>> {
    const manager = this.dataSource.manager;
    const thisYear = schoolYearOf(chinaDay(this.clock.now()));
    const [intakes, graduates, moves] = await Promise.all([
      manager.find(CohortIntake, {
        select: { countyCode: true, intake: true },
        where: { countyCode: Like(`${prefix}%`), entryYear: cohortEntryYear(graduatingYear) },
      }),
      graduatingYear === thisYear ? this.gradeNineByCounty(manager, prefix) : Promise.resolve(null),
      this.pupilChanges.cohortMovesByCounty(manager, prefix, graduatingYear),
    ]);
    const parts = new Map<string, ConsolidationParts>(
      counties.map((county) => [
        county,
        { graduates: graduates ? (graduates.get(county) ?? 0) : null, intake: null, transfersIn: 0, transfersOut: 0 },
      ]),
    );
    for (const row of intakes) {
      const county = parts.get(row.countyCode);
      if (county) county.intake = row.intake;
    }
    for (const move of moves) {
      // as cohortFigures counts them: out of the county left, into the county a transfer reached, unless the same
      const to = move.kind === 'transfer_out' ? move.toCountyCode : null;
      if (to === move.fromCountyCode) continue;
      const from = parts.get(move.fromCountyCode);
      if (from) from.transfersOut += move.moves;
      const reached = to === null ? undefined : parts.get(to);
      if (reached) reached.transfersIn += move.moves;
    }
    return parts;
  }

  /** A county's 巩固率 in a region's overview: its own figure, as its statistics show it. */
  countyFigure(parts: ConsolidationParts): RegionConsolidation {
    const counted = parts.intake === null ? 0 : 1;
    return { ...this.figure(parts), countiesCounted: counted, countiesWithoutIntake: 1 - counted };
  }

  /** A prefecture's or region's 巩固率: its counties' parts summed where they entered the intake (sumConsolidationParts). */
  sumFigure(counties: readonly ConsolidationParts[]): RegionConsolidation {
    const sum = sumConsolidationParts(counties);
    return { ...this.figure(sum), countiesCounted: sum.countiesCounted, countiesWithoutIntake: sum.countiesWithoutIntake };
  }

  private figure(parts: ConsolidationParts): Omit<ConsolidationRow, 'code' | 'name'> {
    const { code: _code, name: _name, ...figure } = this.row('', '', parts.graduates, parts.intake, parts.transfersIn, parts.transfersOut);
    return figure;
  }

  private row(
    code: string,
    name: string,
    graduates: number | null,
    intake: number | null,
    transfersIn: number,
    transfersOut: number,
  ): ConsolidationRow {
    const result = consolidationOf({ graduates, intake, transfersIn, transfersOut });
    return {
      code,
      name,
      graduates,
      intake,
      transfersIn,
      transfersOut,
      rate: result.rate,
      target: CONSOLIDATION_TARGET,
      rag: result.rag,
      gap: result.gap,
      gapLabel: result.gap ? CONSOLIDATION_GAPS[result.gap] : null,
      formula: result.formula,
    };
  }

  private async cohortFigures(manager: EntityManager, countyCode: string, graduatingYear: number): Promise<CohortFigures> {
    const thisYear = schoolYearOf(chinaDay(this.clock.now()));
    const [graduates, moves] = await Promise.all([
      graduatingYear === thisYear ? this.gradeNine(manager, countyCode) : Promise.resolve(null),
      this.pupilChanges.cohortMoves(manager, countyCode, graduatingYear),
    ]);
    const transfersIn = { county: 0, townships: new Map<string, number>() };
    const transfersOut = { county: 0, townships: new Map<string, number>() };
    const bump = (map: Map<string, number>, code: string | null) => {
      if (code) map.set(code, (map.get(code) ?? 0) + 1);
    };
    for (const move of moves) {
      const from = move.fromCountyCode === countyCode;
      const to = move.kind === 'transfer_out' && move.toCountyCode === countyCode;
      if (from && !to) transfersOut.county++;
      if (to && !from) transfersIn.county++;
      const fromTownship = from ? this.townshipOf(move.villageCode, move.fromTownshipCode, countyCode) : null;
      const toTownship = to ? this.townshipOf(move.villageCode, move.toTownshipCode, countyCode) : null;
      if (fromTownship === toTownship) continue;
      bump(transfersOut.townships, fromTownship);
      bump(transfersIn.townships, toTownship);
    }
    return { graduates, transfersIn, transfersOut };
  }

  /**
   * Grade-9 pupils on the roster of the county, by the township they live in (their village when it is
   * in the county, else their school's township: so a pupil transferred in from another county counts
   * where the transfer in was counted).
   */
  private async gradeNine(manager: EntityManager, countyCode: string): Promise<NonNullable<CohortFigures['graduates']>> {
    const rows = await (
      await this.gradeNineQuery(manager)
    )
      .addSelect('t.village_code', 'village')
      .addSelect('s.township_code', 'township')
      .andWhere('t.county_code = :countyCode', { countyCode })
      .groupBy('t.village_code')
      .addGroupBy('s.township_code')
      .getRawMany<{ village: string; township: string | null; pupils: string | number }>();
    const townships = new Map<string, number>();
    let county = 0;
    for (const row of rows) {
      const pupils = Number(row.pupils);
      county += pupils;
      const township = this.townshipOf(row.village || null, row.township, countyCode);
      if (township) townships.set(township, (townships.get(township) ?? 0) + pupils);
    }
    return { county, townships };
  }

  /** Grade-9 pupils on the roster of every county of the region `prefix`, by county (gradeNine's county totals). */
  private async gradeNineByCounty(manager: EntityManager, prefix: string): Promise<Map<string, number>> {
    const rows = await (
      await this.gradeNineQuery(manager)
    )
      .addSelect('t.county_code', 'county')
      .andWhere('t.county_code LIKE :region', { region: `${prefix}%` })
      .groupBy('t.county_code')
      .getRawMany<{ county: string; pupils: string | number }>();
    return new Map(rows.map((row) => [row.county, Number(row.pupils)]));
  }

  /** The current tallies' grade-9 pupils (`pupils`, summed), with their schools (`s`) joined: to be narrowed and grouped. */
  private async gradeNineQuery(manager: EntityManager) {
    await this.tallies.ensureCurrent();
    return this.schools
      .joinSchools(manager.createQueryBuilder(EnrolmentTally, 't'), 's', 's.id = t.school_id', 'left')
      .select('SUM(t.pupils)', 'pupils')
      .where('t.grade = 9');
  }

  /** Where a child is followed: the township of its village when that is in the county, else its school's township. */
  private townshipOf(village: string | null, schoolTownship: string | null, countyCode: string): string | null {
    if (village && isDivisionCode(village) && isWithinDivision(village, countyCode)) return ancestorDivisionCode(village, 'township');
    return schoolTownship;
  }

  private intakeView(row: CohortIntake, names: Map<string, string>): IntakeView {
    return {
      entryYear: row.entryYear,
      graduatingYear: row.entryYear + 8,
      intake: row.intake,
      source: row.source,
      townships: Object.entries(row.townships)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([code, intake]) => ({ code, name: names.get(code) ?? code, intake })),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }
}
