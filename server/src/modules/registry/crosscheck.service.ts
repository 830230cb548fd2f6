import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  compulsoryBirthDates,
  endOfChinaDay,
  maskedOrNull,
  maskStudentNumber,
  schoolYearRange,
  startOfChinaDay,
  type CrosscheckRunView,
  type PovertyCategory,
  type PriorityGroup,
} from '@baoxue/shared';
import type { Logger } from 'pino';
import { In, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { assertCountyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey, isRetryableConflict } from '../../common/errors/database-errors';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { Job } from '../../common/jobs/job.entity';
import { JobRunner, type JobContext } from '../../common/jobs/job-runner';
import { LOGGER } from '../../common/logging/logger';
import { bulkInsert } from '../../database/bulk-insert';
import { selectRows } from '../../database/sql';
import { snapshotTransaction, transactionWithRetry } from '../../database/transaction';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { CaseBatchOpening, type CaseOpening } from '../cases/case-batch-opening';
import { CaseRoutingService, type RoutingDecision } from '../cases/case-routing.service';
import type { ChildReport } from '../children/child-matching';
import { ChildRecords, type ChildRow } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { AbsenceMonitorService } from './absence-monitor.service';
import { nameDistance, nearDates } from './name-similarity';
import { CrosscheckReview, CrosscheckRun, HouseholdMember, PovertyRegistration } from './registry.entities';

const BATCH = 2000;
/** ID numbers of the household list (and the pupils' in the same range) compared per page. */
const MERGE_PAGE = 40_000;
/** Household children looked up per query for pupils like them (one index lookup each). */
const LOOKUPS_PER_QUERY = 200;
/** Cases opened per transaction (multi-row INSERTs: CaseBatchOpening). */
const CASES_PER_TRANSACTION = 500;
const CROSSCHECK_JOB = 'crosscheck';
/** A run that lost its holder is failed with this, never run again: what it did stands, the county starts anew. */
const INTERRUPTED = '比对中断（处理它的服务器停止运行），请重新比对';
const SYSTEM_ERROR = '比对时出现系统错误，请稍后重试';
/** Starts of one cross-check tried after losing a race the database decided (a deadlock), before the 409/500. */
const START_ATTEMPTS = 3;

/** The priority group each poor-household category flags on a child. */
const PRIORITY_OF: Record<PovertyCategory, PriorityGroup> = {
  registered_poor: 'registered_poor',
  monitored: 'monitored',
  subsistence: 'subsistence',
  extreme_poverty: 'in_difficulty',
  orphan: 'orphan',
  disabled: 'disabled',
};

type Counts = CrosscheckRunView['counts'];

/** What became of a household child on no roster: a case opened, one that already follows the child, or a pupil after all. */
type Outcome = 'opened' | 'followed' | 'enrolled';

/** Pupils who may be some household children, keyed for the matching rules. */
interface RosterIndex {
  /** `nameKey|birthDate|village`: the same child under another (or no) ID number. */
  byIdentity: Set<string>;
  /** `birthDate|village` → pupils, for names typed differently. */
  byBirthVillage: Map<string, Array<{ id: string; nameKey: string }>>;
  /** `nameKey|village` → pupils, for birth dates typed differently. */
  byNameVillage: Map<string, Array<{ id: string; birthDate: string }>>;
}

/**
 * Whether an ID number of the household page is on the roster page, asked in ascending order: a
 * merge of the two lists, each read once, when both came in the order JavaScript compares them (the
 * indexes' order, for ID numbers); a set otherwise.
 */
function rosterLookup(household: string[], rostered: string[]): (idNumber: string) => boolean {
  const ascending = (ids: string[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);
  if (!ascending(household) || !ascending(rostered)) {
    const set = new Set(rostered);
    return (idNumber) => set.has(idNumber);
  }
  let next = 0;
  return (idNumber) => {
    while (next < rostered.length && rostered[next]! < idNumber) next++;
    return rostered[next] === idNumber;
  };
}

/**
 * 四查三比对 (BRIEF §5): household registration against the roster finds children of school age who
 * are not enrolled (失学); the roster against attendance finds pupils who stopped coming (辍学);
 * both against the poor-household list flag priority children. Matching is by ID number first,
 * then by name, birth date and village; pairs that are nearly alike go to a review list. Every
 * child found out of school becomes a case routed like a tip — never twice.
 */
@Injectable()
export class CrosscheckService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly openings: CaseBatchOpening,
    private readonly routing: CaseRoutingService,
    private readonly absences: AbsenceMonitorService,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
    private readonly registry: ChildRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly children: ChildRecords,
    private readonly schools: SchoolRecords,
    private readonly users: UserRecords,
    private readonly jobs: JobRunner,
  ) {
    // one attempt: a run opens cases and adds reviews as it goes, so one whose holder stops is failed, not run twice
    jobs.define<null>(CROSSCHECK_JOB, {
      maxAttempts: 1,
      run: (job) => this.run(job),
      givenUp: async (job) => void (await this.fail(job.runKey, INTERRUPTED)),
    });
  }

  /**
   * Records the run and queues its job in one transaction, then starts the job here. The run holds
   * its county (`running_county`, unique) until it finishes: of two starts at once, the second is
   * refused by the database with CROSSCHECK_RUNNING, whichever instance each reached.
   */
  async start(caller: Caller, schoolYear: number): Promise<CrosscheckRunView> {
    const countyCode = requireCountyAccess(caller, 'run_crosscheck');
    const run: CrosscheckRun = {
      id: newId(),
      countyCode,
      schoolYear,
      status: 'running',
      runningCounty: countyCode,
      counts: {},
      error: null,
      startedBy: caller.userId,
      startedAt: this.clock.now(),
      finishedAt: null,
    };
    const jobId = await this.claimCounty(run, async (manager) => {
      await manager.insert(CrosscheckRun, run);
      await this.audit.record(
        caller,
        { action: 'crosscheck.run', targetType: 'crosscheck_run', targetId: run.id, details: { schoolYear } },
        manager,
      );
      return this.jobs.enqueue(manager, CROSSCHECK_JOB, run.id);
    });
    this.jobs.start(jobId);
    return this.view(caller, run.id);
  }

  /** Resolves when the run has finished, whichever instance runs it (tests, the bench; the app polls). */
  async settled(id: string): Promise<void> {
    const job = await this.dataSource.manager.findOne(Job, { where: { kind: CROSSCHECK_JOB, runKey: id }, select: { id: true } });
    if (job) await this.jobs.settled(job.id);
  }

  /**
   * Runs `insert` in a transaction; the county's running run makes it a 409. A run still holding the
   * county whose job has ended (its outcome could not be recorded: the database was away when the job
   * gave up) is failed here and the start tried again, so no county stays blocked.
   */
  private async claimCounty(run: CrosscheckRun, insert: (manager: EntityManager) => Promise<string>): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await snapshotTransaction(this.dataSource, insert);
      } catch (error) {
        if (attempt >= START_ATTEMPTS) throw isDuplicateKey(error) ? new AppError('CROSSCHECK_RUNNING') : error;
        if (isDuplicateKey(error)) {
          if (!(await this.releaseEnded(run.countyCode))) throw new AppError('CROSSCHECK_RUNNING');
        } else if (!isRetryableConflict(error)) throw error;
      }
    }
  }

  /** Fails the county's running run when its job is no longer queued or running; true when it did. */
  private async releaseEnded(countyCode: string): Promise<boolean> {
    const holding = await this.dataSource.manager.findOneBy(CrosscheckRun, { runningCounty: countyCode });
    if (!holding) return true; // it finished meanwhile
    const job = await this.dataSource.manager.findOneBy(Job, { kind: CROSSCHECK_JOB, runKey: holding.id });
    if (job && (job.status === 'queued' || job.status === 'running')) return false;
    this.logger.warn({ run: holding.id, job: job?.id }, 'a cross-check outlived its job: failed');
    return this.fail(holding.id, INTERRUPTED);
  }

  /**
   * The run's job: the cross-check, then its outcome with the county released in the same update. A
   * holder that loses the job or stops midway fails the run itself (what it did stands), so it is never
   * handed on and run twice; a run no longer running (failed meanwhile) is left alone.
   */
  private async run({ runKey: id, signal }: JobContext<null>): Promise<void> {
    const run = await this.dataSource.manager.findOneBy(CrosscheckRun, { id });
    if (run?.status !== 'running') return;
    let counts: Counts;
    try {
      counts = await this.execute(run, signal);
    } catch (error) {
      if (signal.aborted) {
        this.logger.warn({ run: id }, 'cross-check interrupted');
        await this.fail(id, INTERRUPTED);
      } else {
        this.logger.error({ err: error, run: id }, 'cross-check failed');
        await this.fail(id, SYSTEM_ERROR);
      }
      return;
    }
    await this.dataSource.manager.update(
      CrosscheckRun,
      { id, status: 'running' },
      { status: 'completed', counts, runningCounty: null, finishedAt: this.clock.now() },
    );
  }

  /** Fails a running run with a reason the official reads, releasing its county; false when it was no longer running. */
  private async fail(id: string, reason: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(
      CrosscheckRun,
      { id, status: 'running' },
      { status: 'failed', error: reason, runningCounty: null, finishedAt: this.clock.now() },
    );
    return result.affected === 1;
  }

  async view(caller: Caller, id: string): Promise<CrosscheckRunView> {
    const run = await this.dataSource.manager.findOneBy(CrosscheckRun, { id });
    if (!run) throw AppError.notFound();
    assertCountyScope(caller, run.countyCode);
    requireRecordAccess(caller, 'run_crosscheck', { countyCode: run.countyCode });
    return (await this.runViews([run]))[0]!;
  }

  async list(caller: Caller): Promise<{ items: CrosscheckRunView[] }> {
    const countyCode = requireCountyAccess(caller, 'run_crosscheck');
    const runs = await this.dataSource.manager.find(CrosscheckRun, { where: { countyCode }, order: { startedAt: 'DESC' }, take: 50 });
    return { items: await this.runViews(runs) };
  }

  async reviews(caller: Caller, query: { status: 'pending' | 'same' | 'different'; cursor?: string; limit: number }) {
    const countyCode = requireCountyAccess(caller, 'run_crosscheck');
    const qb = this.dataSource.manager
      .createQueryBuilder(CrosscheckReview, 'r')
      .where('r.county_code = :countyCode AND r.status = :status', { countyCode, status: query.status })
      .orderBy('r.id', 'ASC')
      .limit(query.limit + 1);
    if (query.cursor) qb.andWhere('r.id > :id', { id: decodeCursor(query.cursor, ['string'])[0] });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.reviewViews(page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** An official decides: the same person (nothing to do) or not (the household child is out of school). */
  async decide(caller: Caller, id: string, decision: 'same' | 'different') {
    const review = await this.dataSource.manager.findOneBy(CrosscheckReview, { id });
    if (!review) throw AppError.notFound();
    assertCountyScope(caller, review.countyCode);
    requireRecordAccess(caller, 'run_crosscheck', { countyCode: review.countyCode });
    if (review.status !== 'pending') throw new AppError('CROSSCHECK_REVIEW_DECIDED');
    await snapshotTransaction(this.dataSource, async (manager) => {
      const claimed = await manager.update(
        CrosscheckReview,
        { id, status: 'pending' },
        { status: decision, decidedBy: caller.userId, decidedAt: this.clock.now() },
      );
      if (claimed.affected !== 1) throw new AppError('CROSSCHECK_REVIEW_DECIDED');
      await this.audit.record(
        caller,
        { action: 'crosscheck.review', targetType: 'crosscheck_review', targetId: id, details: { decision } },
        manager,
      );
    });
    if (decision === 'different') {
      const member = await this.dataSource.manager.findOneByOrFail(HouseholdMember, { id: review.householdMemberId });
      const run = await this.dataSource.manager.findOneByOrFail(CrosscheckRun, { id: review.runId });
      await transactionWithRetry(this.dataSource, (manager) => this.openNotEnrolled(manager, [member], run.schoolYear, new Map()));
    }
    return (await this.reviewViews([await this.dataSource.manager.findOneByOrFail(CrosscheckReview, { id })]))[0]!;
  }

  private async execute(run: CrosscheckRun, signal: AbortSignal): Promise<Counts> {
    const counts: Counts = {
      householdChecked: 0,
      matchedById: 0,
      matchedByName: 0,
      review: 0,
      notEnrolled: 0,
      alreadyFollowed: 0,
      absent: 0,
      priorityFlagged: 0,
    };
    // where the time goes, in the log: the poor-household flags; matching (the merge by ID number,
    // then by name) and opening cases, which overlap; the absence rules
    const stages = { flagMs: 0, matchMs: 0, openMs: 0, absenceMs: 0, totalMs: 0, serverCpuMs: 0 };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const timed = async <T>(stage: keyof typeof stages, work: Promise<T>): Promise<T> => {
      const from = performance.now();
      try {
        return await work;
      } finally {
        stages[stage] += Math.round(performance.now() - from);
      }
    };
    counts.priorityFlagged = await timed('flagMs', this.flagPriorities(run.countyCode, signal));
    const ages = compulsoryBirthDates(run.schoolYear);
    const decided = await this.decidedPairs(run.countyCode);
    const decisions = new Map<string, RoutingDecision>();
    let unmatched = 0;
    const settle = async (idNumbers: string[]) => {
      signal.throwIfAborted();
      const notEnrolled = await timed(
        'matchMs',
        (async () => {
          const members = await this.householdMembers(run.countyCode, idNumbers);
          unmatched += members.length;
          return this.matchByName(run, members, decided, counts);
        })(),
      );
      if (notEnrolled.length === 0) return;
      // one transaction per batch: all of it or none, a few commits for a county; a batch that lost a
      // race the database decided (a deadlock, an ID number a tip's child took first) runs again and
      // finds the winner's rows
      const outcomes = await timed(
        'openMs',
        transactionWithRetry(this.dataSource, (manager) => this.openNotEnrolled(manager, notEnrolled, run.schoolYear, decisions)),
      );
      for (const outcome of outcomes) {
        if (outcome === 'opened') counts.notEnrolled++;
        else if (outcome === 'followed') counts.alreadyFollowed++;
        else counts.matchedByName++;
      }
    };
    // household children on no roster by ID number, in batches of cases opened one after another
    // while the merge reads on
    let opening: Promise<void> = Promise.resolve();
    const pending: string[] = [];
    const open = (batch: string[]) => {
      opening = opening.then(() => settle(batch));
      // awaited below; a failure must not go unheard meanwhile
      opening.catch(() => undefined);
    };
    let checked = 0;
    try {
      const pages = this.notOnRosterById(run.countyCode, ages, signal);
      for (let page = await timed('matchMs', pages.next()); !page.done; page = await timed('matchMs', pages.next())) {
        checked += page.value.checked;
        pending.push(...page.value.notOnRoster);
        while (pending.length >= CASES_PER_TRANSACTION) open(pending.splice(0, CASES_PER_TRANSACTION));
      }
      if (pending.length) open(pending.splice(0));
    } finally {
      // a run that stops midway lets the batch in hand finish (or fail) first
      await opening.catch(() => undefined);
    }
    await opening;
    counts.householdChecked = checked;
    counts.matchedById = checked - unmatched;
    signal.throwIfAborted();
    const absence = await timed('absenceMs', this.absences.run(run.countyCode));
    counts.absent = absence.opened;
    counts.alreadyFollowed += absence.alreadyFollowed;
    stages.totalMs = Math.round(performance.now() - started);
    // this process's CPU meanwhile (the run's, and whatever else it served): the rest was the database's
    const used = process.cpuUsage(cpu);
    stages.serverCpuMs = Math.round((used.user + used.system) / 1000);
    this.logger.info({ run: run.id, counts, ...stages }, 'cross-check finished');
    return counts;
  }

  /**
   * The county's household children of school age, page by page: how many, and the ID numbers of
   * those on no roster. A merge join of two index-ordered streams: a page of the household list's ID
   * numbers (uq_household_members_id, in order), then the pupils' ID numbers in the same range
   * (idx_children_id_roster), each read from its index alone — one step of an index scan per ID
   * number, where an anti-join in the database pays an index lookup each. The next page is read
   * while this one is compared. The birth date comes from the ID number itself, as the household
   * import took it from there (an 18-digit ID number is required).
   */
  private async *notOnRosterById(
    countyCode: string,
    ages: { after: string; through: string },
    signal: AbortSignal,
  ): AsyncGenerator<{ checked: number; notOnRoster: string[] }> {
    const manager = this.dataSource.manager;
    const [after, through] = [ages.after, ages.through].map((date) => date.replaceAll('-', ''));
    const householdPage = (cursor: string) => {
      const page = selectRows<{ id_number: string }>(
        manager,
        `SELECT id_number FROM household_members WHERE county_code = ? AND id_number > ? ORDER BY id_number LIMIT ${MERGE_PAGE}`,
        [countyCode, cursor],
      ).then((rows) => rows.map((row) => row.id_number));
      // read ahead: if the run stops first, nobody waits for this page
      page.catch(() => undefined);
      return page;
    };
    for (let next: Promise<string[]> | null = householdPage(''); next;) {
      const household: string[] = await next;
      signal.throwIfAborted();
      if (household.length === 0) return;
      const [first, last] = [household[0]!, household[household.length - 1]!];
      next = household.length === MERGE_PAGE ? householdPage(last) : null;
      const rostered = await this.children.rosteredIdNumbers(manager, countyCode, first, last);
      const onRoster = rosterLookup(household, rostered);
      let checked = 0;
      const notOnRoster: string[] = [];
      for (const idNumber of household) {
        const born = idNumber.slice(6, 14);
        if (born <= after || born > through) continue;
        checked++;
        if (!onRoster(idNumber)) notOnRoster.push(idNumber);
      }
      yield { checked, notOnRoster };
    }
  }

  /** The county's household children with these ID numbers, in the order given. */
  private async householdMembers(countyCode: string, idNumbers: string[]): Promise<HouseholdMember[]> {
    const rows = await this.dataSource.manager.findBy(HouseholdMember, { countyCode, idNumber: In(idNumbers) });
    const byId = new Map(rows.map((row) => [row.idNumber, row]));
    return idNumbers.flatMap((idNumber) => byId.get(idNumber) ?? []);
  }

  /**
   * Household children on no roster by ID number who are pupils all the same — the same name, birth
   * date and village, or nearly (a review for an official, unless one decided the pair already) —
   * are counted (and their reviews added); the others, not enrolled, are returned.
   */
  private async matchByName(
    run: CrosscheckRun,
    members: HouseholdMember[],
    decided: Map<string, 'same' | 'different' | 'pending'>,
    counts: Counts,
  ): Promise<HouseholdMember[]> {
    const pupils = await this.pupilsLike(run.countyCode, members);
    const notEnrolled: HouseholdMember[] = [];
    const reviews: CrosscheckReview[] = [];
    for (const member of members) {
      if (pupils.byIdentity.has(`${member.nameKey}|${member.birthDate}|${member.villageCode}`)) {
        counts.matchedByName++;
        continue;
      }
      const candidates = this.nearMatches(member, pupils);
      if (candidates.some((c) => decided.get(`${member.id}|${c.childId}`) === 'same')) {
        counts.matchedByName++;
        continue;
      }
      const open = candidates.filter((c) => decided.get(`${member.id}|${c.childId}`) !== 'different');
      if (open.length) {
        for (const candidate of open)
          reviews.push({
            id: newId(),
            countyCode: run.countyCode,
            runId: run.id,
            householdMemberId: member.id,
            childId: candidate.childId,
            reason: candidate.reason,
            status: 'pending',
            decidedBy: null,
            decidedAt: null,
          });
        counts.review++;
        continue;
      }
      notEnrolled.push(member);
    }
    // a pair already on the list (from an earlier run) stays as it is
    await bulkInsert(this.dataSource.manager, CrosscheckReview, reviews, 500, 'skip');
    return notEnrolled;
  }

  /**
   * The county's pupils who could be one of these household children under another ID number (or
   * none): the same village and birth date, or the same village and name. Read through indexes for
   * one batch at a time, so a county of a million pupils is never held in memory.
   */
  private async pupilsLike(countyCode: string, members: HouseholdMember[]): Promise<RosterIndex> {
    const found = new Map<string, Pick<ChildRow, 'id' | 'nameKey' | 'birthDate' | 'villageCode'>>();
    // one index per query (village and birth date; name and village); county and roster are checked here
    const lookups: Array<{ columns: 'villageAndBirthDate' | 'nameKeyAndVillage'; of: (m: HouseholdMember) => [string, string] }> = [
      { columns: 'villageAndBirthDate', of: (m) => [m.villageCode, m.birthDate] },
      { columns: 'nameKeyAndVillage', of: (m) => [m.nameKey, m.villageCode] },
    ];
    for (let i = 0; i < members.length; i += LOOKUPS_PER_QUERY) {
      const chunk = members.slice(i, i + LOOKUPS_PER_QUERY);
      for (const { columns, of } of lookups) {
        const pairs = new Map(chunk.map((m) => [JSON.stringify(of(m)), of(m)]));
        const pupils = await this.children.findByPairs(this.dataSource.manager, columns, [...pairs.values()]);
        for (const p of pupils) if (p.countyCode === countyCode && p.studentNumber && p.birthDate) found.set(p.id, p);
      }
    }
    const index: RosterIndex = { byIdentity: new Set(), byBirthVillage: new Map(), byNameVillage: new Map() };
    const add = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
    for (const p of found.values()) {
      index.byIdentity.add(`${p.nameKey}|${p.birthDate}|${p.villageCode}`);
      add(index.byBirthVillage, `${p.birthDate}|${p.villageCode}`, { id: p.id, nameKey: p.nameKey });
      add(index.byNameVillage, `${p.nameKey}|${p.villageCode}`, { id: p.id, birthDate: p.birthDate! });
    }
    return index;
  }

  /** Pupils who may be this household child under a mistyped name or birth date. */
  private nearMatches(member: HouseholdMember, roster: RosterIndex): Array<{ childId: string; reason: string }> {
    const found = new Map<string, string>();
    for (const pupil of roster.byBirthVillage.get(`${member.birthDate}|${member.villageCode}`) ?? []) {
      if (nameDistance(member.nameKey, pupil.nameKey, 1) <= 1) found.set(pupil.id, '出生日期和村相同，姓名相差一个字');
    }
    for (const pupil of roster.byNameVillage.get(`${member.nameKey}|${member.villageCode}`) ?? []) {
      if (nearDates(member.birthDate, pupil.birthDate)) found.set(pupil.id, '姓名和村相同，出生日期相近');
    }
    return [...found].map(([childId, reason]) => ({ childId, reason }));
  }

  /**
   * Household children of school age on no roster, in one transaction: a case each, routed to the
   * township of the household's village (`CaseBatchOpening`: the rows of a tip's case, a few
   * statements for the batch) — unless the child is a pupil after all (on a roster under an ID
   * number the matching could not see), already has an open case, or had one from a cross-check of
   * the same school year. The children's records come from the registry (claims taken first, so a
   * tip about one of them at the same time finds the same record); an open case is the database's
   * to arbitrate (one per child, a unique key), so a tip that opened one meanwhile wins and the
   * child counts as followed. `decisions`: the routing of each village, for the run.
   */
  private async openNotEnrolled(
    manager: EntityManager,
    members: HouseholdMember[],
    schoolYear: number,
    decisions: Map<string, RoutingDecision>,
  ): Promise<Outcome[]> {
    const reports = members.map((member): ChildReport => ({
      name: member.name,
      sex: member.sex,
      idNumber: member.idNumber,
      studentNumber: null,
      birthDate: member.birthDate,
      birthYear: Number(member.birthDate.slice(0, 4)),
      birthYearExact: true,
      villageCode: member.villageCode,
      schoolId: null,
      grade: null,
      countyCode: member.countyCode,
    }));
    // the household child may be known already (from a tip, a notice): the registry finds it
    await this.registry.claimNames(manager, reports);
    const resolved = await this.registry.resolveMany(manager, reports, 'household');
    const children = resolved.map((r, i) => {
      // only a roster's rows can be refused (two records, two 学籍号s); a household row never is
      if (!r.child) throw new Error(`household row ${members[i]!.id} not resolved: ${r.conflict}`);
      return { child: r.child, created: r.created };
    });
    const countyCode = members[0]!.countyCode;
    const groups = await this.prioritiesOf(
      manager,
      countyCode,
      children.map(({ child }) => child.idNumber),
    );
    for (const child of new Set(children.map((c) => c.child))) {
      const more = (child.idNumber && groups.get(child.idNumber)) || [];
      if (!more.some((g) => !child.priorityGroups.includes(g))) continue;
      child.priorityGroups = [...new Set([...child.priorityGroups, ...more])];
      await this.registry.setPriorityGroups(manager, child.id, child.priorityGroups);
    }
    const { from, to } = schoolYearRange(schoolYear);
    const followed = await this.openings.followed(
      manager,
      children.filter((c) => !c.created).map((c) => c.child.id),
      'cross_check',
      startOfChinaDay(from),
      endOfChinaDay(to),
    );
    const unrouted = [...new Set(members.map((m) => m.villageCode))].filter((village) => !decisions.has(village));
    if (unrouted.length) {
      // the county is asked once, not once a village
      const served = (await this.divisions.isServedCounty(countyCode, manager)) ? countyCode : null;
      for (const village of unrouted) decisions.set(village, await this.routing.decide(manager, village, countyCode, served));
    }
    const openings: CaseOpening[] = [];
    for (const [i, { child }] of children.entries()) {
      // a pupil on a roster under no ID number the matching above could see is enrolled after all
      if ((child.studentNumber && child.schoolId) || followed.has(child.id)) continue;
      openings.push({
        childId: child.id,
        priorityGroups: child.priorityGroups,
        decision: decisions.get(members[i]!.villageCode)!,
        schoolId: null,
      });
    }
    const opened = await this.openings.open(manager, openings, 'cross_check');
    // two household rows of one child: the first opened its case, the second finds it followed
    const counted = new Set<string>();
    return children.map(({ child }): Outcome => {
      if (child.studentNumber && child.schoolId) return 'enrolled';
      if (!opened.has(child.id) || counted.has(child.id)) return 'followed';
      counted.add(child.id);
      return 'opened';
    });
  }

  /** Flags children on the poor-household list; returns how many gained a flag. */
  private async flagPriorities(countyCode: string, signal: AbortSignal): Promise<number> {
    let flagged = 0;
    let cursor = '';
    for (;;) {
      signal.throwIfAborted();
      const registrations = await this.dataSource.manager.find(PovertyRegistration, {
        where: { countyCode, id: MoreThan(cursor) },
        order: { id: 'ASC' },
        take: BATCH,
      });
      if (registrations.length === 0) return flagged;
      cursor = registrations[registrations.length - 1]!.id;
      const groups = new Map<string, Set<PriorityGroup>>();
      for (const r of registrations) groups.set(r.idNumber, (groups.get(r.idNumber) ?? new Set()).add(PRIORITY_OF[r.category]));
      const children = await this.children.findByIdentifiers(this.dataSource.manager, 'idNumber', [...groups.keys()]);
      // through the registry, so the child's cases move up the inbox with the flag
      flagged += await snapshotTransaction(this.dataSource, async (manager) => {
        let changed = 0;
        for (const child of children) {
          const merged = [...new Set([...child.priorityGroups, ...groups.get(child.idNumber!)!])];
          if (merged.length === child.priorityGroups.length) continue;
          await this.registry.setPriorityGroups(manager, child.id, merged);
          changed++;
        }
        return changed;
      });
    }
  }

  /** The priority groups the poor-household list gives each of these ID numbers (those it lists). */
  private async prioritiesOf(
    manager: EntityManager,
    countyCode: string,
    idNumbers: Array<string | null>,
  ): Promise<Map<string, PriorityGroup[]>> {
    const wanted = [...new Set(idNumbers.filter((n): n is string => !!n))];
    const groups = new Map<string, PriorityGroup[]>();
    for (let i = 0; i < wanted.length; i += BATCH) {
      const registrations = await manager.findBy(PovertyRegistration, { countyCode, idNumber: In(wanted.slice(i, i + BATCH)) });
      for (const r of registrations) groups.set(r.idNumber, [...new Set([...(groups.get(r.idNumber) ?? []), PRIORITY_OF[r.category]])]);
    }
    return groups;
  }

  private async decidedPairs(countyCode: string): Promise<Map<string, 'same' | 'different' | 'pending'>> {
    const reviews = await this.dataSource.manager.find(CrosscheckReview, {
      where: { countyCode },
      select: { householdMemberId: true, childId: true, status: true },
    });
    return new Map(reviews.map((r) => [`${r.householdMemberId}|${r.childId}`, r.status]));
  }

  private async runViews(runs: CrosscheckRun[]): Promise<CrosscheckRunView[]> {
    const names = await this.users.displayNames(
      this.dataSource.manager,
      runs.map((r) => r.startedBy),
    );
    const zero = {
      householdChecked: 0,
      matchedById: 0,
      matchedByName: 0,
      review: 0,
      notEnrolled: 0,
      alreadyFollowed: 0,
      absent: 0,
      priorityFlagged: 0,
    };
    return runs.map((r) => ({
      id: r.id,
      status: r.status,
      schoolYear: r.schoolYear,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      startedByName: names.get(r.startedBy) ?? null,
      counts: { ...zero, ...r.counts },
      error: r.error,
    }));
  }

  private async reviewViews(reviews: CrosscheckReview[]) {
    if (reviews.length === 0) return [];
    const manager = this.dataSource.manager;
    const [members, pupils, userNames] = await Promise.all([
      manager.findBy(HouseholdMember, { id: In(reviews.map((r) => r.householdMemberId)) }),
      this.children.findByIds(
        manager,
        reviews.map((r) => r.childId),
      ),
      this.users.displayNames(
        manager,
        reviews.flatMap((r) => (r.decidedBy ? [r.decidedBy] : [])),
      ),
    ]);
    const memberById = new Map(members.map((m) => [m.id, m]));
    const pupilById = new Map(pupils.map((p) => [p.id, p]));
    const villages = await this.divisions.names([
      ...members.map((m) => m.villageCode),
      ...pupils.flatMap((p) => (p.villageCode ? [p.villageCode] : [])),
    ]);
    const schoolNames = await this.schools.schoolNames(
      manager,
      pupils.flatMap((p) => (p.schoolId ? [p.schoolId] : [])),
    );
    return reviews.map((r) => {
      const member = memberById.get(r.householdMemberId)!;
      const pupil = pupilById.get(r.childId)!;
      return {
        id: r.id,
        runId: r.runId,
        status: r.status,
        reason: r.reason,
        household: {
          name: member.name,
          birthDate: member.birthDate,
          villageName: villages.get(member.villageCode) ?? null,
          idNumberMasked: maskedOrNull(member.idNumber),
        },
        pupil: {
          name: pupil.name,
          birthDate: pupil.birthDate,
          villageName: pupil.villageCode ? (villages.get(pupil.villageCode) ?? null) : null,
          schoolName: pupil.schoolId ? (schoolNames.get(pupil.schoolId) ?? null) : null,
          grade: pupil.grade,
          studentNumberMasked: pupil.studentNumber ? maskStudentNumber(pupil.studentNumber) : null,
        },
        decidedByName: r.decidedBy ? (userNames.get(r.decidedBy) ?? null) : null,
      };
    });
  }
}
