import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { PSEUDONYMISED_TEXT, type PriorityGroup } from '@baoxue/shared';
import { Clock } from '../../common/clock';
import { insertRows, selectRows, write } from '../../database/sql';
import { newId, newReadableCode } from '../../common/ids';
import { SchoolRecords } from '../schools/school-records';
import {
  CHILDREN_PER_INSERT,
  childrenByIdentifiers,
  childrenByIds,
  insertChildren,
  insertChunks,
  updateChild,
  updateChildren,
} from './child-batch-sql';
import { Child } from './child.entity';
import {
  countyOfReport,
  matchByName,
  nameKeyOf,
  type ChildReport,
  type KnownChild,
  type MatchOutcome,
  type MatchRule,
} from './child-matching';
import { ChildRecordMoves } from './child-record-moves';
import { ChildMatchReview, type ChildMatchReason } from './child-registry.entities';
import { isMysql } from '../../database/dialect';

/** Where a report about a child came from (BRIEF §3a lists them). */
export type ChildSource =
  'tip' | 'roster' | 'household' | 'absence' | 'poverty' | 'school' | 'binding' | 'cross_check' | 'split' | 'repair';

export interface Resolution {
  child: Child;
  created: boolean;
  /** The rule that found a known child; null for a new record. */
  rule: MatchRule | null;
}

/** A report of a batch; a roster row also tells the pupil's class and whether a boarder. */
export interface BatchReport extends ChildReport {
  className?: string | null;
  boarding?: boolean | null;
}

/**
 * What became of one report of a batch. A roster row is not resolved when its 学籍号 and its ID
 * number name two different records (`two_records`), or when another row of the batch gave the
 * same child another 学籍号 (`batch_rows`): the caller reports the row.
 */
export type BatchResolution =
  | (Resolution & { conflict: null; changed: boolean })
  | { child: null; created: false; rule: null; changed: false; conflict: 'two_records' | 'batch_rows' };

/**
 * The live records without a 学籍号 of one county, by name: all that a roster row can land on
 * besides its own pupil (a child of a tip, of the household list). An import reads them once
 * (`ChildRegistry.unrostered`) and gives them to each of its batches instead of looking names up
 * batch by batch; what a batch changes on them stays current here.
 */
export interface UnrosteredChildren {
  byName: Map<string, Child[]>;
  byId: Map<string, Child>;
  /**
   * Whether the next batch's identifiers are presumed new: the last batch found none of its own
   * (a county's first roster). Its reports that can only become new records are then inserted
   * without reading their identifiers first (`resolveMany`).
   */
  presumeNew: boolean;
}

/** Identifiers looked up per query (an IN list). */
const LOOKUP_CHUNK = 1000;
/** Names looked up per query: each a range or two of the name index (few enough for MySQL's index dives). */
const NAME_TERMS_PER_QUERY = 150;

/** A known record of the report's name lives in its township or went to its school (`namedNear`'s places). */
function isNear(report: ChildReport, known: Child): boolean {
  const township = report.villageCode?.slice(0, 9);
  return (
    !known.mergedIntoId &&
    ((!!township && !!known.villageCode?.startsWith(township)) || (!!report.schoolId && known.schoolId === report.schoolId))
  );
}

function rejected(conflict: 'two_records' | 'batch_rows'): BatchResolution {
  return { child: null, created: false, rule: null, changed: false, conflict };
}

/**
 * The child registry (BRIEF §3a): the only code that finds or creates a child. Every source — tips,
 * rosters, household lists, absences, the poverty list, the cross-check, a school's report, a
 * parent's binding, a split — resolves what it knows through `resolve`, in the brief's order: the
 * same ID number or 学籍号; the same normalised name, birth date and village or school; the same
 * name, birth year (±1 when estimated) and village; otherwise a new child. Uniqueness is the
 * database's: one child per ID number and per 学籍号 (unique keys), and a claim row per name and
 * place that makes parallel reports matched by name take turns. Run it inside a READ COMMITTED
 * transaction (MySQL) through `transactionWithRetry`, so a loser of a unique-key race runs again and
 * finds the winner's child.
 */
@Injectable()
export class ChildRegistry {
  constructor(
    private readonly clock: Clock,
    private readonly schools: SchoolRecords,
    private readonly moves: ChildRecordMoves,
  ) {}

