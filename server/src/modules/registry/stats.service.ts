import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ancestorDivisionCode,
  CONSOLIDATION_TARGET,
  divisionLevelOf,
  divisionPrefix,
  DROPOUT_CAUSES,
  DROPOUT_TARGETS,
  endOfChinaDay,
  expectedGrade,
  isDivisionCode,
  isWithinDivision,
  ragFor,
  schoolYearRange,
  stageOfGrade,
  startOfChinaDay,
  regionAdminLabel,
  type CaseStatus,
  type DropoutCause,
  type DropoutRow,
  type RegionFiguresRow,
  type RegionOverviewResponse,
  type StatsResponse,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { divisionInReadScope, readScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { ChildRecords } from '../children/child-records';
import { CaseRecords, type CaseReportScope } from '../cases/case-records';
import { rawDate } from '../../database/raw-date';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { ConsolidationService, type ConsolidationUnit } from './consolidation.service';
import { EnrolmentTallyService, poorSql } from './enrolment-tally.service';
import { EnrolmentTally } from './registry.entities';
import { SchoolRecords } from '../schools/school-records';

const CONFIRMED_OR_LATER: CaseStatus[] = ['confirmed', 'persuading', 'escalated', 'returned', 'closed'];

export interface StatsQuery {
  schoolYear: number;
  under?: string;
  by: 'township' | 'village' | 'school';
}

interface Tally {
  enrolled: { primary: number; junior: number; poor: number };
  dropouts: { primary: number; junior: number; poor: number };
}

/** Children confirmed dropped out, of one unit, grade (or birth when no grade is known) and poverty. */
interface DropoutTally {
  unit: string | null;
  grade: number | null;
  birthYear: number | null;
  birthDate: string | null;
  poor: boolean;
  count: number;
}

/** Sorts after every code. */
const LAST = '\uffff';

const emptyTally = (): Tally => ({ enrolled: { primary: 0, junior: 0, poor: 0 }, dropouts: { primary: 0, junior: 0, poor: 0 } });

/**
 * Dropout statistics (BRIEF §5): per stage and for children of poor households, at county,
 * township, village and school level, for a school year, against the targets. Dropout rate =
 * children confirmed dropped out in the school year (each once, whatever made its record and however
 * many cases it had) / pupils enrolled (on the roster), per stage.
 */
@Injectable()
export class StatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly divisions: DivisionsService,
    private readonly tallies: EnrolmentTallyService,
    private readonly children: ChildRecords,
    private readonly caseRecords: CaseRecords,
    private readonly schools: SchoolRecords,
    private readonly consolidation: ConsolidationService,
    private readonly divisionRecords: DivisionRecords,
  ) {}

  async dropout(caller: Caller, query: StatsQuery): Promise<StatsResponse> {
    const scope = this.scopeOf(caller, query.under, query.by);
    const { from, to } = schoolYearRange(query.schoolYear);
    const manager = this.dataSource.manager;
    // a child counts where it lives: its village, else its school's township, else its latest case's township, else in a row "未落实到村", "未落实到乡镇" or "学校不详", so rows always sum to the total
    // pupils on the roster, by unit, stage and poverty: from the tallies, recounted if a pupil changed
    await this.tallies.ensureCurrent();
    const tallyPlace = "COALESCE(NULLIF(t.village_code, ''), s.township_code)";
    const tallyUnit = query.by === 'school' ? 't.school_id' : tallyPlace;
    const enrolledQb = this.schools
      .joinSchools(manager.createQueryBuilder(EnrolmentTally, 't'), 's', 's.id = t.school_id', 'left')
      .select(tallyUnit, 'unit')
      .addSelect('t.grade', 'grade')
      .addSelect('t.poor', 'poor')
      .addSelect('SUM(t.pupils)', 'count')
      .groupBy(tallyUnit)
      .addGroupBy('t.grade')
      .addGroupBy('t.poor');
    this.restrict(enrolledQb, scope, 't', tallyPlace);
    const [enrolled, dropouts, cases] = await Promise.all([
      enrolledQb.getRawMany<{ unit: string | null; grade: number; poor: number | boolean; count: string | number }>(),
      this.dropoutChildren(scope, query.by, from, to),
      this.caseFigures(scope, from, to),
    ]);

    const { tallies, total } = tallyUp(query.schoolYear, enrolled, dropouts, (unit) => this.rowCodeOf(scope, query.by, unit || null));

    const codes = [...tallies.keys()];
    const names = await this.rowNames(scope, query.by, codes);
    const sortKey = (code: string) => names.get(code)?.sortKey ?? code;
    const rows = codes
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
      .map((code) => this.row(code, names.get(code)?.name ?? code, tallies.get(code)!));
    const unitName =
      scope.kind === 'school'
        ? ((await this.schoolNames([scope.schoolId])).get(scope.schoolId) ?? '')
        : ((await this.divisions.fullNames([scope.code])).get(scope.code) ?? '');
    return {
      schoolYear: query.schoolYear,
      unitName,
      total: this.row(scope.kind === 'school' ? scope.schoolId : scope.code, unitName, total),
      rows,
      // 巩固率 of the cohort graduating from grade 9 in this school year, beside the dropout rates
      consolidation: await this.consolidation.forUnit(this.consolidationUnit(scope, unitName), query.schoolYear),
      cases,
    };
  }

  private consolidationUnit(scope: UnitScope, unitName: string): ConsolidationUnit {
    if (scope.kind === 'school') return { kind: 'other', code: scope.schoolId, name: unitName };
    const level = divisionLevelOf(scope.code);
    return level === 'county' || level === 'township'
      ? { kind: level, code: scope.code }
      : { kind: 'other', code: scope.code, name: unitName };
  }

  async export(caller: Caller, query: StatsQuery): Promise<{ fileName: string; content: Buffer }> {
    const stats = await this.dropout(caller, query);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = '保学通';
    const sheet = workbook.addWorksheet('辍学率');
    sheet.columns = [
      { header: '单位', key: 'name', width: 24 },
      { header: '小学在籍', key: 'pe', width: 10 },
      { header: '小学辍学', key: 'pd', width: 10 },
      { header: '小学辍学率', key: 'pr', width: 12 },
      { header: '初中在籍', key: 'je', width: 10 },
      { header: '初中辍学', key: 'jd', width: 10 },
      { header: '初中辍学率', key: 'jr', width: 12 },
      { header: '困难家庭在籍', key: 'oe', width: 12 },
      { header: '困难家庭辍学', key: 'od', width: 12 },
      { header: '困难家庭辍学率', key: 'or', width: 14 },
    ];
    sheet.getRow(1).font = { bold: true };
    const label = { green: '达标', amber: '预警', red: '超标' };
    // no pupil enrolled: no rate, though a dropout still makes the cell red
    const rate = (cell: DropoutRow['primary']) => `${cell.enrolled ? `${(cell.rate * 100).toFixed(2)}%` : '—'}（${label[cell.rag]}）`;
    for (const row of [...stats.rows, { ...stats.total, name: `${stats.total.name}（合计）` }]) {
      sheet.addRow({
        name: row.name,
        pe: row.primary.enrolled,
        pd: row.primary.dropouts,
        pr: rate(row.primary),
        je: row.junior.enrolled,
        jd: row.junior.dropouts,
        jr: rate(row.junior),
        oe: row.poor.enrolled,
        od: row.poor.dropouts,
        or: rate(row.poor),
      });
    }
    const consolidation = workbook.addWorksheet('巩固率');
    const consolidationLabel = { green: '达标', amber: '预警', red: '未达标' };
    const { graduatingYear, entryYear, source } = stats.consolidation;
    consolidation.addRows([
      [`${graduatingYear}学年九年级毕业届（${entryYear}学年入学）九年义务教育巩固率，目标 ${CONSOLIDATION_TARGET * 100}%`],
      ['巩固率 = 九年级在籍学生 ÷（一年级入学人数 + 转入 − 转出、迁出）'],
      [`入学人数来源：${source ?? '未填报'}`],
      [],
    ]);
    const header = consolidation.addRow(['单位', '九年级在籍', '一年级入学', '转入', '转出', '巩固率', '算式或说明']);
    header.font = { bold: true };
    for (const row of [{ ...stats.consolidation.total, name: `${stats.consolidation.total.name}（合计）` }, ...stats.consolidation.rows])
      consolidation.addRow([
        row.name,
        row.graduates ?? '—',
        row.intake ?? '—',
        row.transfersIn,
        row.transfersOut,
        row.rate === null ? '—' : `${(row.rate * 100).toFixed(1)}%（${consolidationLabel[row.rag!]}）`,
        row.gapLabel ?? row.formula,
      ]);
    consolidation.getColumn(1).width = 24;
    consolidation.getColumn(7).width = 60;
    const cases = workbook.addWorksheet('案件');
    cases.addRows([
      ['在办案件', stats.cases.open],
      ['逾期案件', stats.cases.overdue],
      ['已返校', stats.cases.returned],
      ['从立案到返校的天数（中位数）', stats.cases.medianDaysToReturn ?? ''],
      [],
      ['辍学原因', '案件数'],
      ...stats.cases.byCause.map((c) => [c.label, c.count]),
    ]);
    return { fileName: `辍学率统计-${stats.schoolYear}学年.xlsx`, content: Buffer.from(await workbook.xlsx.writeBuffer()) };
  }

  /**
   * The overview of a prefecture or province (`read_region`): for every county of its prefix the
   * deployment serves, the figures of the county's own statistics (the same tallies, dropouts, rates,
   * targets and colours, its open, overdue and returned cases, and the 巩固率 of the cohort graduating
   * in the school year), each computed by one grouped query over all the counties at once; a province
   * also gets its prefectures' subtotals, the sums of their counties (for the 巩固率, of those that
   * entered the cohort's intake). Counts only: nothing about a child.
   */
  async regionOverview(caller: Caller, schoolYear: number): Promise<RegionOverviewResponse> {
    requireRecordAccess(caller, 'read_region');
    const reach = readScope(caller, 'read_region');
    const level = reach?.relation === 'region' ? divisionLevelOf(reach.code) : null;
    if (reach?.relation !== 'region' || (level !== 'province' && level !== 'prefecture')) throw AppError.forbidden();
    const prefix = divisionPrefix(reach.code);
    const scope: Scope = { kind: 'region', prefix };
    const { from, to } = schoolYearRange(schoolYear);
    const manager = this.dataSource.manager;
    await this.tallies.ensureCurrent();
    const enrolledQb = manager
      .createQueryBuilder(EnrolmentTally, 't')
      .select('t.county_code', 'unit')
      .addSelect('t.grade', 'grade')
      .addSelect('t.poor', 'poor')
      .addSelect('SUM(t.pupils)', 'count')
      .groupBy('t.county_code')
      .addGroupBy('t.grade')
      .addGroupBy('t.poor');
    this.restrict(enrolledQb, scope, 't', 't.county_code');
    const [served, enrolled, dropouts, cases] = await Promise.all([
      this.divisionRecords.servedCountiesUnder(manager, prefix),
      enrolledQb.getRawMany<{ unit: string | null; grade: number; poor: number | boolean; count: string | number }>(),
      this.dropoutChildren(scope, 'county', from, to),
      this.caseRecords.figuresByCounty(manager, prefix, this.clock.now(), from, to),
    ]);
    const counties = served.map((county) => county.code);
    // 巩固率 of the cohort graduating in the school year, as each county's own statistics show it
    const consolidation = await this.consolidation.partsByCounty(prefix, counties, schoolYear);
    const { tallies } = tallyUp(schoolYear, enrolled, dropouts, (unit) => unit ?? '');
    const prefectureOf = (county: string) => ancestorDivisionCode(county, 'prefecture')!;
    const prefectures = level === 'province' ? [...new Set(counties.map(prefectureOf))] : [];
    const names = await this.divisions.names([reach.code, ...prefectures, ...counties]);
    const nameOf = (code: string) => names.get(code) ?? (divisionLevelOf(code) === 'prefecture' ? `${divisionPrefix(code)}（市）` : code);
    // a county's own 巩固率; a subtotal's over the counties that entered the intake (sumConsolidationParts)
    const figures = (code: string, among: string[], county = false): RegionFiguresRow => {
      const tally = emptyTally();
      const work = { open: 0, overdue: 0, returned: 0 };
      for (const county of among) {
        const own = tallies.get(county);
        for (const field of ['enrolled', 'dropouts'] as const)
          for (const stage of ['primary', 'junior', 'poor'] as const) tally[field][stage] += own?.[field][stage] ?? 0;
        const counted = cases.get(divisionPrefix(county));
        for (const key of ['open', 'overdue', 'returned'] as const) work[key] += counted?.[key] ?? 0;
      }
      const parts = among.map((county) => consolidation.get(county)!);
      return {
        ...this.row(code, nameOf(code), tally),
        ...work,
        consolidation: county ? this.consolidation.countyFigure(parts[0]!) : this.consolidation.sumFigure(parts),
      };
    };
    return {
      schoolYear,
      region: { code: reach.code, name: names.get(reach.code) ?? regionAdminLabel(reach.code), level },
      total: figures(reach.code, counties),
      prefectures: prefectures.map((code) =>
        figures(
          code,
          counties.filter((county) => prefectureOf(county) === code),
        ),
      ),
      counties: counties.map((code) => ({ ...figures(code, [code], true), prefectureCode: prefectureOf(code) })),
    };
  }

  private row(code: string, name: string, tally: Tally): DropoutRow {
    const cell = (stage: 'primary' | 'junior' | 'poor') => {
      const enrolled = tally.enrolled[stage];
      const dropouts = tally.dropouts[stage];
      const rate = enrolled ? dropouts / enrolled : 0;
      return { enrolled, dropouts, rate, target: DROPOUT_TARGETS[stage], rag: ragFor(dropouts, enrolled, DROPOUT_TARGETS[stage]) };
    };
    return { code, name, primary: cell('primary'), junior: cell('junior'), poor: cell('poor') };
  }

  private async caseFigures(scope: UnitScope, from: string, to: string): Promise<StatsResponse['cases']> {
    const manager = this.dataSource.manager;
    const now = this.clock.now();
    const covered: CaseReportScope = scope.kind === 'school' ? { schoolId: scope.schoolId } : { routingPrefix: divisionPrefix(scope.code) };
    const [counts, returnedCases, caused] = await Promise.all([
      this.caseRecords.openAndOverdue(manager, covered, now),
      this.caseRecords.returnedBetween(manager, covered, from, to),
      this.caseRecords.causeSets(manager, covered, startOfChinaDay(from), endOfChinaDay(to)),
    ]);
    const days = returnedCases
      .map((c) => (startOfChinaDay(c.returnedOn).getTime() - rawDate(c.openedAt).getTime()) / 86_400_000)
      .map((d) => Math.max(0, Math.round(d)))
      .sort((a, b) => a - b);
    const median = days.length
      ? days.length % 2
        ? days[(days.length - 1) / 2]!
        : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2
      : null;
    const byCause = new Map<DropoutCause, number>();
    for (const c of caused) for (const cause of c.causes) byCause.set(cause, (byCause.get(cause) ?? 0) + c.count);
    return {
      open: counts.open,
      overdue: counts.overdue,
      returned: returnedCases.length,
      medianDaysToReturn: median,
      byCause: (Object.keys(DROPOUT_CAUSES) as DropoutCause[]).map((cause) => ({
        cause,
        label: DROPOUT_CAUSES[cause],
        count: byCause.get(cause) ?? 0,
      })),
    };
  }

  /** A township sees its own figures, a village cadre their village, school staff their school, the county all (`read_stats`). */
  private scopeOf(caller: Caller, under: string | undefined, by: StatsQuery['by']): UnitScope {
    requireRecordAccess(caller, 'read_stats');
    const reach = readScope(caller, 'read_stats');
    if (reach?.relation === 'region') {
      // above the county, a county's figures by township at most: never its villages or schools, never a child
      if (!under || divisionLevelOf(under) !== 'county' || !isWithinDivision(under, reach.code))
        throw AppError.forbidden('请选择本辖区内的一个县', { under: '应为本辖区内的县' });
      if (by !== 'township') throw AppError.forbidden('上级教育局只能查看县的汇总和各乡镇的数字', { by: '只能按乡镇统计' });
      return { kind: 'division', code: under };
    }
    if (reach?.relation === 'school') {
      if (under) throw AppError.forbidden('学校只能查看本校的统计', { under: '不在您的管辖范围内' });
      return { kind: 'school', schoolId: reach.schoolId };
    }
    // everyone else the row lets in reaches an area: their county or their division
    const own = reach?.relation === 'county' ? reach.countyCode : reach?.relation === 'division' ? reach.code : null;
    if (!own) throw AppError.forbidden();
    if (under) {
      if (!divisionInReadScope(caller, 'read_stats', under))
        throw AppError.forbidden('只能查看本单位范围内的统计', { under: '不在您的管辖范围内' });
      return { kind: 'division', code: under };
    }
    return { kind: 'division', code: own };
  }

  /**
   * Narrows to the scope: a school's pupils, or a county's children (`alias` is a child or a tally:
   * both name the columns alike), within a township or village by `place`, where a child is counted
   * (children with no place kept when `keepUnplaced`, for the caller to place).
   */
  private restrict(
    qb: { andWhere: (sql: string, params?: Record<string, unknown>) => unknown },
    scope: Scope,
    alias: 'ch' | 't',
    place: string,
    keepUnplaced = false,
  ): void {
    if (scope.kind === 'school') {
      qb.andWhere(`${alias}.school_id = :school`, { school: scope.schoolId });
      return;
    }
    if (scope.kind === 'region') {
      qb.andWhere(`${alias}.county_code LIKE :region`, { region: `${scope.prefix}%` });
      return;
    }
    qb.andWhere(`${alias}.county_code = :county`, { county: ancestorDivisionCode(scope.code, 'county') });
    const prefix = this.placePrefix(scope);
    if (prefix)
      qb.andWhere(keepUnplaced ? `(${place} IS NULL OR ${place} LIKE :prefix)` : `${place} LIKE :prefix`, { prefix: `${prefix}%` });
  }

  /** The prefix of the places a township or village scope holds; null for a county or a school. */
  private placePrefix(scope: Scope): string | null {
    return scope.kind === 'division' && divisionLevelOf(scope.code) !== 'county' ? divisionPrefix(scope.code) : null;
  }

  /**
   * Children confirmed dropped out during the school year, each once however many cases it had (a
   * case merged into another does not count), by unit, grade (or birth year and date when no grade is
   * known) and poverty, in one pass over the year's cases. Children placed by their own record
   * (village or school) are grouped as usual; the few known only by their case get a group each
   * (`loose`) and are placed by the township of their latest case, so that a child with cases in
   * two townships is still counted once.
   */
  private async dropoutChildren(scope: Scope, by: StatsQuery['by'] | 'county', from: string, to: string): Promise<DropoutTally[]> {
    const counted = () =>
      this.caseRecords.confirmedQuery(this.dataSource.manager, 'c', CONFIRMED_OR_LATER, startOfChinaDay(from), endOfChinaDay(to));
    const place = 'COALESCE(ch.village_code, s.township_code)';
    // by county, every child counts in its own record's county (as the county's total does): none is loose
    const unit = by === 'school' ? 'ch.school_id' : by === 'county' ? 'ch.county_code' : place;
    const bornYear = 'CASE WHEN ch.grade IS NULL THEN ch.birth_year END';
    const bornOn = 'CASE WHEN ch.grade IS NULL THEN ch.birth_date END';
    const poor = poorSql('ch.priority_groups');
    const loose = `CASE WHEN ${place} IS NULL THEN c.child_id END`;
    const qb = this.schools
      .joinSchools(this.children.joinChildren(counted(), 'ch', 'ch.id = c.child_id'), 's', 's.id = ch.school_id', 'left')
      .select(unit, 'unit')
      .addSelect('ch.grade', 'grade')
      .addSelect(bornYear, 'birthYear')
      .addSelect(bornOn, 'birthDate')
      .addSelect(poor, 'poor')
      .addSelect('COUNT(DISTINCT c.child_id)', 'count')
      .groupBy(unit)
      .addGroupBy('ch.grade')
      .addGroupBy(bornYear)
      .addGroupBy(bornOn)
      .addGroupBy(poor);
    if (by !== 'county') qb.addSelect(loose, 'loose').addGroupBy(loose);
    this.restrict(qb, scope, 'ch', place, true);
    const rows = await qb.getRawMany<{
      unit: string | null;
      grade: number | null;
      birthYear: number | string | null;
      birthDate: string | null;
      poor: number | string;
      loose?: string | null;
      count: number | string;
    }>();
    const looseIds = rows.flatMap((row) => (row.loose ? [row.loose] : []));
    const townshipOf = new Map<string, string | null>();
    if (looseIds.length) {
      const cases = await counted()
        .select('c.child_id', 'child')
        .addSelect('c.township_code', 'township')
        .addSelect('c.confirmed_at', 'confirmedAt')
        .andWhere('c.child_id IN (:...looseIds)', { looseIds })
        .getRawMany<{ child: string; township: string | null; confirmedAt: Date | string }>();
      cases.sort((a, b) => rawDate(a.confirmedAt).getTime() - rawDate(b.confirmedAt).getTime());
      for (const c of cases) townshipOf.set(c.child, c.township);
    }
    const prefix = this.placePrefix(scope);
    return rows.flatMap((row) => {
      const township = row.loose ? (townshipOf.get(row.loose) ?? null) : null;
      if (row.loose && prefix && !township?.startsWith(prefix)) return [];
      return [
        {
          unit: row.loose && by !== 'school' ? township : row.unit,
          grade: row.grade === null ? null : Number(row.grade),
          birthYear: row.birthYear === null ? null : Number(row.birthYear),
          birthDate: row.birthDate,
          poor: Number(row.poor) === 1,
          count: Number(row.count),
        },
      ];
    });
  }

  /** The row a unit's children are counted in: the unit at the level asked for, else the scope's row of children placed no lower. */
  private rowCodeOf(scope: UnitScope, by: StatsQuery['by'], unit: string | null): string {
    const own = scope.kind === 'school' ? scope.schoolId : scope.code;
    if (by === 'school') return unit ?? own;
    if (!unit || !isDivisionCode(unit) || (scope.kind === 'division' && !isWithinDivision(unit, scope.code))) return own;
    // a township's code at village level: its children known to no village
    return ancestorDivisionCode(unit, by) ?? unit;
  }

  /** Each row's name and place in the list: units by code, each row of children placed no lower after its peers. */
  private async rowNames(scope: UnitScope, by: StatsQuery['by'], codes: string[]): Promise<Map<string, { name: string; sortKey: string }>> {
    const own = scope.kind === 'school' ? scope.schoolId : scope.code;
    const result = new Map<string, { name: string; sortKey: string }>();
    if (by === 'school') {
      const names = await this.schoolNames(codes.filter((code) => code !== own || scope.kind === 'school'));
      for (const code of codes)
        result.set(
          code,
          names.has(code)
            ? { name: names.get(code)!, sortKey: code }
            : { name: code === own ? '学校不详' : code, sortKey: code === own ? LAST : code },
        );
      return result;
    }
    const level = (code: string) => (isDivisionCode(code) ? divisionLevelOf(code) : null);
    const unplacedInVillage = (code: string) => by === 'village' && level(code) === 'township';
    const names = await this.divisions.names(codes.filter((code) => level(code) === by || unplacedInVillage(code)));
    for (const code of codes) {
      if (level(code) === by) result.set(code, { name: names.get(code) ?? code, sortKey: code });
      else if (unplacedInVillage(code))
        result.set(code, {
          name: code === own ? '未落实到村' : `${names.get(code) ?? code}（未落实到村）`,
          sortKey: `${divisionPrefix(code)}${LAST}`,
        });
      else result.set(code, { name: '未落实到乡镇', sortKey: LAST });
    }
    return result;
  }

  private async schoolNames(ids: string[]): Promise<Map<string, string>> {
    return this.schools.schoolNames(this.dataSource.manager, ids);
  }
}

