import { Injectable } from '@nestjs/common';
import { FINISHED_CASE_STATUSES, type CaseSource, type CountySettings, type PriorityGroup } from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { newId } from '../../common/ids';
import { bulkInsert } from '../../database/bulk-insert';
import { placeholders } from '../../database/sql';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { CaseEvent, CaseRouting, DropoutCase } from './case.entity';
import { CaseNumbers } from './case-numbers';
import { routedNotice } from './case-routed-notice';
import { CaseRoutingService, type RoutingDecision } from './case-routing.service';
import { CasesService } from './cases.service';

/** A child whose case a batch opens, routed by the caller (CaseRoutingService.decide). */
export interface CaseOpening {
  childId: string;
  /** The child's priority groups: a case of a child in one is listed first. */
  priorityGroups: readonly PriorityGroup[];
  decision: RoutingDecision;
  schoolId: string | null;
}

/** Children per IN list. */
const LOOKUP_CHUNK = 1000;

/** Cases numbered per UPDATE (two values a case in its CASE, one in its IN list). */
const NUMBER_CHUNK = 500;

/** The notices' recipients (per case, in order) and the names of the cases' places. */
interface Audience {
  recipients: string[][];
  places: Map<string, string>;
}

/**
 * Opens the cases of many children at once (a cross-check's findings), with the rows and guarantees
 * of `CasesService.open` one case at a time — the case with its open-case claim, its routing, its
 * 'opened' and 'routed' events, the notice to the officials of its township and village (inbox and
 * outbox) — written as a few multi-row INSERTs in the caller's transaction instead of a dozen
 * statements per case. The claim is the database's: a child who has an open case by the time the
 * INSERT runs (a tip committed meanwhile, another run) keeps it, and no second case is written.
 */
@Injectable()
export class CaseBatchOpening {
  constructor(
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsService,
    private readonly numbers: CaseNumbers,
  ) {}

  /**
   * The children someone already follows, as `CaseRecords.isFollowed` asks of one child: an open
   * case, or a case from `source` opened in the period; merged cases aside. One query per thousand.
   */
  async followed(manager: EntityManager, childIds: string[], source: CaseSource, openedFrom: Date, openedTo: Date): Promise<Set<string>> {
    const followed = new Set<string>();
    for (let i = 0; i < childIds.length; i += LOOKUP_CHUNK) {
      const rows = await manager
        .createQueryBuilder(DropoutCase, 'c')
        .select('c.child_id', 'childId')
        .where('c.child_id IN (:...ids) AND c.merged_into_id IS NULL', { ids: childIds.slice(i, i + LOOKUP_CHUNK) })
        .andWhere('(c.status NOT IN (:...finished) OR (c.source = :source AND c.opened_at >= :from AND c.opened_at <= :to))', {
          finished: FINISHED_CASE_STATUSES,
          source,
          from: openedFrom,
          to: openedTo,
        })
        .getRawMany<{ childId: string }>();
      for (const row of rows) followed.add(row.childId);
    }
    return followed;
  }