  async resolve(manager: EntityManager, report: ChildReport, source: ChildSource): Promise<Resolution> {
    let conflicting: Child | null = null;
    for (const [column, value] of [
      ['studentNumber', report.studentNumber],
      ['idNumber', report.idNumber],
    ] as const) {
      if (!value) continue;
      const known = await this.live(manager, await manager.findOneBy(Child, { [column]: value }));
      if (!known) continue;
      // A tip naming a known identifier under another name is not merged silently: a record of its
      // own, in review. The registries themselves are authoritative for their identifiers.
      if (known.nameKey === nameKeyOf(report.name) || source !== 'tip') {
        const holders = await this.complete(manager, known, report);
        await this.addReviews(
          manager,
          known,
          holders.map((candidate) => ({ candidate, reason: 'identity_conflict' as const })),
          source,
        );
        return { child: known, created: false, rule: column === 'idNumber' ? 'id_number' : 'student_number' };
      }
      conflicting = known;
      break;
    }
    const place = report.villageCode ? `village:${report.villageCode}` : report.schoolId ? `school:${report.schoolId}` : null;
    const nameKey = nameKeyOf(report.name);
    if (place) await this.claim(manager, nameKey, place);
    const outcome = matchByName(
      conflicting ? { ...report, idNumber: null, studentNumber: null } : report,
      place ? await this.namedNear(manager, nameKey, report) : [],
    );
    if (outcome.match && !conflicting) {
      const known = await manager.findOneByOrFail(Child, { id: outcome.match.id });
      await this.complete(manager, known, report);
      return { child: known, created: false, rule: outcome.rule };
    }
    const child = await this.create(manager, conflicting ? { ...report, idNumber: null, studentNumber: null } : report);
    const reviews: Array<{ candidate: KnownChild | Child; reason: ChildMatchReason }> = outcome.reviews;
    if (conflicting) reviews.unshift({ candidate: conflicting, reason: 'identity_conflict' });
    await this.addReviews(manager, child, reviews, source);
    return { child, created: true, rule: null };
  }

  /**
   * A new record for a report an official has said is another child (a tip split off a case): its
   * identifiers are kept only where no other record holds them.
   */
  async createSeparate(manager: EntityManager, report: ChildReport): Promise<Child> {
    const taken = async (column: 'idNumber' | 'studentNumber', value: string | null) =>
      !!value && (await manager.existsBy(Child, { [column]: value }));
    return this.create(manager, {
      ...report,
      idNumber: (await taken('idNumber', report.idNumber)) ? null : report.idNumber,
      studentNumber: (await taken('studentNumber', report.studentNumber)) ? null : report.studentNumber,
    });
  }

  /**
   * The record a child id stands for now: a merged record answers with its survivor, so links
   * written before a merge still lead to the child.
   */
  async current(manager: EntityManager, id: string): Promise<Child | null> {
    return this.live(manager, await manager.findOneBy(Child, { id }));
  }

  /**
   * Sets the child's priority groups and, in the same transaction, the priority of the child's cases
   * (the inbox lists them first; a closed case keeps step too, for when it reopens). No official
   * changed the case: its version stays, so nobody's edit in progress is refused as stale.
   */
  async setPriorityGroups(manager: EntityManager, childId: string, groups: PriorityGroup[]): Promise<void> {
    await updateChild(manager, childId, { priorityGroups: groups });
    await this.moves.cases.setPriority(manager, childId, groups);
  }

  /**
   * Resolves a batch of reports (an import, a run of notices) by the rules of `resolve`, reading in
   * sets: the batch's 学籍号 and ID numbers in IN lists, the records of each report's name near it
   * in ranges of the name index, the new records written in one bulk insert. Reports of one batch
   * meet each other too: two rows about one child land on one record. A roster is authoritative for
   * what it carries (name, sex, identifiers, birth date, village, school, grade, class, boarding);
   * other sources only fill what the record did not know. A report found by its 学籍号 costs nothing
   * beyond the batch's one read of 学籍号s. No claim rows are taken: a batch is one long transaction,
   * and holding a claim per name for its length would stall every tip of those names; the unique
   * keys on ID number and 学籍号 still hold. Near candidates go to review as with `resolve`. With
   * `unrostered` (read once for a whole import) a report with a 学籍号 is matched by name against
   * those records alone, without a query, and while the import's identifiers keep turning out new,
   * the reports that can only become new records are inserted without reading their identifiers
   * first (`insertPresumedNew`).
   */
  async resolveMany(
    manager: EntityManager,
    reports: BatchReport[],
    source: ChildSource,
    unrostered?: UnrosteredChildren,
  ): Promise<BatchResolution[]> {
    const presumed = unrostered?.presumeNew ? await this.insertPresumedNew(manager, reports, unrostered) : new Map<BatchReport, Child>();
    if (!presumed.size) return this.resolveEach(manager, reports, source, unrostered);
    const resolved = await this.resolveEach(
      manager,
      reports.filter((r) => !presumed.has(r)),
      source,
      unrostered,
    );
    let next = 0;
    return reports.map((report) => {
      const child = presumed.get(report);
      return child ? { child, created: true, rule: null, conflict: null, changed: true } : resolved[next++]!;
    });
  }