/** What a unit's statistics cover: a school's pupils, or a county's children within a division of it. */
type UnitScope = { kind: 'school'; schoolId: string } | { kind: 'division'; code: string };
/** The counties of a prefecture or province (the prefix of their codes), counted each as a whole. */
type Scope = UnitScope | { kind: 'region'; prefix: string };

/**
 * Adds up pupils enrolled and children dropped out by stage and poverty into rows (`rowOf` names a
 * unit's row) and a total. A child whose grade nobody gave (tips often know only an age) is placed by
 * age (expectedGrade).
 */
function tallyUp(
  schoolYear: number,
  enrolled: Array<{ unit: string | null; grade: number; poor: number | boolean; count: string | number }>,
  dropouts: DropoutTally[],
  rowOf: (unit: string | null) => string,
): { tallies: Map<string, Tally>; total: Tally } {
  const tallies = new Map<string, Tally>();
  const total = emptyTally();
  const add = (unit: string | null, grade: number | null, poor: boolean, count: number, field: 'enrolled' | 'dropouts') => {
    const stage = stageOfGrade(grade);
    if (!stage) return;
    const code = rowOf(unit);
    if (!tallies.has(code)) tallies.set(code, emptyTally());
    for (const t of [total, tallies.get(code)!]) {
      t[field][stage] += count;
      if (poor) t[field].poor += count;
    }
  };
  for (const row of enrolled) add(row.unit, Number(row.grade), Boolean(Number(row.poor)), Number(row.count), 'enrolled');
  for (const row of dropouts) {
    const grade = row.grade !== null ? Number(row.grade) : expectedGrade(schoolYear, row.birthYear, row.birthDate);
    add(row.unit, grade, row.poor, row.count, 'dropouts');
  }
  return { tallies, total };
}
