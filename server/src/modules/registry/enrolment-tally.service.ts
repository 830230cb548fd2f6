import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { divisionPrefix } from '@baoxue/shared';
import type { Logger } from 'pino';
import { In, type DataSource } from 'typeorm';
import { JobRunner } from '../../common/jobs/job-runner';
import { takeTurn } from '../../common/quota/quota';
import { LOGGER } from '../../common/logging/logger';
import { chunks } from '../../common/sql/chunks';
import { bulkInsert } from '../../database/bulk-insert';
import { selectRows } from '../../database/sql';
import { ChildRecords } from '../children/child-records';
import { EnrolmentTally, EnrolmentTallyChange } from './registry.entities';
import { snapshotTransaction } from '../../database/transaction';

/** Children of these households count as poor in the statistics (BRIEF §5). */
const POOR_GROUPS = ['registered_poor', 'monitored'];
/** A recount that keeps losing the race against writers gives up; the next request tries again. */
const MAX_RECOUNTS = 3;
/** The row recounts take turns on (`takeTurn`). */
export const RECOUNT_TURN = 'enrolment_tallies';

export function isPoor(priorityGroups: string): boolean {
  return POOR_GROUPS.some((group) => String(priorityGroups).includes(`"${group}"`));
}

/** `isPoor` in SQL over a priority-groups column: 1 or 0, so a query can group by it instead of the JSON text. */
export function poorSql(column: string): string {
  return `CASE WHEN ${POOR_GROUPS.map((group) => `${column} LIKE '%"${group}"%'`).join(' OR ')} THEN 1 ELSE 0 END`;
}

/**
 * Keeps the enrolment tallies true. Writes to pupils leave change rows naming their county
 * (EnrolmentTallySubscriber); before the statistics read the tallies, any change not yet counted
 * makes them recount the pupils of the counties changed in one consistent read — a province's other
 * counties are not read again — and a timer recounts in the background so a request rarely waits.
 */
@Injectable()
export class EnrolmentTallyService implements OnApplicationShutdown {
  private recounting: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly children: ChildRecords,
    jobs: JobRunner,
  ) {
    // once a minute by one instance of all (off in tests with the other schedules)
    jobs.every('enrolment_tallies', 'minute', () => this.ensureCurrent());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.recounting;
  }

  /** Resolves once the tallies count every change committed before the call. */
  async ensureCurrent(): Promise<void> {
    for (let attempt = 0; attempt < MAX_RECOUNTS; attempt++) {
      if (!(await this.dataSource.manager.exists(EnrolmentTallyChange))) return;
      // one recount per process at a time; a caller that arrived during it checks again after
      this.recounting ??= this.recount().finally(() => (this.recounting = null));
      await this.recounting;
    }
  }

  /**
   * Pupils on the roster now, by stage (grades 1–6, 7–9), of a school or of a division — where the
   * pupils live, else their school's township, as the statistics place them: a periodic report's
   * enrolment (BRIEF §5a), one grouped statement over the tallies.
   */
  async enrolledByStage(unit: { schoolId: string } | { divisionCode: string }): Promise<{ primary: number; junior: number }> {
    await this.ensureCurrent();
    const place = "COALESCE(NULLIF(t.village_code, ''), s.township_code)";
    const where =
      'schoolId' in unit
        ? { sql: 't.school_id = ?', values: [unit.schoolId] }
        : {
            sql: `t.county_code = ? AND ${place} LIKE ?`,
            values: [`${unit.divisionCode.slice(0, 6)}000000`, `${divisionPrefix(unit.divisionCode)}%`],
          };
    const [row] = await selectRows<{ primary_pupils: number | string | null; junior_pupils: number | string | null }>(
      this.dataSource.manager,
      `SELECT SUM(CASE WHEN t.grade <= 6 THEN t.pupils ELSE 0 END) AS primary_pupils, SUM(CASE WHEN t.grade >= 7 THEN t.pupils ELSE 0 END) AS junior_pupils
       FROM enrolment_tallies t LEFT JOIN schools s ON s.id = t.school_id WHERE ${where.sql}`,
      where.values,
    );
    return { primary: Number(row?.primary_pupils ?? 0), junior: Number(row?.junior_pupils ?? 0) };
  }

  /**
   * Counts again the pupils of every county a change row names (every pupil when one names none). The
   * change rows and the pupils are read in one transaction (one snapshot on MySQL), so only the changes
   * this count saw are cleared; later ones stay. Recounts take turns (a row lock taken before the
   * snapshot): two instances recounting at once could otherwise write an older count over a newer one
   * after the newer had cleared the change it counted.
   */
  private async recount(): Promise<void> {
    const started = performance.now();
    const counted = await snapshotTransaction(this.dataSource, async (manager) => {
      // one recount at a time across instances, its snapshot taken after the one before committed
      await takeTurn(manager, RECOUNT_TURN);
      const seen = await manager.find(EnrolmentTallyChange, { select: { id: true, countyCode: true } });
      // the instance before this one counted them all while this one waited its turn
      if (seen.length === 0) return null;
      const named = new Set(seen.map((change) => change.countyCode));
      const counties = named.has(null) ? null : ([...named] as string[]);
      const rows = await this.children.pupilCounts(manager, counties);
      const tallies = new Map<string, EnrolmentTally>();
      for (const row of rows) {
        const tally: EnrolmentTally = {
          countyCode: row.county,
          villageCode: row.village ?? '',
          schoolId: row.school ?? '',
          grade: Number(row.grade),
          poor: isPoor(row.groups),
          pupils: 0,
        };
        const key = `${tally.countyCode}|${tally.villageCode}|${tally.schoolId}|${tally.grade}|${tally.poor}`;
        const found = tallies.get(key);
        if (found) found.pupils += Number(row.count);
        else tallies.set(key, { ...tally, pupils: Number(row.count) });
      }
      const cleared = manager.createQueryBuilder().delete().from(EnrolmentTally);
      if (counties) cleared.where({ countyCode: In(counties) });
      await cleared.execute();
      await bulkInsert(manager, EnrolmentTally, [...tallies.values()]);
      for (const chunk of chunks(seen.map((change) => change.id))) await manager.delete(EnrolmentTallyChange, { id: In(chunk) });
      return { pupils: [...tallies.values()].reduce((sum, t) => sum + t.pupils, 0), counties };
    });
    if (!counted) return;
    const { pupils, counties } = counted;
    this.logger.info({ pupils, counties: counties ?? 'all', ms: Math.round(performance.now() - started) }, 'enrolment tallies recounted');
  }
}