  /**
   * A batch of an import whose identifiers the batches before it found new: the reports that can
   * only become new records — a 学籍号, nobody of their name near them among the records without
   * one, no identifier another report of the batch gives too — are inserted as they are, without
   * reading their identifiers first. The unique keys on 学籍号 and ID number decide instead: a
   * statement in which any of them is already a record's is refused whole (MySQL and SQLite undo
   * the statement, not the transaction), and its reports are resolved as any other, as are the
   * batches after it until one finds nothing known again. Returns the records inserted, by report.
   */
  private async insertPresumedNew(
    manager: EntityManager,
    reports: BatchReport[],
    unrostered: UnrosteredChildren,
  ): Promise<Map<BatchReport, Child>> {
    const given = new Map<string, number>();
    const count = (value: string | null) => value && given.set(value, (given.get(value) ?? 0) + 1);
    for (const report of reports) {
      count(report.studentNumber && `s:${report.studentNumber}`);
      count(report.idNumber && `i:${report.idNumber}`);
    }
    const once = (value: string | null) => !value || given.get(value) === 1;
    const candidates = reports.filter(
      (report) => !!report.studentNumber && once(`s:${report.studentNumber}`) && once(report.idNumber && `i:${report.idNumber}`),
    );
    const schoolCounties = await this.schoolCounties(manager, candidates);
    const now = this.clock.now();
    const reportOf = new Map<Child, BatchReport>();
    const newRecord = this.newRecord.bind(this);
    // records made a chunk at a time, each while the database inserts the chunk before
    function* chunks() {
      for (let i = 0; i < candidates.length; i += CHILDREN_PER_INSERT) {
        const chunk: Child[] = [];
        for (const report of candidates.slice(i, i + CHILDREN_PER_INSERT)) {
          const nameKey = nameKeyOf(report.name);
          if ((unrostered.byName.get(nameKey) ?? []).some((known) => isNear(report, known))) continue;
          const record = newRecord(report, report.schoolId ? (schoolCounties.get(report.schoolId) ?? null) : null, now, nameKey);
          reportOf.set(record, report);
          chunk.push(record);
        }
        yield chunk;
      }
    }
    const skipped = new Set(await insertChunks(manager, chunks(), 'skip'));
    if (skipped.size) unrostered.presumeNew = false;
    const inserted = new Map<BatchReport, Child>();
    for (const [record, report] of reportOf) if (!skipped.has(record)) inserted.set(report, record);
    return inserted;
  }

