import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  CLOSE_ABSENCE_DAYS_AROUND,
  DATA_QUALITY_DEFAULT_DAYS,
  DATA_QUALITY_PAGE_SIZE,
  DATA_QUALITY_RULE_CODES,
  DATA_QUALITY_RULES,
  endOfChinaDay,
  startOfChinaDay,
  VISIT_BURST_MINUTES,
  type DataQualityItem,
  type DataQualityQuery,
  type DataQualityRecord,
  type DataQualityResponse,
  type DataQualityRule,
  type DataQualityRuleResult,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { readScope, scopeWhere } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isMysql } from '../../database/dialect';
import { rawDate } from '../../database/raw-date';
import { selectRows } from '../../database/sql';
import { UserRecords } from '../accounts/user-records';
import { DivisionsService } from '../divisions/divisions.service';
import {
  closedWhileAbsentStatements,
  datedBeforeOpeningStatements,
  DIALECTS,
  elsewhereOfVisits,
  visitBurstStatements,
  visitsElsewhereStatements,
  type Dialect,
  type FlagPeriod,
  type FlagStatements,
  type Statement,
} from './data-quality-query';

type Row = Record<string, unknown>;
type RawTime = Date | string;

/** A flagged record before names are put on it: ids of its case, its actor and the accounts of its items. */
interface Draft {
  caseId: string;
  actorId: string | null;
  items: Array<Omit<DataQualityItem, 'caseNumber' | 'townshipName' | 'actorName'> & { actorId: string | null }>;
}

const STATEMENTS: Record<DataQualityRule, (period: FlagPeriod, dialect: Dialect) => FlagStatements> = {
  visit_burst: visitBurstStatements,
  closed_while_absent: closedWhileAbsentStatements,
  dated_before_opening: datedBeforeOpeningStatements,
  visits_elsewhere_same_day: visitsElsewhereStatements,
};

const MINUTE = 60_000;

/**
 * Data-quality flags (数据质量, issue 18 item 6): records of the caller's county (a township leader:
 * their township) entered in a period that look fabricated or impossible, rule by rule. Each rule is a
 * grouped SQL statement over the period (never every event in memory), its records paged; a page's
 * records are then named: case number, township, the accounts that logged them — what the county sees
 * on its cases, never a child's name or ID number.
 */
