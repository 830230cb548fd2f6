import { Injectable } from '@nestjs/common';
import { FINISHED_CASE_STATUSES, type CaseSource, type CaseStatus, type DropoutCause } from '@baoxue/shared';
import { In, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { selectRows } from '../../database/sql';
import { CaseEvent, DropoutCase } from './case.entity';
import { dashboardCounts, dashboardStatement, type DashboardCaseCounts, type DashboardPeriod } from './case-dashboard-query';
import { isMysql } from '../../database/dialect';
import { reportFiguresOf, reportFiguresStatement, type CaseReportFigures } from './case-report-query';
import {
  acknowledgeStatement,
  HOURS_BETWEEN,
  scorecardCounts,
  tipsStatement,
  workStatement,
  type ScorecardCounts,
  type ScorecardPeriod,
} from './case-scorecard-query';

/** A stored case as other modules see it (they never import the entity). */
export type CaseRow = DropoutCase;

/** An event of a case's timeline as other modules see it. */
export type CaseEventRow = CaseEvent;

/** The cases a report covers: a school's, or those routed within a division (a prefix of routing codes). */
export type CaseReportScope = { schoolId: string } | { routingPrefix: string };

/** The figures of a report's case work, as SQL over `c` (one definition for a unit and for a region's counties). */
const OPEN_SQL = 'SUM(CASE WHEN c.status NOT IN (:...finished) THEN 1 ELSE 0 END)';
const OVERDUE_SQL = 'SUM(CASE WHEN c.status NOT IN (:...finished) AND c.due_at < :now THEN 1 ELSE 0 END)';
const RETURNED_SQL = "c.status IN ('returned', 'closed') AND c.returned_on >= :from AND c.returned_on <= :to";

/**
 * Cases as other modules read them (reporting, the registry, tips). The cases module owns the cases table.
 */
@Injectable()
export class CaseRecords {
  /** The case, or null when there is none with this id. */
  async findById(manager: EntityManager, id: string): Promise<CaseRow | null> {
    return manager.findOneBy(DropoutCase, { id });
  }

  /**
   * Cases closed (销号) from `from` to `to` in these townships of a county and still closed, ordered by
   * township and id — a stable key, so a draw over them is reproducible (督导 spot checks).
   */
  async closedIn(
    manager: EntityManager,
    countyCode: string,
    townshipCodes: string[],
    from: Date,
    to: Date,
  ): Promise<
    Array<
      Pick<
        CaseRow,
        'id' | 'caseNumber' | 'childId' | 'townshipCode' | 'villageCode' | 'schoolId' | 'returnSchoolId' | 'returnGrade' | 'closedAt'
      >
    >
  > {
    if (townshipCodes.length === 0) return [];
    return manager
      .createQueryBuilder(DropoutCase, 'c')
      .select([
        'c.id',
        'c.caseNumber',
        'c.childId',
        'c.townshipCode',
        'c.villageCode',
        'c.schoolId',
        'c.returnSchoolId',
        'c.returnGrade',
        'c.closedAt',
      ])
      .where("c.county_code = :countyCode AND c.township_code IN (:...townshipCodes) AND c.status = 'closed'", {
        countyCode,
        townshipCodes,
      })
      .andWhere('c.merged_into_id IS NULL AND c.closed_at >= :from AND c.closed_at <= :to', { from, to })
      .orderBy('c.township_code', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  /** The child's open case (at most one: BRIEF §3a), or null. */
  async openCaseOf(manager: EntityManager, childId: string): Promise<CaseRow | null> {
    return manager.findOneBy(DropoutCase, { openChildId: childId });
  }

  /** One more (or one fewer) tip feeds the case; bumps its version, inside the caller's transaction. */
  async changeTipCount(manager: EntityManager, caseId: string, by: 1 | -1): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(DropoutCase)
      .set({ tipCount: () => (by > 0 ? 'tip_count + 1' : 'tip_count - 1'), version: () => 'version + 1' })
      .where('id = :id', { id: caseId })
      .execute();
  }

  /** The events of these kinds on the timelines of these cases, oldest first, in one query. */
  async eventsOf(manager: EntityManager, caseIds: string[], kinds: string[]): Promise<CaseEventRow[]> {
    if (caseIds.length === 0) return [];
    return manager.find(CaseEvent, { where: { caseId: In(caseIds), kind: In(kinds) }, order: { at: 'ASC' } });
  }

  /** Joins the cases table (alias `alias`, snake_case columns) into another module's query, e.g. the case a tip fed. */
  joinCases<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    condition: string,
    kind: 'inner' | 'left' = 'inner',
  ): SelectQueryBuilder<T> {
    return kind === 'inner' ? qb.innerJoin(DropoutCase, alias, condition) : qb.leftJoin(DropoutCase, alias, condition);
  }

  /**
   * Whether someone already follows the child: an open case, or a case from `source` opened in the
   * period (e.g. a cross-check of the same school year); merged cases aside.
   */
  async isFollowed(manager: EntityManager, childId: string, source: CaseSource, openedFrom: Date, openedTo: Date): Promise<boolean> {
    return manager
      .createQueryBuilder(DropoutCase, 'c')
      .where('c.child_id = :childId AND c.merged_into_id IS NULL', { childId })
      .andWhere('(c.status NOT IN (:...finished) OR (c.source = :source AND c.opened_at >= :from AND c.opened_at <= :to))', {
        finished: FINISHED_CASE_STATUSES,
        source,
        from: openedFrom,
        to: openedTo,
      })
      .getExists();
  }

  /** Open and overdue cases of a report's scope, counted in one pass over the cases. */
  async openAndOverdue(manager: EntityManager, scope: CaseReportScope, now: Date): Promise<{ open: number; overdue: number }> {
    const [counts] = await this.reported(manager, scope)
      .select(OPEN_SQL, 'open')
      .addSelect(OVERDUE_SQL, 'overdue')
      .setParameters({ finished: FINISHED_CASE_STATUSES, now })
      .getRawMany<{ open: string | number | null; overdue: string | number | null }>();
    return { open: Number(counts?.open ?? 0), overdue: Number(counts?.overdue ?? 0) };
  }

  /**
   * The same figures for every county under a region's prefix at once, grouped by the county the
   * cases are routed in (`routing_county`): open and overdue now, returned to school between two days.
   */
  async figuresByCounty(
    manager: EntityManager,
    regionPrefix: string,
    now: Date,
    from: string,
    to: string,
  ): Promise<Map<string, { open: number; overdue: number; returned: number }>> {
    const rows = await this.reported(manager, { routingPrefix: regionPrefix })
      .select('c.routing_county', 'county')
      .addSelect(OPEN_SQL, 'open')
      .addSelect(OVERDUE_SQL, 'overdue')
      .addSelect(`SUM(CASE WHEN ${RETURNED_SQL} THEN 1 ELSE 0 END)`, 'returned')
      .setParameters({ finished: FINISHED_CASE_STATUSES, now, from, to })
      .groupBy('c.routing_county')
      .getRawMany<{ county: string; open: string | number | null; overdue: string | number | null; returned: string | number | null }>();
    return new Map(
      rows.map((r) => [r.county, { open: Number(r.open ?? 0), overdue: Number(r.overdue ?? 0), returned: Number(r.returned ?? 0) }]),
    );
  }

  /** When each case of the scope that returned to school between two days (YYYY-MM-DD) was opened and returned (raw values). */
  async returnedBetween(
    manager: EntityManager,
    scope: CaseReportScope,
    from: string,
    to: string,
  ): Promise<Array<{ openedAt: Date | string; returnedOn: string }>> {
    return this.reported(manager, scope)
      .andWhere(RETURNED_SQL, { from, to })
      .select('c.opened_at', 'openedAt')
      .addSelect('c.returned_on', 'returnedOn')
      .getRawMany<{ openedAt: Date | string; returnedOn: string }>();
  }

  /** The causes named by the scope's cases opened in the period: one row per distinct set of causes (a county has few). */
  async causeSets(
    manager: EntityManager,
    scope: CaseReportScope,
    openedFrom: Date,
    openedTo: Date,
  ): Promise<Array<{ causes: DropoutCause[]; count: number }>> {
    const rows = await this.reported(manager, scope)
      .andWhere('c.causes IS NOT NULL AND c.opened_at >= :from AND c.opened_at <= :to', { from: openedFrom, to: openedTo })
      .select('c.causes', 'causes')
      .addSelect('COUNT(*)', 'count')
      .groupBy('c.causes')
      .getRawMany<{ causes: string; count: string | number }>();
    return rows.map((r) => ({ causes: JSON.parse(r.causes) as DropoutCause[], count: Number(r.count) }));
  }

  /**
   * Cases (merged ones aside) confirmed in the period and now in one of `statuses`, as a query on
   * `alias` for a report to join (joinChildren, joinSchools), group and select.
   */
  confirmedQuery(
    manager: EntityManager,
    alias: string,
    statuses: readonly CaseStatus[],
    from: Date,
    to: Date,
  ): SelectQueryBuilder<CaseRow> {
    return manager
      .createQueryBuilder(DropoutCase, alias)
      .where(
        `${alias}.confirmed_at >= :from AND ${alias}.confirmed_at <= :to AND ${alias}.merged_into_id IS NULL AND ${alias}.status IN (:...statuses)`,
        {
          statuses,
          from,
          to,
        },
      );
  }

  /**
   * The dashboard's case figures of the caller's inbox (`dashboardStatement`): open, overdue, due
   * today, returned and closed this month, and the weeks' new cases and returns, in one statement.
   */
  async dashboardCounts(manager: EntityManager, caller: Caller, period: DashboardPeriod): Promise<DashboardCaseCounts> {
    const column = manager.connection.getMetadata(DropoutCase).findColumnWithPropertyName('dueAt')!;
    const at = (time: Date) => manager.connection.driver.preparePersistentValue(time, column);
    const { sql, values } = dashboardStatement(caller, period, at);
    const [row] = await selectRows<Record<string, unknown>>(manager, sql, values);
    return dashboardCounts(row, period);
  }

  /**
   * The counts of a scorecard (考核排名) per unit — township, school or county — in three grouped
   * statements over the units' cases (`case-scorecard-query`); units without a case are absent.
   */
  async scorecardCounts(manager: EntityManager, period: ScorecardPeriod): Promise<Map<string, ScorecardCounts>> {
    const column = manager.connection.getMetadata(DropoutCase).findColumnWithPropertyName('dueAt')!;
    const at = (time: Date) => manager.connection.driver.preparePersistentValue(time, column);
    const hours = HOURS_BETWEEN[isMysql(manager) ? 'mysql' : 'sqlite'];
    const run = ({ sql, values }: { sql: string; values: unknown[] }) => selectRows<Record<string, unknown>>(manager, sql, values);
    const [acknowledge, work, tips] = await Promise.all([
      run(acknowledgeStatement(period, at, hours)),
      run(workStatement(period, at, hours)),
      run(tipsStatement(period, at)),
    ]);
    return scorecardCounts(acknowledge, work, tips);
  }

  /**
   * The case figures of a periodic report (BRIEF §5a) of a unit — a school, or a township or county
   * by where cases are routed — and a period of China days, in two grouped statements (`case-report-query`).
   */
  async reportFigures(manager: EntityManager, scope: CaseReportScope, from: string, to: string, now: Date): Promise<CaseReportFigures> {
    const column = manager.connection.getMetadata(DropoutCase).findColumnWithPropertyName('dueAt')!;
    const at = (time: Date) => manager.connection.driver.preparePersistentValue(time, column);
    const { cases, visits } = reportFiguresStatement(scope, from, to, now, at);
    const [[row], [visitRow]] = await Promise.all([
      selectRows<Record<string, unknown>>(manager, cases.sql, cases.values),
      selectRows<Record<string, unknown>>(manager, visits.sql, visits.values),
    ]);
    return reportFiguresOf(row, visitRow);
  }

  /** The cases a report covers, merged ones aside. */
  private reported(manager: EntityManager, scope: CaseReportScope): SelectQueryBuilder<CaseRow> {
    const qb = manager.createQueryBuilder(DropoutCase, 'c').where('c.merged_into_id IS NULL');
    if ('schoolId' in scope) qb.andWhere('c.school_id = :school', { school: scope.schoolId });
    else qb.andWhere('c.routing_code LIKE :prefix', { prefix: `${scope.routingPrefix}%` });
    return qb;
  }
}