  /** `resolveMany`, report by report in order, from the batch's identifiers read in one go. */
  private async resolveEach(
    manager: EntityManager,
    reports: BatchReport[],
    source: ChildSource,
    unrostered?: UnrosteredChildren,
  ): Promise<BatchResolution[]> {
    const authoritative = source === 'roster';
    const now = this.clock.now();
    // one object per record, so that what one report of the batch changes the next one sees (and
    // the next batch, for the import's records without a 学籍号: the row just read is the current one)
    const records = new Map<string, Child>();
    const held = (child: Child): Child => {
      const known = records.get(child.id);
      if (known) return known;
      const kept = unrostered?.byId.get(child.id);
      if (kept && kept !== child) Object.assign(kept, child);
      records.set(child.id, kept ?? child);
      return kept ?? child;
    };
    const { byStudent, byId } = await this.liveByIdentifiers(manager, reports, held);
    if (unrostered) unrostered.presumeNew = byStudent.size === 0 && byId.size === 0;
    const unmatched = reports.filter((r) => !(r.studentNumber && byStudent.has(r.studentNumber)) && !(r.idNumber && byId.has(r.idNumber)));
    // each report's name as matched, worked out once (folding traditional characters is not free)
    const nameKeys = new Map(unmatched.map((r) => [r, nameKeyOf(r.name)]));
    // a record without a 学籍号 is all a report with one can be, and the import has them at hand
    const inMemory = (r: ChildReport) => !!unrostered && !!r.studentNumber;
    const named = await this.namedNearMany(
      manager,
      unmatched.filter((r) => !inMemory(r)),
      held,
    );
    for (const nameKey of new Set(unmatched.filter(inMemory).map((r) => nameKeys.get(r)!))) {
      const list = named.get(nameKey) ?? [];
      for (const child of unrostered!.byName.get(nameKey) ?? []) if (!list.includes(held(child))) list.push(held(child));
      if (list.length) named.set(nameKey, list);
    }
    const schoolCounties = await this.schoolCounties(manager, unmatched);
    // may this record take this identifier: nobody else holds it
    const free = (child: Child, column: 'idNumber' | 'studentNumber', value: string) => {
      const holder = (column === 'idNumber' ? byId : byStudent).get(value);
      return !holder || holder.id === child.id;
    };
    const created = new Set<string>();
    const changes = new Map<string, Partial<Child>>();
    // each changed record's county before this batch changed it (the enrolment tallies recount it)
    const countiesBefore = new Map<string, string | null>();
    // the 学籍号 a report of this batch gave each record
    const studentOf = new Map<string, string>();
    const inserts: Child[] = [];
    const reviews = new Map<Child, Array<{ candidate: { id: string }; reason: ChildMatchReason }>>();
    const review = (child: Child, candidate: { id: string }, reason: ChildMatchReason) =>
      reviews.set(child, [...(reviews.get(child) ?? []), { candidate, reason }]);
    const results: BatchResolution[] = [];
    for (const report of reports) {
      const byNumber = report.studentNumber ? byStudent.get(report.studentNumber) : undefined;
      const byIdNumber = report.idNumber ? byId.get(report.idNumber) : undefined;
      if (byNumber && byIdNumber && byNumber.id !== byIdNumber.id) {
        if (authoritative) {
          results.push(rejected('two_records'));
          continue;
        }
        review(byNumber, byIdNumber, 'identity_conflict');
      }
      let known: Child | null = byNumber ?? byIdNumber ?? null;
      let rule: MatchRule | null = byNumber ? 'student_number' : byIdNumber ? 'id_number' : null;
      let outcome: MatchOutcome | null = null;
      if (!known) {
        const candidates = (named.get(nameKeys.get(report) ?? nameKeyOf(report.name)) ?? []).filter((c) => isNear(report, c));
        // most reports of an import have nobody of their name near them: nothing to match
        outcome = candidates.length ? matchByName(report, candidates) : { match: null, rule: null, reviews: [] };
        known = outcome.match as Child | null;
        rule = outcome.rule;
      }
      if (known && report.studentNumber) {
        const given = studentOf.get(known.id);
        if (given && given !== report.studentNumber) {
          results.push(rejected('batch_rows'));
          continue;
        }
        studentOf.set(known.id, report.studentNumber);
      }
      if (known) {
        const record = known;
        const change = authoritative
          ? this.rostered(record, report, (column, value) => free(record, column, value))
          : this.filledIn(record, report, (column, value) => free(record, column, value));
        if ((change.studentNumber ?? record.studentNumber) && !record.bindingCode) change.bindingCode = newReadableCode(8);
        for (const [column, map] of [
          ['idNumber', byId],
          ['studentNumber', byStudent],
        ] as const) {
          const value = change[column];
          if (!value) continue;
          const before = record[column];
          if (before && map.get(before) === record) map.delete(before);
          map.set(value, record);
        }
        const changed = Object.keys(change).length > 0;
        if (changed && !created.has(record.id) && !countiesBefore.has(record.id)) countiesBefore.set(record.id, record.countyCode);
        Object.assign(record, change);
        // a record made by this batch is written with the insert, with what later reports added
        if (changed && !created.has(record.id)) changes.set(record.id, { ...changes.get(record.id), ...change });
        results.push({ child: record, created: false, rule, conflict: null, changed });
        continue;
      }
      const child = held(this.newRecord(report, report.schoolId ? (schoolCounties.get(report.schoolId) ?? null) : null, now));
      created.add(child.id);
      inserts.push(child);
      if (child.studentNumber) {
        byStudent.set(child.studentNumber, child);
        studentOf.set(child.id, child.studentNumber);
      }
      if (child.idNumber) byId.set(child.idNumber, child);
      const namesakes = named.get(child.nameKey);
      if (namesakes) namesakes.push(child);
      else named.set(child.nameKey, [child]);
      for (const r of outcome?.reviews ?? []) review(child, r.candidate, r.reason);
      results.push({ child, created: true, rule: null, conflict: null, changed: true });
    }
    // identifiers a record gives up are released before a new record takes them
    await updateChildren(
      manager,
      [...changes].map(([id, change]) => ({ record: records.get(id)!, change, countyBefore: countiesBefore.get(id) })),
    );
    await insertChildren(manager, inserts);
    for (const [child, list] of reviews) await this.addReviews(manager, child, list, source);
    return results;
  }

