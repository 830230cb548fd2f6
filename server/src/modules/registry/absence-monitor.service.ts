import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDay, pageLink, schoolDaysUpTo } from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logger';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { transactionWithRetry } from '../../database/transaction';
import { DivisionRecords } from '../divisions/division-records';
import { ChildRecords } from '../children/child-records';
import { schoolStaff } from '../accounts/recipients';
import { CaseRecords } from '../cases/case-records';
import { CaseRoutingService } from '../cases/case-routing.service';
import { CasesService } from '../cases/cases.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PupilChangeRecords } from '../pupil-changes/pupil-change-records';
import { SchoolCalendars } from '../school-calendar/school-calendars';
import { judgeAbsences, type AbsenceVerdict } from './absence-rules';

const BATCH = 500;

@Injectable()
export class AbsenceMonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private lastDay: string | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly notifications: NotificationsService,
    private readonly children: ChildRecords,
    private readonly caseRecords: CaseRecords,
    private readonly divisions: DivisionRecords,
    private readonly calendars: SchoolCalendars,
    private readonly pupilChanges: PupilChangeRecords,
  ) {}

  /** Once a day, every served county (off in tests, which call `run`). */
  onApplicationBootstrap(): void {
    if (this.config.outbox.pollMs <= 0) return;
    this.timer = setInterval(() => void this.daily(), 3_600_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async daily(): Promise<void> {
    const today = chinaDay(this.clock.now());
    if (this.lastDay === today) return;
    this.lastDay = today;
    for (const county of await this.divisions.servedCounties(this.dataSource.manager)) {
      await this.run(county.code, today).catch((error: unknown) =>
        this.logger.warn({ err: error, county: county.code }, 'absence monitoring failed'),
      );
    }
  }

  /** Applies the rules to every pupil of the county with recent unexcused absences. */
  async run(
    countyCode: string,
    today: string = chinaDay(this.clock.now()),
  ): Promise<{ alerts: number; opened: number; alreadyFollowed: number }> {
    const settings = await this.cases.settingsOf(countyCode);
    // school days by the county's calendar: holidays, vacations and days off break no streak and count for nothing
    const calendar = await this.calendars.of(this.dataSource.manager, countyCode);
    const window = schoolDaysUpTo(today, settings.absenceCaseWindowDays, calendar);
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
      const records = await this.children.unexcusedAbsencesOf(this.dataSource.manager, ids);
      const byChild = new Map<string, Set<string>>();
      for (const r of records)
        if (r.day >= window[0]! && r.day <= today) byChild.set(r.childId, (byChild.get(r.childId) ?? new Set()).add(r.day));
      for (const childId of ids) {
        const verdict = judgeAbsences(byChild.get(childId) ?? new Set(), today, settings, calendar);
        if (verdict.openCase) {
          const opened = await this.openCase(childId, countyCode, verdict);
          if (opened) result.opened++;
          else result.alreadyFollowed++;
        } else if (verdict.alert) {
          await this.alertSchool(childId, verdict.streak, verdict.streakStart!);
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

  /** Tells the child's school (once per streak) to contact the family. */
  private async alertSchool(childId: string, streak: number, streakStart: string): Promise<void> {
    const child = await this.children.getById(this.dataSource.manager, childId);
    if (!child.schoolId) return;
    const staff = await schoolStaff(this.dataSource.manager, child.schoolId);
    await this.dataSource.transaction((manager) =>
      this.notifications.notify(manager, staff, {
        // one alert per streak: the key names the day the streak started
        key: `absence-alert:${childId}:${streakStart}`,
        title: '学生连续缺勤，请联系家长',
        body: `${child.name}（${child.className ?? ''}）已连续${streak}个上学日未请假缺勤，请尽快联系家长了解情况。`,
        link: pageLink('messages'),
      }),
    );
  }
}
