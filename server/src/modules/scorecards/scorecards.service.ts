import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  chinaDay,
  countySettings,
  DEFAULT_COUNTY_SETTINGS,
  divisionLevelOf,
  divisionPrefix,
  rankScorecard,
  SCORECARD_BETTER,
  SCORECARD_FIGURES,
  SCORECARD_KINDS,
  SCORECARD_LABELS,
  SCORECARD_RANKING_RULE,
  schoolYearOf,
  schoolYearRange,
  scorecardFormulas,
  type CountySettings,
  type ScorecardFigure,
  type ScorecardLimits,
  type ScorecardResponse,
  type ScorecardValue,
} from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { readScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { CaseRecords } from '../cases/case-records';
import { noScorecardCounts, type ScorecardCounts, type ScorecardPeriod, type ScorecardUnits } from '../cases/case-scorecard-query';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { SpotChecksService } from '../spot-checks/spot-checks.service';

export interface ScorecardQuery {
  by?: 'township' | 'school' | 'county';
  from?: string;
  to?: string;
}

const HOURS_PER_DAY = 24;

/**
 * Scorecards (考核排名, BRIEF §5a): per township or school of a county — or per county of a region —
 * the case work of a period, each figure with what it is computed from, ranked. The county admin
 * ranks townships and schools; a township's leaders see the township table (ranking is public within
 * the county); a prefecture's or province's bureau sees its counties. Counts only: no row names a child.
 */
@Injectable()
export class ScorecardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly caseRecords: CaseRecords,
    private readonly divisionRecords: DivisionRecords,
    private readonly divisions: DivisionsService,
    private readonly schools: SchoolRecords,
    private readonly spotChecks: SpotChecksService,
  ) {}

  async scorecard(caller: Caller, query: ScorecardQuery): Promise<ScorecardResponse> {
    const units = this.unitsFor(caller, query.by);
    const today = chinaDay(this.clock.now());
    const from = query.from ?? schoolYearRange(schoolYearOf(query.to ?? today)).from;
    const to = query.to ?? today;
    if (from > to) throw AppError.invalid({ to: '结束日期不能早于开始日期' }, '开始日期不能晚于结束日期');
    const manager = this.dataSource.manager;

    const counties =
      units.by === 'county'
        ? await this.divisionRecords.servedCountiesUnder(manager, units.regionPrefix)
        : [await this.divisionRecords.servedCounty(manager, units.countyCode)].flatMap((county) => (county ? [county] : []));
    const settings = new Map(counties.map((county) => [county.code, countySettings(county.settings)]));
    const period: ScorecardPeriod = {
      units,
      from,
      to,
      now: this.clock.now(),
      limits: new Map([...settings].map(([code, s]) => [code, limitHours(s)])),
      fallback: limitHours(DEFAULT_COUNTY_SETTINGS),
    };
    const [counts, problems, listed] = await Promise.all([
      this.caseRecords.scorecardCounts(manager, period),
      this.spotChecks.scorecardProblems(manager, units, from, to, period.now),
      this.unitList(units, counties),
    ]);
    const rows = rankScorecard(
      listed.map((unit) => ({
        code: unit.code,
        name: unit.name,
        figures: figuresOf(counts.get(unit.code) ?? noScorecardCounts(), problems.get(unit.code) ?? 0),
      })),
    );
    const formulas = scorecardFormulas(sameLimits([...settings.values()]));
    return {
      by: units.by,
      from,
      to,
      unitName: await this.unitName(caller, units),
      figures: SCORECARD_FIGURES.map((key) => ({
        key,
        label: SCORECARD_LABELS[key],
        kind: SCORECARD_KINDS[key],
        better: SCORECARD_BETTER[key],
        formula: formulas[key],
      })),
      ranking: SCORECARD_RANKING_RULE,
      rows,
    };
  }

  /** The table the caller may read (`read_scorecard`): a region its counties, the county its townships or schools, a township the townships. */
  private unitsFor(caller: Caller, by: ScorecardQuery['by']): ScorecardUnits {
    requireRecordAccess(caller, 'read_scorecard');
    const reach = readScope(caller, 'read_scorecard');
    switch (reach?.relation) {
      case 'region': {
        const level = divisionLevelOf(reach.code);
        if (level !== 'province' && level !== 'prefecture') throw AppError.forbidden();
        // above the county the ranking stops at the counties' figures
        if (by && by !== 'county') throw AppError.forbidden('市、省教育局只能查看辖区各县的排名', { by: '只能按县排名' });
        return { by: 'county', regionPrefix: divisionPrefix(reach.code) };
      }
      case 'county':
        if (by === 'county') throw AppError.forbidden('县教育局可以查看各乡镇和各学校的排名', { by: '只能按乡镇或学校排名' });
        return { by: by ?? 'township', countyCode: reach.countyCode };
      case 'division':
        if (!caller.countyCode) throw AppError.forbidden();
        if (by && by !== 'township') throw AppError.forbidden('乡镇只能查看全县各乡镇的排名', { by: '只能按乡镇排名' });
        return { by: 'township', countyCode: caller.countyCode };
      default:
        throw AppError.forbidden();
    }
  }

  /** Every unit of the table, with or without cases, by code. */
  private async unitList(units: ScorecardUnits, counties: Array<{ code: string }>): Promise<Array<{ code: string; name: string }>> {
    const manager = this.dataSource.manager;
    if (units.by === 'school') {
      const schools = await this.schools.inCounty(manager, units.countyCode);
      return schools.map((school) => ({ code: school.id, name: school.name })).sort((a, b) => (a.code < b.code ? -1 : 1));
    }
    const codes =
      units.by === 'county'
        ? counties.map((county) => county.code)
        : (await this.divisionRecords.townshipsAndVillagesOf(manager, units.countyCode))
            .filter((division) => division.level === 'township')
            .map((division) => division.code)
            .sort();
    const names = await this.divisions.names(codes);
    return codes.map((code) => ({ code, name: names.get(code) ?? code }));
  }

  private async unitName(caller: Caller, units: ScorecardUnits): Promise<string> {
    const code =
      units.by === 'county' && caller.unit?.kind === 'division' ? caller.unit.code : 'countyCode' in units ? units.countyCode : '';
    return (await this.divisions.fullNames([code])).get(code) ?? code;
  }
}