  /** The live records without a 学籍号 of a county (and of none), for the batches of an import (`resolveMany`). */
  async unrostered(manager: EntityManager, countyCode: string): Promise<UnrosteredChildren> {
    const rows = await manager
      .createQueryBuilder(Child, 'ch')
      .where('ch.student_number IS NULL AND ch.merged_into_id IS NULL')
      .andWhere('(ch.county_code = :countyCode OR ch.county_code IS NULL)', { countyCode })
      .getMany();
    const byName = new Map<string, Child[]>();
    for (const row of rows) byName.set(row.nameKey, [...(byName.get(row.nameKey) ?? []), row]);
    return { byName, byId: new Map(rows.map((row) => [row.id, row])), presumeNew: true };
  }

  /**
   * The live records holding the reports' 学籍号s and ID numbers, by identifier, read together (one
   * statement per thousand reports): a merged record answers with its survivor (chains followed to
   * their end). An ID number its 学籍号 already found on the same record maps to that record.
   */
  private async liveByIdentifiers(
    manager: EntityManager,
    reports: ChildReport[],
    held: (child: Child) => Child,
  ): Promise<{ byStudent: Map<string, Child>; byId: Map<string, Child> }> {
    const studentNumbers = new Set(reports.flatMap((r) => (r.studentNumber ? [r.studentNumber] : [])));
    const idNumbers = new Set(reports.flatMap((r) => (r.idNumber ? [r.idNumber] : [])));
    const byStudent = new Map<string, Child>();
    const byId = new Map<string, Child>();
    for (const row of await childrenByIdentifiers(manager, [...studentNumbers], [...idNumbers])) {
      if (row.studentNumber && studentNumbers.has(row.studentNumber)) byStudent.set(row.studentNumber, row);
      if (row.idNumber && idNumbers.has(row.idNumber)) byId.set(row.idNumber, row);
    }
    for (let hops = 0; hops < 8; hops++) {
      const merged = [...new Set([...byStudent.values(), ...byId.values()].flatMap((c) => (c.mergedIntoId ? [c.mergedIntoId] : [])))];
      if (!merged.length) break;
      const survivors = new Map((await childrenByIds(manager, merged)).map((row) => [row.id, row]));
      for (const found of [byStudent, byId])
        for (const [value, child] of found) {
          if (!child.mergedIntoId) continue;
          const survivor = survivors.get(child.mergedIntoId);
          if (survivor) found.set(value, survivor);
          else found.delete(value);
        }
    }
    return {
      byStudent: new Map([...byStudent].map(([value, child]) => [value, held(child)])),
      byId: new Map([...byId].map(([value, child]) => [value, held(child)])),
    };
  }

