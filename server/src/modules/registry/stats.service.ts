import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ancestorDivisionCode,
  DROPOUT_CAUSES,
  DROPOUT_TARGETS,
  divisionLevelOf,
  divisionPrefix,
  FINISHED_CASE_STATUSES,
  ragFor,
  schoolYearRange,
  type DropoutCause,
  type DropoutRow,
  type StatsResponse,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { In, type DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { divisionScopePrefix, isDivisionInScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { Child } from '../children/child.entity';
import { DropoutCase } from '../cases/case.entity';
import { rawDate } from '../../database/raw-date';
import { DivisionsService } from '../divisions/divisions.service';
import { EnrolmentTallyService, isPoor } from './enrolment-tally.service';
import { EnrolmentTally } from './registry.entities';
import { School } from '../schools/school.entity';

const CONFIRMED_OR_LATER = ['confirmed', 'persuading', 'escalated', 'returned', 'closed'];

export interface StatsQuery {
  schoolYear: number;
  under?: string;
  by: 'township' | 'village' | 'school';
}

interface Tally {
  enrolled: { primary: number; junior: number; poor: number };
  dropouts: { primary: number; junior: number; poor: number };
}

const emptyTally = (): Tally => ({ enrolled: { primary: 0, junior: 0, poor: 0 }, dropouts: { primary: 0, junior: 0, poor: 0 } });

/**
 * Dropout statistics (BRIEF §5): per stage and for children of poor households, at county,
 * township, village and school level, for a school year, against the targets. Dropout rate =
 * pupils confirmed dropped out in the school year / pupils enrolled (on the roster), per stage.
 */
@Injectable()
export class StatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly divisions: DivisionsService,
    private readonly tallies: EnrolmentTallyService,
  ) {}

  async dropout(caller: Caller, query: StatsQuery): Promise<StatsResponse> {
    const scope = this.scopeOf(caller, query.under);
    const { from, to } = schoolYearRange(query.schoolYear);
    const manager = this.dataSource.manager;
    // pupils on the roster, by unit, stage and poverty: from the tallies, recounted if a pupil changed
    await this.tallies.ensureCurrent();
    const tallyUnit = query.by === 'school' ? 't.school_id' : 't.village_code';
    const enrolledQb = manager
      .createQueryBuilder(EnrolmentTally, 't')
      .select(tallyUnit, 'unit')
      .addSelect('t.grade', 'grade')
      .addSelect('t.poor', 'poor')
      .addSelect('SUM(t.pupils)', 'count')
      .groupBy(tallyUnit)
      .addGroupBy('t.grade')
      .addGroupBy('t.poor');
    this.restrict(enrolledQb, scope, 't');
    // children confirmed dropped out during the school year, each child once, counted in SQL
    const groupColumn = query.by === 'school' ? 'ch.school_id' : 'ch.village_code';
    const dropoutQb = manager
      .createQueryBuilder(DropoutCase, 'c')
      .innerJoin(Child, 'ch', 'ch.id = c.child_id')
      .select(groupColumn, 'unit')
      .addSelect('ch.grade', 'grade')
      .addSelect('ch.priority_groups', 'groups')
      .addSelect('COUNT(DISTINCT c.child_id)', 'count')
      .where('c.confirmed_at >= :from AND c.confirmed_at <= :to AND c.merged_into_id IS NULL AND c.status IN (:...statuses)', {
        statuses: CONFIRMED_OR_LATER,
        from: new Date(`${from}T00:00:00+08:00`),
        to: new Date(`${to}T23:59:59+08:00`),
      })
      .andWhere('ch.grade IS NOT NULL')
      .groupBy(groupColumn)
      .addGroupBy('ch.grade')
      .addGroupBy('ch.priority_groups');
    this.restrict(dropoutQb, scope, 'ch');
    const [enrolled, dropouts, cases] = await Promise.all([
      enrolledQb.getRawMany<{ unit: string; grade: number; poor: number | boolean; count: string | number }>(),
      dropoutQb.getRawMany<{ unit: string | null; grade: number; groups: string; count: string | number }>(),
      this.caseFigures(scope, from, to),
    ]);

    const keyOf = (unit: string | null) => {
      if (!unit) return null;
      if (query.by === 'township') return ancestorDivisionCode(unit, 'township');
      return unit;
    };
    const tallies = new Map<string, Tally>();
    const total = emptyTally();
    const add = (unit: string | null, grade: number, poor: boolean, count: number, field: 'enrolled' | 'dropouts') => {
      const stage = grade >= 1 && grade <= 6 ? 'primary' : grade >= 7 && grade <= 9 ? 'junior' : null;
      if (!stage) return;
      const targets = [total];
      const key = keyOf(unit);
      if (key) {
        if (!tallies.has(key)) tallies.set(key, emptyTally());
        targets.push(tallies.get(key)!);
      }
      for (const t of targets) {
        t[field][stage] += count;
        if (poor) t[field].poor += count;
      }
    };
    for (const row of enrolled) add(row.unit || null, Number(row.grade), Boolean(Number(row.poor)), Number(row.count), 'enrolled');
    for (const row of dropouts) add(row.unit, Number(row.grade), isPoor(row.groups), Number(row.count), 'dropouts');

    const codes = [...tallies.keys()];
    const names = query.by === 'school' ? await this.schoolNames(codes) : await this.divisions.names(codes);
    const rows = codes
      .map((code) => this.row(code, names.get(code) ?? code, tallies.get(code)!))
      .sort((a, b) => a.code.localeCompare(b.code));
    const unitName =
      scope.kind === 'school'
        ? ((await this.schoolNames([scope.schoolId])).get(scope.schoolId) ?? '')
        : ((await this.divisions.fullNames([scope.code])).get(scope.code) ?? '');
    return {
      schoolYear: query.schoolYear,
      unitName,
      total: this.row(scope.kind === 'school' ? scope.schoolId : scope.code, unitName, total),
      rows,
      cases,
    };
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
    for (const row of [...stats.rows, { ...stats.total, name: `${stats.total.name}（合计）` }]) {
      sheet.addRow({
        name: row.name,
        pe: row.primary.enrolled,
        pd: row.primary.dropouts,
        pr: `${(row.primary.rate * 100).toFixed(2)}%（${label[row.primary.rag]}）`,
        je: row.junior.enrolled,
        jd: row.junior.dropouts,
        jr: `${(row.junior.rate * 100).toFixed(2)}%（${label[row.junior.rag]}）`,
        oe: row.poor.enrolled,
        od: row.poor.dropouts,
        or: `${(row.poor.rate * 100).toFixed(2)}%（${label[row.poor.rag]}）`,
      });
    }
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

  private row(code: string, name: string, tally: Tally): DropoutRow {
    const cell = (stage: 'primary' | 'junior' | 'poor') => {
      const enrolled = tally.enrolled[stage];
      const dropouts = tally.dropouts[stage];
      const rate = enrolled ? dropouts / enrolled : 0;
      return { enrolled, dropouts, rate, target: DROPOUT_TARGETS[stage], rag: ragFor(rate, DROPOUT_TARGETS[stage]) };
    };
    return { code, name, primary: cell('primary'), junior: cell('junior'), poor: cell('poor') };
  }

  private async caseFigures(scope: Scope, from: string, to: string): Promise<StatsResponse['cases']> {
    const manager = this.dataSource.manager;
    const now = this.clock.now();
    const base = () => {
      const qb = manager.createQueryBuilder(DropoutCase, 'c').where('c.merged_into_id IS NULL');
      if (scope.kind === 'school') qb.andWhere('c.school_id = :school', { school: scope.schoolId });
      else qb.andWhere('c.routing_code LIKE :prefix', { prefix: `${divisionPrefix(scope.code)}%` });
      return qb;
    };
    const finished = FINISHED_CASE_STATUSES;
    const [[counts], returnedCases, caused] = await Promise.all([
      // open and overdue in one pass over the cases
      base()
        .select(`SUM(CASE WHEN c.status NOT IN (:...finished) THEN 1 ELSE 0 END)`, 'open')
        .addSelect(`SUM(CASE WHEN c.status NOT IN (:...finished) AND c.due_at < :now THEN 1 ELSE 0 END)`, 'overdue')
        .setParameters({ finished, now })
        .getRawMany<{ open: string | number | null; overdue: string | number | null }>(),
      base()
        .andWhere("c.status IN ('returned', 'closed') AND c.returned_on >= :from AND c.returned_on <= :to", { from, to })
        .select('c.opened_at', 'openedAt')
        .addSelect('c.returned_on', 'returnedOn')
        .getRawMany<{ openedAt: Date | string; returnedOn: string }>(),
      // a county's cases name few distinct sets of causes: one row each
      base()
        .andWhere('c.causes IS NOT NULL AND c.opened_at >= :from AND c.opened_at <= :to', {
          from: new Date(`${from}T00:00:00+08:00`),
          to: new Date(`${to}T23:59:59+08:00`),
        })
        .select('c.causes', 'causes')
        .addSelect('COUNT(*)', 'count')
        .groupBy('c.causes')
        .getRawMany<{ causes: string; count: string | number }>(),
    ]);
    const days = returnedCases
      .map((c) => (Date.parse(`${c.returnedOn}T00:00:00+08:00`) - rawDate(c.openedAt).getTime()) / 86_400_000)
      .map((d) => Math.max(0, Math.round(d)))
      .sort((a, b) => a - b);
    const median = days.length
      ? days.length % 2
        ? days[(days.length - 1) / 2]!
        : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2
      : null;
    const byCause = new Map<DropoutCause, number>();
    for (const c of caused)
      for (const cause of JSON.parse(c.causes) as DropoutCause[]) byCause.set(cause, (byCause.get(cause) ?? 0) + Number(c.count));
    return {
      open: Number(counts?.open ?? 0),
      overdue: Number(counts?.overdue ?? 0),
      returned: returnedCases.length,
      medianDaysToReturn: median,
      byCause: (Object.keys(DROPOUT_CAUSES) as DropoutCause[]).map((cause) => ({
        cause,
        label: DROPOUT_CAUSES[cause],
        count: byCause.get(cause) ?? 0,
      })),
    };
  }

  /** A township sees its own figures, a village cadre their village, school staff their school, the county all. */
  private scopeOf(caller: Caller, under?: string): Scope {
    if (caller.role === 'official' && caller.unit?.kind === 'school') {
      if (under) throw AppError.forbidden('学校只能查看本校的统计', { under: '不在您的管辖范围内' });
      return { kind: 'school', schoolId: caller.unit.schoolId };
    }
    const prefix = divisionScopePrefix(caller);
    if (!prefix || (caller.role !== 'county_admin' && caller.role !== 'official')) throw AppError.forbidden();
    if (under) {
      if (!isDivisionInScope(caller, under)) throw AppError.forbidden('只能查看本单位范围内的统计', { under: '不在您的管辖范围内' });
      return { kind: 'division', code: under };
    }
    const own = caller.role === 'county_admin' ? caller.countyCode! : (caller.unit as { code: string }).code;
    return { kind: 'division', code: own };
  }

  /** Narrows to the scope's pupils; `alias` is a child or a tally (both name the columns alike). */
  private restrict(qb: { andWhere: (sql: string, params?: Record<string, unknown>) => unknown }, scope: Scope, alias: 'ch' | 't'): void {
    if (scope.kind === 'school') qb.andWhere(`${alias}.school_id = :school`, { school: scope.schoolId });
    else if (divisionLevelOf(scope.code) === 'county') qb.andWhere(`${alias}.county_code = :county`, { county: scope.code });
    else qb.andWhere(`${alias}.village_code LIKE :prefix`, { prefix: `${divisionPrefix(scope.code)}%` });
  }

  private async schoolNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const schools = await this.dataSource.manager.find(School, { where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(schools.map((s) => [s.id, s.name]));
  }
}

type Scope = { kind: 'school'; schoolId: string } | { kind: 'division'; code: string };