  /**
   * Opens a case for each child (one each: a child named twice is opened once) and returns the case
   * opened per child. A child missing from the answer already had an open case: the claim went to
   * that case, and nothing of this batch was written about the child.
   *
   * The county's case numbers come last, as in `CasesService.open`: the counter row stays locked from
   * the reservation until the caller's transaction ends, and every case the county opens meanwhile
   * (a supervisor's tip) waits for it. So the cases go in unnumbered (the claim decides which), with
   * their routings and events, the notices' recipients and places are read, and only then are the
   * numbers reserved and written, before the notices that name them.
   */
  async open(manager: EntityManager, openings: CaseOpening[], source: CaseSource): Promise<Map<string, string>> {
    const now = this.clock.now();
    const unique = [...new Map(openings.map((o) => [o.childId, o])).values()];
    const settings = new Map<string, CountySettings>();
    for (const county of new Set(unique.map((o) => o.decision.countyCode)))
      settings.set(county, await this.cases.settingsOf(county, manager));
    const records = unique.map((o) => this.cases.newCase({ ...o, tipCount: 0 }, source, now, settings.get(o.decision.countyCode)!));
    // the claim: a case whose child has an open one by now is skipped by the database, not by a look first
    await bulkInsert(manager, DropoutCase, records.map(unnumbered), 500, 'skip');
    const written = new Set<string>();
    for (let i = 0; i < records.length; i += LOOKUP_CHUNK) {
      const rows = await manager.find(DropoutCase, {
        where: { id: In(records.slice(i, i + LOOKUP_CHUNK).map((r) => r.id)) },
        select: { id: true },
      });
      for (const row of rows) written.add(row.id);
    }
    const opened = records.filter((r) => written.has(r.id));
    const decisionOf = new Map(unique.map((o) => [o.childId, o.decision]));
    const routings = opened.map((record) => this.cases.routingRows(record, decisionOf.get(record.childId)!, null, now));
    await bulkInsert(
      manager,
      CaseRouting,
      routings.map((r) => r.routing),
    );
    // 'opened' then 'routed', as one case's timeline starts
    await bulkInsert(
      manager,
      CaseEvent,
      opened.flatMap((record, i): CaseEvent[] => [
        { id: newId(), caseId: record.id, at: now, actorId: null, kind: 'opened', data: { source } },
        routings[i]!.routed,
      ]),
    );
    const audience = await this.audienceOf(manager, opened);
    // n numbers per county in one statement, only for the cases the claim let in: no gaps
    await this.numbers.assign(manager, opened);
    for (let i = 0; i < opened.length; i += NUMBER_CHUNK) await writeNumbers(manager, opened.slice(i, i + NUMBER_CHUNK));
    await this.announce(manager, opened, audience, settings, now);
    return new Map(opened.map((r) => [r.childId, r.id]));
  }

  /** Who is told of each case (its township and village, or in triage its county), and the places' names. */
  private async audienceOf(manager: EntityManager, records: DropoutCase[]): Promise<Audience> {
    const recipients = await this.routing.recipientsOfMany(
      manager,
      records.map((record) => ({ route: record, schoolId: record.schoolId })),
    );
    const places = await this.divisions.fullNames(
      [...new Set(records.flatMap((r) => ((r.villageCode ?? r.townshipCode) ? [(r.villageCode ?? r.townshipCode)!] : [])))],
      manager,
    );
    return { recipients, places };
  }

  /** Tells each case's township and village (or, in triage, its county) that it waits for them, as `CasesService` does one case. */
  private async announce(
    manager: EntityManager,
    records: DropoutCase[],
    { recipients, places }: Audience,
    settings: Map<string, CountySettings>,
    now: Date,
  ): Promise<void> {
    await this.notifications.notifyEach(
      manager,
      records.map((record, i) => {
        const placeCode = record.villageCode ?? record.townshipCode;
        return {
          userIds: recipients[i]!,
          notice: routedNotice(
            record,
            placeCode ? (places.get(placeCode) ?? '') : '',
            settings.get(record.countyCode)!.acknowledgeHours,
            now,
          ),
        };
      }),
    );
  }
}

/**
 * A case's row as the batch inserts it, before its number is reserved: the number NULL, which the
 * unique key on (number, county) lets the batch's rows share (the column is nullable; the entity's
 * type says a stored case always has one, which holds once the transaction commits).
 */
function unnumbered(record: DropoutCase): DropoutCase {
  return { ...record, caseNumber: null as unknown as string };
}

/** Writes the reserved numbers onto cases already inserted: one UPDATE for the chunk. */
async function writeNumbers(manager: EntityManager, records: DropoutCase[]): Promise<void> {
  if (!records.length) return;
  await manager.query(
    `UPDATE cases SET case_number = CASE id ${records.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${placeholders(records.length)})`,
    [...records.flatMap((r) => [r.id, r.caseNumber]), ...records.map((r) => r.id)],
  );
}