function limitHours(settings: CountySettings): { verifyHours: number; firstVisitHours: number } {
  return { verifyHours: settings.verifyDays * HOURS_PER_DAY, firstVisitHours: settings.firstVisitDays * HOURS_PER_DAY };
}

/** The limits the formulas name: the counties' when they all have the same, else none. */
function sameLimits(all: CountySettings[]): ScorecardLimits {
  const [first, ...rest] = all.length ? all : [DEFAULT_COUNTY_SETTINGS];
  return rest.every((s) => s.verifyDays === first!.verifyDays && s.firstVisitDays === first!.firstVisitDays) ? first! : null;
}

/** A unit's figures from its counts: shares of their denominators (none without one), the median in hours to a tenth. */
function figuresOf(counts: ScorecardCounts, spotCheckProblems: number): Record<ScorecardFigure, Omit<ScorecardValue, 'rank'>> {
  const share = (numerator: number, denominator: number) => ({
    value: denominator ? numerator / denominator : null,
    numerator,
    denominator,
  });
  const count = (n: number) => ({ value: n, numerator: n, denominator: null });
  return {
    acknowledge_hours: {
      value: counts.acknowledgeMedianHours === null ? null : Math.round(counts.acknowledgeMedianHours * 10) / 10,
      numerator: null,
      denominator: counts.acknowledged,
    },
    verified_on_time: share(counts.verifiedOnTime, counts.verifiedDue),
    first_visit_on_time: share(counts.visitedOnTime, counts.visitsDue),
    overdue_now: count(counts.overdue),
    returned: count(counts.returned),
    relapses: count(counts.relapses),
    tips_confirmed: share(counts.tipsConfirmed, counts.tipsDecided),
    spot_check_problems: count(spotCheckProblems),
  };
}