@Injectable()
export class DataQualityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly users: UserRecords,
    private readonly divisions: DivisionsService,
  ) {}

  async flags(caller: Caller, query: DataQualityQuery): Promise<DataQualityResponse> {
    requireRecordAccess(caller, 'read_data_quality');
    const reach = readScope(caller, 'read_data_quality');
    const unitCode = reach?.relation === 'county' ? reach.countyCode : reach?.relation === 'division' ? reach.code : null;
    if (!unitCode) throw AppError.forbidden();
    const today = chinaDay(this.clock.now());
    const to = query.to ?? today;
    const from = query.from ?? addDays(to, 1 - DATA_QUALITY_DEFAULT_DAYS);
    if (from > to) throw AppError.invalid({ to: '结束日期不能早于开始日期' }, '开始日期不能晚于结束日期');

    const manager = this.dataSource.manager;
    const dialect = DIALECTS[isMysql(manager) ? 'mysql' : 'sqlite'];
    const at = timestampOf(manager);
    const page = query.page ?? 1;
    const start = startOfChinaDay(from);
    const end = endOfChinaDay(to);
    const period: FlagPeriod = {
      scope: scopeWhere(caller, 'read_data_quality', { county: 'c.county_code', division: 'c.routing_code' }),
      start: at(start),
      end: at(end),
      widerStart: at(new Date(start.getTime() - VISIT_BURST_MINUTES * MINUTE)),
      widerEnd: at(new Date(end.getTime() + VISIT_BURST_MINUTES * MINUTE)),
      limit: DATA_QUALITY_PAGE_SIZE,
      offset: (page - 1) * DATA_QUALITY_PAGE_SIZE,
    };
    const codes = query.rule ? [query.rule] : DATA_QUALITY_RULE_CODES;
    const found = await Promise.all(
      codes.map(async (code) => {
        const statements = STATEMENTS[code](period, dialect);
        const [rows, total] = await Promise.all([run(manager, statements.page), run(manager, statements.total)]);
        return { code, total: Number(total[0]?.n ?? 0), drafts: await this.drafts(manager, code, rows, dialect) };
      }),
    );
    // another township's case is named only to a caller who may open it (the county)
    const named = await this.name(
      manager,
      found.flatMap((rule) => rule.drafts),
      reach?.relation === 'county',
    );
    const rules: DataQualityRuleResult[] = found.map(({ code, total, drafts }) => ({
      code,
      title: DATA_QUALITY_RULES[code].title,
      rule: DATA_QUALITY_RULES[code].rule,
      total,
      page,
      pageSize: DATA_QUALITY_PAGE_SIZE,
      records: drafts.map((draft) => named.get(draft)!),
    }));
    return { from, to, unitName: (await this.divisions.fullNames([unitCode])).get(unitCode) ?? unitCode, rules };
  }

  /** A page's rows as records; rules 2 and 4 read the page's other items (bounded by the page). */
  private async drafts(manager: EntityManager, code: DataQualityRule, rows: Row[], dialect: Dialect): Promise<Draft[]> {
    switch (code) {
      case 'visit_burst':
        return rows.map((row) => ({ caseId: str(row.case_id), actorId: str(row.actor_id), items: [visitItem(row)] }));
      case 'dated_before_opening':
        return rows.map((row) => ({
          caseId: str(row.case_id),
          actorId: strOrNull(row.actor_id),
          items: [
            {
              kind: row.kind === 'return' ? 'return' : 'visit',
              id: str(row.id),
              at: iso(row.at as RawTime),
              day: str(row.day),
              caseId: null,
              actorId: strOrNull(row.actor_id),
            },
            {
              kind: 'opened',
              id: null,
              at: iso(row.opened_at as RawTime),
              day: chinaDay(rawDate(row.opened_at as RawTime)),
              caseId: null,
              actorId: null,
            },
          ],
        }));
      case 'closed_while_absent':
        return Promise.all(rows.map((row) => this.closedWhileAbsent(manager, row)));
      case 'visits_elsewhere_same_day': {
        if (!rows.length) return [];
        const others = await run(
          manager,
          elsewhereOfVisits(
            rows.map((row) => str(row.id)),
            dialect,
          ),
        );
        return rows.map((row) => ({
          caseId: str(row.case_id),
          actorId: str(row.actor_id),
          items: [
            visitItem(row),
            ...others
              .filter((other) => other.visit_id === row.id)
              .sort((a, b) => iso(a.other_at as RawTime).localeCompare(iso(b.other_at as RawTime)))
              .map((other) => ({
                kind: (other.kind === 'visit' ? 'visit' : 'activity') as DataQualityItem['kind'],
                id: str(other.other_id),
                at: iso(other.other_at as RawTime),
                day: strOrNull(other.other_day),
                caseId: str(other.other_case_id),
                actorId: str(row.actor_id),
              })),
          ],
        }));
      }
    }
  }

  /** A case closed while the roll call had its child absent: the 销号 (who, when) and the absences around it. */
  private async closedWhileAbsent(manager: EntityManager, row: Row): Promise<Draft> {
    const caseId = str(row.case_id);
    const closeDay = chinaDay(rawDate(row.closed_at as RawTime));
    const [closes, absences] = await Promise.all([
      run(manager, {
        sql: "SELECT e.id, e.at, e.actor_id FROM case_events e WHERE e.case_id = ? AND e.kind = 'closed' ORDER BY e.at DESC",
        values: [caseId],
      }),
      run(manager, {
        sql:
          "SELECT a.id, a.day, a.recorded_at, a.recorded_by FROM attendance a WHERE a.child_id = ? AND a.source = 'roll_call'" +
          ' AND a.present = 0 AND a.excused = 0 AND a.day >= ? AND a.day <= ? ORDER BY a.day',
        values: [row.child_id, addDays(closeDay, -CLOSE_ABSENCE_DAYS_AROUND), addDays(closeDay, CLOSE_ABSENCE_DAYS_AROUND)],
      }),
    ]);
    const close = closes[0];
    return {
      caseId,
      actorId: close ? strOrNull(close.actor_id) : null,
      items: [
        {
          kind: 'close',
          id: close ? str(close.id) : null,
          at: iso(row.closed_at as RawTime),
          day: closeDay,
          caseId: null,
          actorId: close ? strOrNull(close.actor_id) : null,
        },
        ...absences.map((absence) => ({
          kind: 'absence' as const,
          id: str(absence.id),
          at: iso(absence.recorded_at as RawTime),
          day: str(absence.day),
          caseId: null,
          actorId: strOrNull(absence.recorded_by),
        })),
      ],
    };
  }

  /** Names on the drafts: case numbers and townships of their cases, accounts by display name. */
  private async name(manager: EntityManager, drafts: Draft[], countyWide: boolean): Promise<Map<Draft, DataQualityRecord>> {
    const caseIds = [
      ...new Set(drafts.flatMap((draft) => [draft.caseId, ...draft.items.flatMap((item) => (item.caseId ? [item.caseId] : []))])),
    ];
    const actorIds = [
      ...new Set(drafts.flatMap((draft) => [draft.actorId, ...draft.items.map((item) => item.actorId)]).filter((id): id is string => !!id)),
    ];
    const cases = caseIds.length
      ? await run(manager, {
          sql: `SELECT c.id, c.case_number, c.township_code FROM cases c WHERE c.id IN (${caseIds.map(() => '?').join(', ')})`,
          values: caseIds,
        })
      : [];
    const caseOf = new Map(
      cases.map((row) => [str(row.id), { number: strOrNull(row.case_number), township: strOrNull(row.township_code) }]),
    );
    const [actors, townships] = await Promise.all([
      this.users.displayNames(manager, actorIds),
      this.divisions.names([...new Set(cases.flatMap((row) => (row.township_code ? [str(row.township_code)] : [])))]),
    ]);
    const townshipName = (caseId: string) => {
      const code = caseOf.get(caseId)?.township;
      return code ? (townships.get(code) ?? code) : null;
    };
    const named = new Map<Draft, DataQualityRecord>();
    for (const draft of drafts)
      named.set(draft, {
        caseId: draft.caseId,
        caseNumber: caseOf.get(draft.caseId)?.number ?? null,
        townshipName: townshipName(draft.caseId),
        actorName: draft.actorId ? (actors.get(draft.actorId) ?? null) : null,
        items: draft.items.map(({ actorId, ...item }) => {
          const other = item.caseId;
          return {
            ...item,
            caseId: other && countyWide ? other : null,
            caseNumber: other && countyWide ? (caseOf.get(other)?.number ?? null) : null,
            townshipName: other ? townshipName(other) : null,
            actorName: actorId ? (actors.get(actorId) ?? null) : null,
          };
        }),
      });
    return named;
  }
}

function run(manager: EntityManager, statement: Statement): Promise<Row[]> {
  return selectRows<Row>(manager, statement.sql, statement.values);
}

/** A time as the driver stores a timestamp, for comparisons in hand-written SQL. */
function timestampOf(manager: EntityManager): (time: Date) => unknown {
  const column = manager.connection.getMetadata('case_visits').findColumnWithDatabaseName('recorded_at')!;
  return (time) => manager.connection.driver.preparePersistentValue(time, column);
}

function visitItem(row: Row): Draft['items'][number] {
  return {
    kind: 'visit',
    id: str(row.id),
    at: iso(row.recorded_at as RawTime),
    day: str(row.visited_on),
    caseId: null,
    actorId: strOrNull(row.actor_id),
  };
}

const iso = (value: RawTime) => rawDate(value).toISOString();
const str = (value: unknown) => String(value);
const strOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));
