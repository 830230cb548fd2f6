import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ApiRowError, ImportView, RegistryKind } from '@baoxue/shared';
import type { Logger } from 'pino';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { assertCountyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { bulkInsert } from '../../database/bulk-insert';
import { isMysql } from '../../database/dialect';
import { AppError } from '../../common/errors/app-error';
import { isDatabaseUnavailable, isRetryableConflict } from '../../common/errors/database-errors';
import { FileStore } from '../../common/files/file-store';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { Job } from '../../common/jobs/job.entity';
import { JobRunner, type JobContext } from '../../common/jobs/job-runner';
import { LOGGER } from '../../common/logging/logger';
import { readTable, UnreadableFileError } from '../../common/sheets/sheet-reader';
import { AuditService } from '../audit/audit.service';
import { ChildRecords, type AttendanceRow, type RosterGuardianRow } from '../children/child-records';
import { nameKeyOf } from '../children/child-matching';
import { ChildRegistry, type BatchReport, type UnrosteredChildren } from '../children/child-registry.service';
import { DivisionRecords } from '../divisions/division-records';
import { SchoolRecords } from '../schools/school-records';
import { UserRecords } from '../accounts/user-records';
import { AbsenceMonitorService } from './absence-monitor.service';
import { HouseholdMember, PovertyRegistration, RegistryImport } from './registry.entities';
import {
  mapHeader,
  parseRow,
  type AbsenceRow,
  type HouseholdRow,
  type PovertyRow,
  type RegistryRow,
  type RosterRow,
  type RowContext,
} from './registry-formats';
import { snapshotTransaction } from '../../database/transaction';

const BATCH = 1000;
const MAX_REPORTED_ERRORS = 200;
const PROGRESS_EVERY = 5000;
/** Rows pass 1 checks before it lets pass 2 go on (`validate`). */
const YIELD_EVERY = 50;
/** Roster rows pass 2 resolves and writes at a time. */
export const ROSTER_BATCH = 5000;
/** Valid rows pass 1 hands to pass 2 per file (`ValidRows`): about 2 MB of JSON. */
const SEGMENT_ROWS = 10_000;
const IMPORT_JOB = 'registry_import';
/** Runs of one import, takeovers included: an import that failed for a passing reason is tried again. */
const IMPORT_ATTEMPTS = 3;
const NOTHING: Counts = { created: 0, updated: 0, unchanged: 0 };

/** What the import's job is given besides the import's id (its run key): where its sheet waits. */
type ImportJob = { sheet: string };

/**
 * The store key of an import's sheet while it waits for its job. A flat name, as the store's other
 * keys: the local store then leaves no folder behind once the sheet is deleted.
 */
const sheetKey = (importId: string) => `registry-import-${importId}`;

function contentTypeOf(fileName: string): string {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.csv') return 'text/csv';
  if (extension === '.xlsx') return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'application/octet-stream';
}

/**
 * A failure that passes: the database or the file store out of reach for a while, a lost race. The
 * job tries the import again (from the start, which is safe: see `run`). Any other error (a bug, a
 * sheet the reader chokes on) would fail the same way again, so the import is failed at once.
 */
function isPassing(error: unknown): boolean {
  return (
    isDatabaseUnavailable(error) || isRetryableConflict(error) || (error instanceof AppError && error.code === 'FILE_STORE_UNAVAILABLE')
  );
}

type Counts = { created: number; updated: number; unchanged: number };

/** Why the registry would not take a roster row (the rows of a file are checked among themselves before). */
const ROSTER_CONFLICTS = {
  two_records: '学籍号和身份证号分别属于两个不同的孩子记录，请核对；如确为同一个孩子，请先合并这两条记录再导入',
  batch_rows: '本文件另有一行身份证号与此行相同，但学籍号不同；同一个孩子只能有一个学籍号',
} as const;

/** What the writing pass keeps beside a batch of roster rows: their lines, the rows refused, the records without a 学籍号. */
interface RosterBatch {
  lines: number[];
  rejected: ApiRowError[];
  unrostered: UnrosteredChildren | undefined;
}

/** Rows only the writing pass could judge (by what the database holds): the import is undone. */
class RejectedRows extends Error {
  constructor(readonly errors: ApiRowError[]) {
    super('rows rejected');
  }
}

/** Pass 1 found a row wrong, or stopped: pass 2 undoes what it wrote. */
class Abandoned extends Error {
  constructor() {
    super('registry import abandoned');
  }
}

/**
 * The rows pass 1 found valid, handed to pass 2 while pass 1 goes on checking the rest: in files of
 * the run's own folder (a line of JSON per row, `SEGMENT_ROWS` rows a file), so that pass 1 never
 * waits for the database, pass 2 never parses the sheet again, and memory holds a file's rows at a
 * time however far pass 2 lags behind. Once a row is found wrong nothing more is handed over, and
 * pass 2 stops at its next batch.
 */
class ValidRows {
  private pending: string[] = [];
  /** Files written and not read yet, oldest first. */
  private readonly ready: string[] = [];
  private written = 0;
  private outcome: 'valid' | 'invalid' | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly prefix: string) {}

  async add(line: number, row: RegistryRow): Promise<void> {
    this.pending.push(JSON.stringify([line, row]));
    if (this.pending.length >= SEGMENT_ROWS) await this.flush();
  }

  /** Pass 1 is over: every row was valid (pass 2 may commit once it has written them all), or not. */
  async end(outcome: 'valid' | 'invalid'): Promise<void> {
    try {
      if (outcome === 'valid') await this.flush();
      this.outcome = outcome;
    } catch (error) {
      this.outcome = 'invalid';
      throw error;
    } finally {
      this.pending = [];
      this.notify();
    }
  }

  /** The valid rows in order, in batches of `size`; throws `Abandoned` once pass 1 has ended on a wrong row. */
  async *batches(size: number): AsyncGenerator<{ rows: RegistryRow[]; lines: number[] }> {
    let rows: RegistryRow[] = [];
    let lines: number[] = [];
    for (;;) {
      if (this.abandoned()) throw new Abandoned();
      const path = this.ready.shift();
      if (path === undefined) {
        if (this.outcome === 'valid') break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const text = await readFile(path, 'utf8');
      await rm(path, { force: true });
      for (const item of text.split('\n')) {
        const [line, row] = JSON.parse(item) as [number, RegistryRow];
        rows.push(row);
        lines.push(line);
        if (rows.length < size) continue;
        yield { rows, lines };
        rows = [];
        lines = [];
        if (this.abandoned()) throw new Abandoned();
      }
    }
    if (rows.length) yield { rows, lines };
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const path = `${this.prefix}-${this.written++}`;
    const text = this.pending.join('\n');
    this.pending = [];
    await writeFile(path, text, { mode: 0o600 });
    this.ready.push(path);
    this.notify();
  }

  private abandoned(): boolean {
    return this.outcome === 'invalid';
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(b).every((key) => (a[key] ?? null) === (b[key] ?? null));
}

/**
 * Imports the county's registries (BRIEF §5). The file is streamed once, in two passes that run
 * side by side: the first validates every row, the second writes the valid ones in batches in one
 * transaction that is kept only if every row was valid (nothing is written while any row is wrong).
 * Records are keyed by 学籍号 / ID number, so importing the same file again changes
 * nothing. Each import is recorded with who, when and its counts; a running one reports progress.
 * The work is a background job (BRIEF §9): the sheet waits in the file store, and whichever instance
 * holds the job imports it; an instance that stops mid-import leaves it to another.
 */
@Injectable()
export class RegistryImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly absences: AbsenceMonitorService,
    private readonly registry: ChildRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly children: ChildRecords,
    private readonly divisions: DivisionRecords,
    private readonly schools: SchoolRecords,
    private readonly users: UserRecords,
    private readonly files: FileStore,
    private readonly jobs: JobRunner,
  ) {
    jobs.define<ImportJob>(IMPORT_JOB, {
      maxAttempts: IMPORT_ATTEMPTS,
      run: (job) => this.run(job),
      givenUp: (job) => this.interrupted(job.runKey, job.payload),
    });
  }

  /**
   * Stores the uploaded sheet where every instance reads it, then records the import and queues its
   * job in one transaction, and starts the job here. A store out of reach refuses the import (503)
   * before anything is recorded. The upload's temporary file is removed whatever happens.
   */
  async start(caller: Caller, kind: RegistryKind, file: { path: string; originalname: string }): Promise<ImportView> {
    try {
      const countyCode = requireCountyAccess(caller, 'import_registry');
      const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 128);
      // the store takes whole files: a registry is at most 200 MB (the contract's limit)
      const content = await readFile(file.path);
      const record: RegistryImport = {
        id: newId(),
        kind,
        countyCode,
        fileName,
        fileSha256: createHash('sha256').update(content).digest('hex'),
        status: 'running',
        processed: 0,
        total: null,
        created: 0,
        updated: 0,
        unchanged: 0,
        errorCount: 0,
        errors: [],
        createdBy: caller.userId,
        createdAt: this.clock.now(),
        finishedAt: null,
      };
      const sheet = sheetKey(record.id);
      await this.files.put(sheet, content, contentTypeOf(fileName));
      let jobId: string;
      try {
        jobId = await snapshotTransaction(this.dataSource, async (manager) => {
          await manager.insert(RegistryImport, record);
          await this.audit.record(
            caller,
            { action: 'registry.import', targetType: 'registry_import', targetId: record.id, details: { kind } },
            manager,
          );
          return this.jobs.enqueue(manager, IMPORT_JOB, record.id, { sheet } satisfies ImportJob);
        });
      } catch (error) {
        await this.deleteSheet(sheet);
        throw error;
      }
      this.jobs.start(jobId);
      return await this.view(caller, record.id);
    } finally {
      await rm(file.path, { force: true });
    }
  }

  /** Resolves when the import has finished, whichever instance runs it (tests, the bench; the app polls). */
  async settled(id: string): Promise<void> {
    const job = await this.dataSource.manager.findOne(Job, { where: { kind: IMPORT_JOB, runKey: id }, select: { id: true } });
    if (job) await this.jobs.settled(job.id);
  }

  async view(caller: Caller, id: string): Promise<ImportView> {
    const record = await this.dataSource.manager.findOneBy(RegistryImport, { id });
    if (!record) throw AppError.notFound();
    assertCountyScope(caller, record.countyCode);
    requireRecordAccess(caller, 'import_registry', { countyCode: record.countyCode });
    return (await this.toViews([record]))[0]!;
  }

  async list(caller: Caller, query: { kind?: RegistryKind; cursor?: string; limit: number }) {
    const countyCode = requireCountyAccess(caller, 'import_registry');
    const qb = this.dataSource.manager
      .createQueryBuilder(RegistryImport, 'i')
      .where('i.county_code = :countyCode', { countyCode })
      .orderBy('i.id', 'DESC')
      .limit(query.limit + 1);
    if (query.kind) qb.andWhere('i.kind = :kind', { kind: query.kind });
    if (query.cursor) qb.andWhere('i.id < :id', { id: decodeCursor(query.cursor, ['string'])[0] });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return { items: await this.toViews(page), nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null };
  }

  /**
   * The import's job: the sheet from the store into a temporary folder of this run's own, then both
   * passes. A run after a takeover starts again from the first row, which is safe: nothing is written
   * before pass 2's one transaction commits, and a holder that lost its lease stops before that commit
   * (`signal`); rows are keyed by 学籍号 / ID number, so even a commit a stopped holder made is only
   * found unchanged. An import already finished (its holder stopped right after) is left alone.
   */
  private async run({ runKey: id, payload, attempt, signal }: JobContext<ImportJob>): Promise<void> {
    const record = await this.dataSource.manager.findOneBy(RegistryImport, { id });
    if (record?.status === 'running') {
      const dir = await mkdtemp(join(tmpdir(), 'bx-import-'));
      try {
        const path = join(dir, 'sheet');
        if (await this.fetchSheet(payload.sheet, path)) await this.process(record, path, signal);
        else await this.finish(record, 'failed', [{ line: 0, message: '导入的文件已丢失，请重新导入' }], NOTHING);
      } catch (error) {
        // a holder that lost the job or is stopping leaves it to the next one; a passing failure is tried again
        if (signal.aborted || (isPassing(error) && attempt < IMPORT_ATTEMPTS)) throw error;
        this.logger.error({ err: error, importId: id, attempt }, 'registry import failed');
        await this.finish(record, 'failed', [{ line: 0, message: '导入时出现系统错误，未导入任何数据，请稍后重试' }], NOTHING);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    await this.deleteSheet(payload.sheet);
  }

  /** The import's holders all stopped before it finished (its attempts are spent): it is failed, its sheet deleted. */
  private async interrupted(id: string, { sheet }: ImportJob): Promise<void> {
    await this.dataSource.manager.update(
      RegistryImport,
      { id, status: 'running' },
      {
        status: 'failed',
        errors: [{ line: 0, message: '导入被中断（处理它的服务器停止运行），请重新导入' }],
        errorCount: 1,
        finishedAt: this.clock.now(),
      },
    );
    await this.deleteSheet(sheet);
  }

  /** Copies the stored sheet to `path`; false when the store no longer has it. */
  private async fetchSheet(key: string, path: string): Promise<boolean> {
    const stored = await this.files.get(key);
    if (!stored) return false;
    await pipeline(stored.body, createWriteStream(path, { mode: 0o600 }));
    return true;
  }

  /** A sheet left behind by a store out of reach is only a file, never read again: logged, not fatal. */
  private async deleteSheet(key: string): Promise<void> {
    await this.files.delete(key).catch((error: unknown) => this.logger.warn({ err: error, key }, 'deleting a registry sheet failed'));
  }

  /**
   * Two passes at once: pass 1 checks every row and hands the valid ones on; pass 2 writes them as
   * they come, in batches, in one transaction that commits only once pass 1 has found every row
   * valid and pass 2 has written them all. A wrong row stops pass 2, which undoes what it wrote:
   * nothing is kept, and the errors reported are pass 1's alone, as if pass 2 had never started. The
   * database works on one core while the sheet is read on the other. The time each took is logged
   * (the bench reads it).
   */
  private async process(record: RegistryImport, path: string, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const valid = new ValidRows(`${path}.valid`);
    // either pass failing stops the other
    const stop = new AbortController();
    const either = AbortSignal.any([signal, stop.signal]);
    let validatedAt = 0;
    const validation = this.validate(record, path, either, valid).then(
      async (total) => {
        await valid.end(total === null ? 'invalid' : 'valid');
        validatedAt = performance.now();
        return total;
      },
      async (error: unknown) => {
        await valid.end('invalid').catch(() => undefined);
        stop.abort();
        throw error;
      },
    );
    // SQLite has one connection: what pass 1 writes (progress, its outcome) would land in pass 2's
    // transaction and be undone with it, so there pass 2 starts once pass 1 is over
    if (!isMysql(this.dataSource)) await validation.catch(() => undefined);
    const writing = this.write(record, valid, either, validation).catch((error: unknown) => {
      if (!(error instanceof Abandoned)) stop.abort();
      throw error;
    });
    const [validated, written] = await Promise.allSettled([validation, writing]);
    const writeFailure =
      written.status === 'rejected' && !(written.reason instanceof Abandoned) && !(written.reason instanceof RejectedRows)
        ? (written.reason as unknown)
        : null;
    // pass 1 stopped because pass 2 failed (the database, a lost lease): pass 2's failure is the cause
    if (validated.status === 'rejected') throw writeFailure && isAbort(validated.reason) ? writeFailure : validated.reason;
    const total = validated.value;
    // pass 1 found wrong rows and recorded them (pass 2's own findings, if any, are not reported)
    if (total === null) return;
    if (writeFailure) throw writeFailure;
    if (written.status === 'rejected') {
      if (!(written.reason instanceof RejectedRows)) throw written.reason;
      record.errorCount = written.reason.errors.length;
      return this.finish(record, 'failed', written.reason.errors.slice(0, MAX_REPORTED_ERRORS), NOTHING, total);
    }
    const counts = written.value;
    await this.finish(record, 'completed', [], counts, total);
    this.logger.info(
      {
        importId: record.id,
        kind: record.kind,
        rows: total,
        ...counts,
        // pass 1 alone, and both passes (pass 2 ends after pass 1)
        validateMs: Math.round(validatedAt - started),
        importMs: Math.round(performance.now() - started),
      },
      'registry import finished',
    );
    // new absences may meet the county's rules: alert schools, open cases (the import stands either
    // way; the daily pass of the rules judges them if this one fails)
    if (record.kind === 'absence')
      await this.absences
        .run(record.countyCode)
        .catch((error: unknown) => this.logger.warn({ err: error, importId: record.id }, 'absence rules after an import failed'));
  }

  /**
   * Pass 2: the valid rows in batches, in one transaction. Commits only after pass 1 has ended with
   * every row valid (`validation` gives their number) and every row was tried; rows the database
   * refuses are all reported and nothing is kept. Progress counts rows written once pass 1 is over.
   */
  private async write(record: RegistryImport, valid: ValidRows, signal: AbortSignal, validation: Promise<number | null>): Promise<Counts> {
    let total: number | null = null;
    let processed = 0;
    const progress = this.progressOf(record);
    void validation
      .then(async (rows) => {
        total = rows;
        if (rows !== null)
          await this.dataSource.manager.update(RegistryImport, { id: record.id, status: 'running' }, { total: rows, processed });
      })
      .catch(() => undefined);
    // a roster's batches are larger: the child registry pipelines its inserts within a batch
    const size = record.kind === 'roster' ? ROSTER_BATCH : BATCH;
    return snapshotTransaction(this.dataSource, async (manager) => {
      const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
      const rejected: ApiRowError[] = [];
      // what a roster row may land on besides its pupil: read once, not once per batch
      const unrostered = record.kind === 'roster' ? await this.registry.unrostered(manager, record.countyCode) : undefined;
      const batches = valid.batches(size);
      // the next batch is read while the database writes this one (once this one's first statement is sent)
      const readAhead = () => {
        const next = new Promise<void>((resolve) => setImmediate(resolve)).then(() => batches.next());
        next.catch(() => undefined);
        return next;
      };
      for (let next = batches.next(); ;) {
        const batch = await next;
        if (batch.done) break;
        const { rows, lines } = batch.value;
        signal.throwIfAborted();
        const applying = this.apply(manager, record, rows, { lines, rejected, unrostered });
        next = readAhead();
        const result = await applying;
        counts.created += result.created;
        counts.updated += result.updated;
        counts.unchanged += result.unchanged;
        processed += rows.length;
        if (total !== null && processed % PROGRESS_EVERY < size) progress({ processed });
      }
      // every row was tried, so that all of them are reported; then nothing is kept
      if (rejected.length) throw new RejectedRows(rejected);
      // the last point before the commit: a holder that lost the job writes nothing
      signal.throwIfAborted();
      return counts;
    });
  }

  /**
   * Pass 1: every row on its own, plus what only the database knows (pupils exist for absences); the
   * valid rows go on to pass 2 (`valid`) while no row is wrong. Returns the number of rows, or null when the import
   * is finished here (failed: its errors recorded).
   */
  private async validate(record: RegistryImport, path: string, signal: AbortSignal, valid: ValidRows): Promise<number | null> {
    const context = await this.context(record.countyCode);
    const errors: ApiRowError[] = [];
    let errorCount = 0;
    let total = 0;
    let columns: Map<string, number> | null = null;
    const seen = new Map<string, number>();
    // roster ID numbers whose 学籍号 is not "G" + the ID number (those are in `seen` already)
    const seenIds = new Map<string, number>();
    let pendingAbsences: Array<{ line: number; row: AbsenceRow }> = [];
    const report = (found: ApiRowError[]) => {
      errorCount += found.length;
      for (const error of found) if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
    };
    // an absence is valid once its pupil is found on the roster: handed on after that check
    const checkAbsences = async () => {
      report(await this.checkPupils(record.countyCode, pendingAbsences));
      if (!errorCount) for (const { line, row } of pendingAbsences) await valid.add(line, row);
      pendingAbsences = [];
    };
    const progress = this.progressOf(record);
    const failed = async (found: ApiRowError[], rows?: number) => {
      await this.finish(record, 'failed', found, NOTHING, rows);
      return null;
    };
    try {
      for await (const { line, cells } of readTable(path)) {
        if (!columns) {
          const header = mapHeader(record.kind, cells);
          if (header.errors.length) return await failed(header.errors);
          columns = header.columns;
          continue;
        }
        total++;
        if (total % BATCH === 0) signal.throwIfAborted();
        // the sheet arrives in blocks of some hundred rows, checked without a pause: pass 2's answers
        // from the database are taken between every few dozen rows, so the database never waits long
        if (total % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const rowErrors: ApiRowError[] = [];
        const row = parseRow(record.kind, cells, columns, line, context, rowErrors);
        if (row) {
          const key = this.keyOf(record.kind, row);
          const first = seen.get(key);
          if (first !== undefined) rowErrors.push({ line, message: `与第${first}行重复` });
          else {
            seen.set(key, line);
            if (record.kind === 'roster') this.checkIdOnce(row as RosterRow, line, seen, seenIds, rowErrors);
          }
          if (record.kind === 'absence' && !rowErrors.length) pendingAbsences.push({ line, row: row as AbsenceRow });
        }
        report(rowErrors);
        // once a row is wrong nothing more is written: the rows after it are only checked
        if (row && !errorCount && record.kind !== 'absence') await valid.add(line, row);
        if (pendingAbsences.length >= BATCH) await checkAbsences();
        if (total % PROGRESS_EVERY === 0) progress({ processed: total });
      }
      await checkAbsences();
    } catch (error) {
      if (error instanceof UnreadableFileError) return await failed([{ line: 0, message: error.message }]);
      throw error;
    }
    if (!columns) return await failed([{ line: 1, message: '文件是空的' }]);
    if (total === 0) return await failed([{ line: 2, message: '文件中没有数据行' }]);
    if (errorCount) {
      record.errorCount = errorCount;
      return await failed(errors, total);
    }
    return total;
  }

  /**
   * Records how far a pass got without holding it up (an update commits, and waits for the disk):
   * one update on its way at a time, a report arriving meanwhile is left out (the next one says more).
   * Only a running import's progress changes.
   */
  private progressOf(record: RegistryImport): (values: Pick<RegistryImport, 'processed'>) => void {
    let sending = false;
    return (values) => {
      if (sending) return;
      sending = true;
      void this.dataSource.manager
        .update(RegistryImport, { id: record.id, status: 'running' }, values)
        .catch((error: unknown) => this.logger.warn({ err: error, importId: record.id }, 'recording an import’s progress failed'))
        .finally(() => (sending = false));
    };
  }

  private async finish(
    record: RegistryImport,
    status: 'completed' | 'failed',
    errors: ApiRowError[],
    counts: Counts,
    total?: number,
  ): Promise<void> {
    // only a running import: the first outcome recorded stands (a holder that lost the job finds it taken)
    await this.dataSource.manager.update(
      RegistryImport,
      { id: record.id, status: 'running' },
      {
        status,
        errors,
        errorCount: status === 'failed' ? Math.max(record.errorCount, errors.length) : 0,
        ...counts,
        processed: total ?? record.processed,
        total: total ?? record.total,
        finishedAt: this.clock.now(),
      },
    );
  }

  private keyOf(kind: RegistryKind, row: RegistryRow): string {
    switch (kind) {
      case 'household':
        return (row as HouseholdRow).idNumber;
      case 'roster':
        return (row as RosterRow).studentNumber;
      case 'absence':
        return `${(row as AbsenceRow).studentNumber}@${(row as AbsenceRow).day}`;
      case 'poverty':
        return `${(row as PovertyRow).idNumber}@${(row as PovertyRow).category}`;
    }
  }

  /** Absences must name pupils on this county's rosters. */
  private async checkPupils(countyCode: string, rows: Array<{ line: number; row: AbsenceRow }>): Promise<ApiRowError[]> {
    if (!rows.length) return [];
    const numbers = [...new Set(rows.map((r) => r.row.studentNumber))];
    const found = await this.children.pupilsByStudentNumber(this.dataSource.manager, countyCode, numbers);
    const known = new Set(found.map((c) => c.studentNumber));
    return rows
      .filter((r) => !known.has(r.row.studentNumber))
      .map((r) => ({ line: r.line, column: '学籍号', message: `学籍号 ${r.row.studentNumber} 不在本县的学籍花名册中，请先导入学籍` }));
  }

  private async apply(manager: EntityManager, record: RegistryImport, rows: RegistryRow[], batch: RosterBatch): Promise<Counts> {
    switch (record.kind) {
      case 'household':
        return this.applyHousehold(manager, record, rows as HouseholdRow[]);
      case 'roster':
        return this.applyRoster(manager, record, rows as RosterRow[], batch);
      case 'absence':
        return this.applyAbsences(manager, record, rows as AbsenceRow[]);
      case 'poverty':
        return this.applyPoverty(manager, record, rows as PovertyRow[]);
    }
  }

  private async applyHousehold(manager: EntityManager, record: RegistryImport, rows: HouseholdRow[]): Promise<Counts> {
    const existing = await manager.findBy(HouseholdMember, { countyCode: record.countyCode, idNumber: In(rows.map((r) => r.idNumber)) });
    const byId = new Map(existing.map((m) => [m.idNumber!, m]));
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const inserts: HouseholdMember[] = [];
    for (const row of rows) {
      const values = {
        name: row.name,
        nameKey: nameKeyOf(row.name),
        sex: row.sex,
        birthDate: row.birthDate,
        villageCode: row.villageCode,
        guardianName: row.guardianName,
        guardianPhone: row.guardianPhone,
      };
      const found = byId.get(row.idNumber);
      if (!found) {
        inserts.push({ id: newId(), countyCode: record.countyCode, idNumber: row.idNumber, ...values, importId: record.id });
        counts.created++;
      } else if (sameValues(found as never, values)) counts.unchanged++;
      else {
        await manager.update(HouseholdMember, { id: found.id }, { ...values, importId: record.id });
        counts.updated++;
      }
    }
    await bulkInsert(manager, HouseholdMember, inserts);
    return counts;
  }

  /**
   * One child, one 学籍号: a roster row giving the ID number of an earlier row under another 学籍号
   * is wrong. A row whose 学籍号 is "G" + its ID number is found through `seen` (its 学籍号), so
   * only the other rows' ID numbers are kept.
   */
  private checkIdOnce(row: RosterRow, line: number, seen: Map<string, number>, seenIds: Map<string, number>, errors: ApiRowError[]): void {
    if (!row.idNumber) return;
    const own = row.studentNumber === `G${row.idNumber}`;
    const earlier = seenIds.get(row.idNumber) ?? (own ? undefined : seen.get(`G${row.idNumber}`));
    if (earlier !== undefined)
      errors.push({ line, column: '身份证号', message: `身份证号与第${earlier}行相同，但学籍号不同；同一个孩子只能有一个学籍号` });
    else if (!own) seenIds.set(row.idNumber, line);
  }

  /**
   * Pupils through the child registry (BRIEF §3a): a row's 学籍号 finds its pupil; else its ID
   * number, or its name with birth date and village or school, finds a child known from a tip or
   * the household list, who becomes the pupil rather than a second record. The roster is
   * authoritative for what it carries. A row whose 学籍号 and ID number belong to two records is
   * refused (the whole import with it).
   */
  private async applyRoster(
    manager: EntityManager,
    record: RegistryImport,
    rows: RosterRow[],
    { lines, rejected, unrostered }: RosterBatch,
  ): Promise<Counts> {
    const reports: BatchReport[] = rows.map((row) => ({
      name: row.name,
      sex: row.sex,
      idNumber: row.idNumber,
      studentNumber: row.studentNumber,
      birthDate: row.birthDate,
      birthYear: row.birthDate ? Number(row.birthDate.slice(0, 4)) : null,
      birthYearExact: !!row.birthDate,
      villageCode: row.villageCode,
      schoolId: row.schoolId,
      grade: row.grade,
      countyCode: record.countyCode,
      className: row.className,
      boarding: row.boarding,
    }));
    const resolved = await this.registry.resolveMany(manager, reports, 'roster', unrostered);
    const known = resolved.flatMap((r) => (r.child && !r.created ? [r.child.id] : []));
    const guardians = await this.children.rosterGuardiansOf(manager, known);
    const guardianOf = new Map(guardians.map((g) => [g.childId, g]));
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const newGuardians: RosterGuardianRow[] = [];
    const now = this.clock.now();
    for (const [i, row] of rows.entries()) {
      const outcome = resolved[i]!;
      if (!outcome.child) {
        rejected.push({ line: lines[i]!, column: '身份证号', message: ROSTER_CONFLICTS[outcome.conflict] });
        continue;
      }
      const child = outcome.child;
      if (outcome.created) {
        if (row.guardian) newGuardians.push({ id: newId(), childId: child.id, ...row.guardian, createdAt: now });
        counts.created++;
        continue;
      }
      const guardian = guardianOf.get(child.id);
      const guardianSame = row.guardian
        ? !!guardian &&
          guardian.name === row.guardian.name &&
          guardian.relation === row.guardian.relation &&
          guardian.phone === row.guardian.phone
        : true;
      if (!guardianSame) {
        if (guardian) await this.children.updateRosterGuardian(manager, guardian.id, row.guardian!);
        else newGuardians.push({ id: newId(), childId: child.id, ...row.guardian!, createdAt: now });
      }
      if (outcome.changed || !guardianSame) counts.updated++;
      else counts.unchanged++;
    }
    await this.children.insertRosterGuardians(manager, newGuardians);
    return counts;
  }

  private async applyAbsences(manager: EntityManager, record: RegistryImport, rows: AbsenceRow[]): Promise<Counts> {
    const children = await this.children.pupilsByStudentNumber(
      manager,
      record.countyCode,
      rows.map((r) => r.studentNumber),
    );
    const byNumber = new Map(children.map((c) => [c.studentNumber!, c]));
    const existing = await this.children.attendanceOn(
      manager,
      children.map((c) => c.id),
      [...new Set(rows.map((r) => r.day))],
    );
    const recorded = new Map(existing.map((a) => [`${a.childId}@${a.day}`, a]));
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const inserts: AttendanceRow[] = [];
    const now = this.clock.now();
    for (const row of rows) {
      const child = byNumber.get(row.studentNumber)!;
      const found = recorded.get(`${child.id}@${row.day}`);
      if (!found) {
        inserts.push({
          id: newId(),
          childId: child.id,
          schoolId: child.schoolId!,
          day: row.day,
          present: false,
          excused: row.excused,
          source: 'import',
          reason: null,
          rollCallId: null,
          recordedBy: record.createdBy,
          recordedAt: now,
        });
        counts.created++;
      } else if (!found.present && found.excused === row.excused) counts.unchanged++;
      else {
        await this.children.updateAttendanceDay(manager, found.id, {
          present: false,
          excused: row.excused,
          source: 'import',
          recordedAt: now,
        });
        counts.updated++;
      }
    }
    await this.children.insertAttendanceDays(manager, inserts);
    return counts;
  }

  private async applyPoverty(manager: EntityManager, record: RegistryImport, rows: PovertyRow[]): Promise<Counts> {
    const existing = await manager.findBy(PovertyRegistration, {
      countyCode: record.countyCode,
      idNumber: In(rows.map((r) => r.idNumber)),
    });
    const byKey = new Map(existing.map((p) => [`${p.idNumber}@${p.category}`, p]));
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const inserts: PovertyRegistration[] = [];
    for (const row of rows) {
      const found = byKey.get(`${row.idNumber}@${row.category}`);
      if (!found) {
        inserts.push({ id: newId(), countyCode: record.countyCode, ...row, importId: record.id });
        counts.created++;
      } else if (found.name === row.name && found.villageCode === row.villageCode) counts.unchanged++;
      else {
        await manager.update(PovertyRegistration, { id: found.id }, { name: row.name, villageCode: row.villageCode, importId: record.id });
        counts.updated++;
      }
    }
    await bulkInsert(manager, PovertyRegistration, inserts);
    return counts;
  }

  private async context(countyCode: string): Promise<RowContext> {
    const manager = this.dataSource.manager;
    const divisions = await this.divisions.townshipsAndVillagesOf(manager, countyCode);
    const townshipNames = new Map(divisions.filter((d) => d.level === 'township').map((d) => [d.code, d.name]));
    const villages = divisions.filter((d) => d.level === 'village');
    const schools = await this.schools.inCounty(manager, countyCode);
    return {
      countyCode,
      villages: new Map(villages.map((v) => [v.code, v.name])),
      villagesByName: new Map(villages.map((v) => [`${townshipNames.get(v.parentCode!) ?? ''}/${v.name}`, v.code])),
      schoolsByName: new Map(schools.map((s) => [s.name, s.id])),
      schoolsByCode: new Map(schools.flatMap((s) => (s.code ? [[s.code, s.id] as const] : []))),
      today: this.clock.now(),
    };
  }

  private async toViews(records: RegistryImport[]): Promise<ImportView[]> {
    const names = await this.users.displayNames(
      this.dataSource.manager,
      records.map((r) => r.createdBy),
    );
    return records.map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.fileName,
      status: r.status,
      processed: r.processed,
      total: r.total,
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      errors: r.errors,
      errorCount: r.errorCount,
      createdByName: names.get(r.createdBy) ?? null,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    }));
  }
}