  /**
   * Live records of the reports' names near them, by name: in the report's township (a range of the
   * name index), and at its school when they have no village (or at all, for a report with no
   * village). A report with a 学籍号 can only be a record without one, so only those are read.
   */
  private async namedNearMany(
    manager: EntityManager,
    reports: ChildReport[],
    held: (child: Child) => Child,
  ): Promise<Map<string, Child[]>> {
    const terms = new Map<
      string,
      { nameKey: string; township: string | null; schoolId: string | null; villageless: boolean; unrostered: boolean }
    >();
    for (const report of reports) {
      const nameKey = nameKeyOf(report.name);
      const unrostered = !!report.studentNumber;
      const township = report.villageCode?.slice(0, 9) ?? null;
      if (township)
        terms.set(`v|${nameKey}|${township}|${unrostered}`, { nameKey, township, schoolId: null, villageless: false, unrostered });
      if (report.schoolId)
        terms.set(`s|${nameKey}|${report.schoolId}|${!!township}|${unrostered}`, {
          nameKey,
          township: null,
          schoolId: report.schoolId,
          villageless: !!township,
          unrostered,
        });
    }
    const named = new Map<string, Child[]>();
    const seen = new Set<string>();
    const list = [...terms.values()];
    for (let i = 0; i < list.length; i += NAME_TERMS_PER_QUERY) {
      const params: Record<string, string> = {};
      const sql = list.slice(i, i + NAME_TERMS_PER_QUERY).map((term, j) => {
        params[`k${j}`] = term.nameKey;
        // `+` keeps SQLite on the name index (not a scan of every record without a 学籍号)
        const rest = term.unrostered ? ' AND +ch.student_number IS NULL' : '';
        if (term.township) {
          Object.assign(params, { [`lo${j}`]: `${term.township}000`, [`hi${j}`]: `${term.township}999` });
          return `(ch.name_key = :k${j} AND ch.village_code BETWEEN :lo${j} AND :hi${j}${rest})`;
        }
        params[`s${j}`] = term.schoolId!;
        return `(ch.name_key = :k${j}${term.villageless ? ' AND ch.village_code IS NULL' : ''} AND ch.school_id = :s${j}${rest})`;
      });
      const rows = await manager
        .createQueryBuilder(Child, 'ch')
        .where(`(${sql.join(' OR ')})`, params)
        .andWhere('+ch.merged_into_id IS NULL')
        .getMany();
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        const child = held(row);
        named.set(child.nameKey, [...(named.get(child.nameKey) ?? []), child]);
      }
    }
    return named;
  }

  /** The county of each school of reports that name no village (a new record's county comes from it). */
  private async schoolCounties(manager: EntityManager, reports: ChildReport[]): Promise<Map<string, string>> {
    const ids = [...new Set(reports.flatMap((r) => (r.schoolId && !r.villageCode ? [r.schoolId] : [])))];
    const counties = new Map<string, string>();
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK)
      for (const [id, county] of await this.schools.countiesOf(manager, ids.slice(i, i + LOOKUP_CHUNK))) counties.set(id, county);
    return counties;
  }

  /** A new record for a report of a batch (as `create`, written later with the batch). */
  private newRecord(report: BatchReport, schoolCounty: string | null, now: Date, nameKey = nameKeyOf(report.name)): Child {
    return {
      id: newId(),
      name: report.name,
      nameKey,
      sex: report.sex,
      birthYear: report.birthDate ? Number(report.birthDate.slice(0, 4)) : report.birthYear,
      birthYearExact: !!report.birthDate || report.birthYearExact,
      birthDate: report.birthDate,
      idNumber: report.idNumber,
      studentNumber: report.studentNumber,
      villageCode: report.villageCode,
      schoolId: report.schoolId,
      grade: report.grade,
      className: report.className ?? null,
      boarding: report.boarding ?? null,
      priorityGroups: [],
      bindingCode: report.studentNumber ? newReadableCode(8) : null,
      countyCode: countyOfReport(report, schoolCounty),
      mergedIntoId: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * What a later report adds to a record (as `complete`, without writing): only what the record did
   * not know, and an identifier only when no other record holds it.
   */
  private filledIn(
    child: Child,
    report: ChildReport,
    free: (column: 'idNumber' | 'studentNumber', value: string) => boolean,
  ): Partial<Child> {
    const changes: Partial<Child> = {};
    for (const column of ['idNumber', 'studentNumber'] as const) {
      const value = report[column];
      if (!child[column] && value && free(column, value)) changes[column] = value;
    }
    if (!child.birthDate && report.birthDate) changes.birthDate = report.birthDate;
    const exactYear = report.birthDate ? Number(report.birthDate.slice(0, 4)) : report.birthYearExact ? report.birthYear : null;
    if (exactYear !== null && !child.birthYearExact) Object.assign(changes, { birthYear: exactYear, birthYearExact: true });
    else if (child.birthYear === null && report.birthYear !== null) changes.birthYear = report.birthYear;
    if (child.sex === 'unknown' && report.sex !== 'unknown') changes.sex = report.sex;
    if (!child.villageCode && report.villageCode) changes.villageCode = report.villageCode;
    if (!child.schoolId && report.schoolId) changes.schoolId = report.schoolId;
    if (child.grade === null && report.grade !== null) changes.grade = report.grade;
    if (!child.countyCode) {
      const county = countyOfReport({ ...report, villageCode: changes.villageCode ?? child.villageCode }, null);
      if (county) changes.countyCode = county;
    }
    return changes;
  }

  /**
   * What a roster row changes on its pupil's record: the roster is authoritative for what it
   * carries (an empty cell erases nothing but the class); what it leaves out is filled as by any
   * report. An identifier another record holds is not taken.
   */
  private rostered(
    child: Child,
    report: BatchReport,
    free: (column: 'idNumber' | 'studentNumber', value: string) => boolean,
  ): Partial<Child> {
    const changes = this.filledIn(child, report, free);
    const facts: Partial<Child> = { name: report.name, nameKey: nameKeyOf(report.name) };
    if (report.sex !== 'unknown') facts.sex = report.sex;
    for (const column of ['idNumber', 'studentNumber'] as const) {
      const value = report[column];
      if (value && free(column, value)) facts[column] = value;
    }
    if (report.birthDate)
      Object.assign(facts, { birthDate: report.birthDate, birthYear: Number(report.birthDate.slice(0, 4)), birthYearExact: true });
    if (report.villageCode) facts.villageCode = report.villageCode;
    if (report.schoolId) facts.schoolId = report.schoolId;
    if (report.grade !== null) facts.grade = report.grade;
    if (report.className !== undefined) facts.className = report.className;
    if (report.boarding !== undefined) facts.boarding = report.boarding;
    const county = countyOfReport({ ...report, villageCode: facts.villageCode ?? child.villageCode }, null);
    if (county) facts.countyCode = county;
    const next: Record<string, unknown> = { ...child, ...changes };
    for (const [key, value] of Object.entries(facts)) if ((next[key] ?? null) !== (value ?? null)) Object.assign(changes, { [key]: value });
    return changes;
  }

  /**
   * Retention (BRIEF §7): a child known only through pseudonymised cases loses who they were. The
   * record stays, so the statistics that count it do not change.
   */
  async forget(manager: EntityManager, childIds: string[]): Promise<void> {
    if (!childIds.length) return;
    await manager.update(
      Child,
      { id: In(childIds) },
      { name: PSEUDONYMISED_TEXT, nameKey: PSEUDONYMISED_TEXT, idNumber: null, birthDate: null, bindingCode: null },
    );
  }

  /** Follows merges to the surviving record (a chain of merges is followed to its end). */
  private async live(manager: EntityManager, child: Child | null): Promise<Child | null> {
    for (let hops = 0; child?.mergedIntoId && hops < 8; hops++) child = await manager.findOneBy(Child, { id: child.mergedIntoId });
    return child;
  }

  /**
   * Takes the claim rows `resolve` takes, for a short batch about to be resolved by `resolveMany`
   * (a cross-check's few hundred children): a tip about one of these names then waits for the batch
   * and finds its record, and the batch waits for a tip and finds the tip's, so neither writes a
   * second record of one child. In one statement, in key order, so two batches queue rather than
   * deadlock. Not for an import: a claim held for a long transaction stalls every tip of its name.
   */
  async claimNames(manager: EntityManager, reports: ChildReport[]): Promise<void> {
    const placeOf = (r: ChildReport) => (r.villageCode ? `village:${r.villageCode}` : r.schoolId ? `school:${r.schoolId}` : null);
    const claims = [...new Set(reports.flatMap((r) => (placeOf(r) ? [`${nameKeyOf(r.name)}\u0000${placeOf(r)}`] : [])))].sort();
    if (!claims.length) return;
    const tuples = claims.map(() => '(?, ?, 1)').join(', ');
    const values = claims.flatMap((claim) => claim.split('\u0000'));
    const upsert = isMysql(manager)
      ? 'ON DUPLICATE KEY UPDATE uses = uses + 1'
      : 'ON CONFLICT (name_key, place) DO UPDATE SET uses = uses + 1';
    await write(manager, `INSERT INTO child_identity_claims (name_key, place, uses) VALUES ${tuples} ${upsert}`, values);
  }

  /** Takes (or waits for) the claim row of a name at a place, until the transaction ends. */
  private async claim(manager: EntityManager, nameKey: string, place: string): Promise<void> {
    if (isMysql(manager))
      await write(
        manager,
        'INSERT INTO child_identity_claims (name_key, place, uses) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE uses = uses + 1',
        [nameKey, place],
      );
    else
      await write(
        manager,
        'INSERT INTO child_identity_claims (name_key, place, uses) VALUES (?, ?, 1) ON CONFLICT (name_key, place) DO UPDATE SET uses = uses + 1',
        [nameKey, place],
      );
  }

  /** Known children of this name in the report's village, township or school (merged records left out). */
  private async namedNear(manager: EntityManager, nameKey: string, report: ChildReport): Promise<KnownChild[]> {
    // hand-written: every tip asks it (TypeORM's select building cost more than the index read)
    const places: string[] = [];
    const values: unknown[] = [nameKey];
    if (report.villageCode) {
      places.push('village_code LIKE ?');
      values.push(`${report.villageCode.slice(0, 9)}%`);
    }
    if (report.schoolId) {
      places.push('school_id = ?');
      values.push(report.schoolId);
    }
    const rows = await selectRows<{
      id: string;
      name_key: string;
      id_number: string | null;
      student_number: string | null;
      birth_date: string | null;
      birth_year: number | null;
      birth_year_exact: number | boolean;
      village_code: string | null;
      school_id: string | null;
    }>(
      manager,
      `SELECT id, name_key, id_number, student_number, birth_date, birth_year, birth_year_exact, village_code, school_id FROM children WHERE name_key = ? AND merged_into_id IS NULL AND (${places.join(' OR ')}) LIMIT 50`,
      values,
    );
    return rows.map((r) => ({
      id: r.id,
      nameKey: r.name_key,
      idNumber: r.id_number,
      studentNumber: r.student_number,
      birthDate: r.birth_date,
      birthYear: r.birth_year === null ? null : Number(r.birth_year),
      birthYearExact: r.birth_year_exact === true || Number(r.birth_year_exact) === 1,
      villageCode: r.village_code,
      schoolId: r.school_id,
    }));
  }

  private async create(manager: EntityManager, report: ChildReport): Promise<Child> {
    const schoolCounty = report.schoolId && !report.villageCode ? await this.schools.countyOf(manager, report.schoolId) : null;
    const child = this.newRecord(report, schoolCounty, this.clock.now());
    await insertRows(manager, Child, [child]);
    return child;
  }

  /**
   * Fills what the record did not know yet from a later report; never overwrites what it knew. An
   * identifier another record holds stays there (a merged record keeps its own, a 学籍号 and an ID
   * number may name two records): the other live records are returned, for review.
   */
  private async complete(manager: EntityManager, child: Child, report: ChildReport): Promise<Child[]> {
    const holders: Child[] = [];
    const taken = new Set<string>();
    for (const column of ['idNumber', 'studentNumber'] as const) {
      const value = report[column];
      if (child[column] || !value) continue;
      const holder = await this.live(manager, await manager.findOneBy(Child, { [column]: value }));
      if (!holder) continue;
      taken.add(column);
      if (holder.id !== child.id) holders.push(holder);
    }
    const changes = this.filledIn(child, report, (column) => !taken.has(column));
    if (Object.keys(changes).length) {
      await updateChild(manager, child.id, changes);
      Object.assign(child, changes);
    }
    return holders;
  }

  private async addReviews(
    manager: EntityManager,
    child: Child,
    reviews: Array<{ candidate: { id: string }; reason: ChildMatchReason }>,
    source: ChildSource,
  ): Promise<void> {
    if (!reviews.length || !child.countyCode) return;
    const now = this.clock.now();
    const rows = reviews.map((r) => ({
      id: newId(),
      countyCode: child.countyCode!,
      childId: child.id,
      candidateId: r.candidate.id,
      reason: r.reason,
      source,
      status: 'pending' as const,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      createdAt: now,
    }));
    await manager.createQueryBuilder().insert().into(ChildMatchReview).values(rows).orIgnore().execute();
  }
}
