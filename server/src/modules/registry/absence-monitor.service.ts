import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDay, schoolDaysUpTo } from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Clock } from '../../common/clock';
import { JobRunner } from '../../common/jobs/job-runner';
import { LOGGER } from '../../common/logging/logger';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { transactionWithRetry } from '../../database/transaction';
import { DivisionRecords } from '../divisions/division-records';
import { AttendanceService, type KnownDay } from '../children/attendance.service';
import { ChildRecords, type ChildRow } from '../children/child-records';
import { CaseRecords } from '../cases/case-records';
import { CaseRoutingService } from '../cases/case-routing.service';
import { CasesService } from '../cases/cases.service';
import { PupilChangeRecords } from '../pupil-changes/pupil-change-records';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { AbsenceAlerts } from '../school-line/absence-alerts.service';
import { judgeAbsences, type AbsenceVerdict } from './absence-rules';

const BATCH = 500;

@Injectable()
export class AbsenceMonitorService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly attendance: AttendanceService,
    private readonly alerts: AbsenceAlerts,
    private readonly children: ChildRecords,
    private readonly caseRecords: CaseRecords,
    private readonly divisions: DivisionRecords,
    private readonly calendars: SchoolCalendars,
    private readonly pupilChanges: PupilChangeRecords,
    jobs: JobRunner,
  ) {
    // once a China day by one instance of all (off in tests, which call `run`); a run taken over repeats
    // safely: alerts are one per streak and a case is one per child (the open-case claim)
    jobs.every('absence_rules', 'day', () => this.daily());
  }

  private async daily(): Promise<void> {
    const today = chinaDay(this.clock.now());
    for (const county of await this.divisions.servedCounties(this.dataSource.manager)) {
      await this.run(county.code, today).catch((error: unknown) =>
        this.logger.warn({ err: error, county: county.code }, 'absence monitoring failed'),
      );
    }
  }

  /**
   * Applies the rules to every pupil of the county with recent unexcused absences, reading their
   * days as the roll call does (AttendanceService.streakDaysOf): a streak that reaches the county's
   * limit raises the same absence alert as after a roll call (AbsenceAlerts: one per streak).
   */
  async run(
    countyCode: string,
    today: string = chinaDay(this.clock.now()),
  ): Promise<{ alerts: number; opened: number; alreadyFollowed: number }> {
    const settings = await this.cases.settingsOf(countyCode);
    // school days by the county's calendar: holidays, vacations and days off break no streak and count for nothing
    const calendar = await this.calendars.of(this.dataSource.manager, countyCode);
    // the window and, before it, as many school days again for a streak that began earlier (judgeAbsences)
    const days = schoolDaysUpTo(today, 2 * settings.absenceCaseWindowDays, calendar);
    const window = days.slice(-settings.absenceCaseWindowDays);
    const result = { alerts: 0, opened: 0, alreadyFollowed: 0 };
    if (!window.length) return result;
    const candidates = await this.children.unexcusedAbsentees(
      this.dataSource.manager,
      countyCode,
      window[0]!,
      today,
      Math.min(settings.absenceReportDays, settings.absenceCaseMinDays),
    );
    for (let i = 0; i < candidates.length; i += BATCH) {
      // a pupil away by an effective 学籍异动 (休学, moved away) is no longer absent
      const away = await this.pupilChanges.excludedChildren(this.dataSource.manager, candidates.slice(i, i + BATCH));
      const ids = candidates.slice(i, i + BATCH).filter((id) => !away.has(id));
      const pupils = await this.children.findByIds(this.dataSource.manager, ids);
      const known = await this.attendance.streakDaysOf(this.dataSource.manager, pupils, days[0]!, today, calendar);
      for (const pupil of pupils) {
        const { unexcused, uncounted, lastAbsentDay } = absenceDays(days, known.get(pupil.id) ?? []);
        const verdict = judgeAbsences(unexcused, today, settings, calendar, uncounted);
        if (verdict.openCase) {
          const opened = await this.openCase(pupil.id, countyCode, verdict);
          if (opened) result.opened++;
          else result.alreadyFollowed++;
        } else if (verdict.alert && lastAbsentDay && (await this.alertSchool(pupil, countyCode, verdict, lastAbsentDay))) {
          result.alerts++;
        }
      }
    }
    return result;
  }

  /**
   * Opens a suspected-dropout case unless the child already has an open one: then the absences are
   * added to that case (once per streak). The child's open-case claim (a unique key) decides a race
   * with a tip or another run: the loser runs again, finds the winner's case and adds to it, or if
   * it still loses, counts the child as already followed.
   */
  private async openCase(childId: string, countyCode: string, verdict: AbsenceVerdict): Promise<boolean> {
    try {
      return await transactionWithRetry(this.dataSource, async (manager) => {
        const open = await this.caseRecords.openCaseOf(manager, childId);
        if (open) {
          await this.reportAbsences(manager, open.id, verdict);
          return false;
        }
        const child = await this.children.getById(manager, childId);
        const decision = await this.routing.decide(manager, child.villageCode, countyCode);
        const opened = await this.cases.open(manager, {
          childId,
          priorityGroups: child.priorityGroups,
          source: 'absence',
          decision,
          schoolId: child.schoolId,
          actorId: null,
          tipCount: 0,
        });
        await this.reportAbsences(manager, opened.id, verdict);
        return true;
      });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The streak on the case's timeline, once per streak (the day it began tells it apart). */
  private async reportAbsences(manager: EntityManager, caseId: string, verdict: AbsenceVerdict): Promise<void> {
    const reported = await this.caseRecords.eventsOf(manager, [caseId], ['absences_reported']);
    if (reported.some((e) => e.data?.streakStart === verdict.streakStart)) return;
    await this.cases.event(manager, caseId, null, 'absences_reported', {
      streak: verdict.streak,
      streakStart: verdict.streakStart,
      inWindow: verdict.inWindow,
    });
  }

  /**
   * Tells the child's school to contact the family: the absence alert of the streak, as a roll call
   * raises it (the class's 班主任 and the school's leaders told once). A pupil the roster places in
   * no grade is in no class to follow. True when the alert is new.
   */
  private async alertSchool(child: ChildRow, countyCode: string, verdict: AbsenceVerdict, lastAbsentDay: string): Promise<boolean> {
    if (!child.schoolId || child.grade === null || !verdict.streakStart) return false;
    return this.alerts.raiseAlert({
      countyCode: child.countyCode ?? countyCode,
      schoolId: child.schoolId,
      grade: child.grade,
      // a pupil the roster names no class of: the school's leaders follow it
      className: child.className ?? '',
      childId: child.id,
      childName: child.name,
      streak: verdict.streak,
      streakStart: verdict.streakStart,
      lastAbsentDay,
    });
  }
}

/**
 * The known days as the rules count them: unexcused absences; excused ones and school days not
 * known (no roll call of the class) count for nothing and break nothing; the others were present.
 */
function absenceDays(
  days: readonly string[],
  known: readonly KnownDay[],
): { unexcused: Set<string>; uncounted: Set<string>; lastAbsentDay: string | null } {
  const unexcused = new Set<string>();
  const uncounted = new Set(days);
  let lastAbsentDay: string | null = null;
  for (const day of known) {
    if (!day.present && !day.excused) {
      unexcused.add(day.day);
      lastAbsentDay = day.day;
    }
    if (day.present || !day.excused) uncounted.delete(day.day);
  }
  return { unexcused, uncounted, lastAbsentDay };
}
