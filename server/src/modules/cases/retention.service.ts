import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { countySettings, FINISHED_CASE_STATUSES, PSEUDONYMISED_TEXT } from '@baoxue/shared';
import type { Logger } from 'pino';
import { Brackets, In, IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logger';
import { JobRunner } from '../../common/jobs/job-runner';
import { AuditService } from '../audit/audit.service';
import { ChildRecords } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { DivisionRecords } from '../divisions/division-records';
import { NotificationRecords } from '../notifications/notification-records';
import { UploadRecords } from '../uploads/upload-records';
import { UploadsService } from '../uploads/uploads.service';
import { CaseRetentionFollowers } from './case-retention-followers';
import { CaseTipRecords } from './case-tips';
import { CaseEvent, CaseNotice, CaseRouting, CaseTransfer, CaseVisit, DropoutCase } from './case.entity';
import { snapshotTransaction } from '../../database/transaction';

/** Cases handled per transaction: small enough to keep locks short on a county's first run. */
const BATCH = 100;
/**
 * Free-text keys of case events: reasons, notes, who received a notice, the evidence a case closed
 * on, a school's contacts with the family (`contactSummary`) and a 学籍异动 (`summary`).
 */
const EVENT_TEXT_KEYS = ['note', 'reason', 'receivedBy', 'evidence', 'contactSummary', 'summary'];

export interface RetentionResult {
  cases: number;
  photos: number;
}

/**
 * Retention (BRIEF §7): once a finished case (closed, not a dropout, or merged away) is older than
 * the county's `retentionYears`, everything in it that names or describes a person is replaced —
 * the child's name and ID number on its tips, the tipsters' observations, addresses and contacts,
 * visit notes, notice texts, reasons, and the messages about it — and its photos are deleted.
 * What remains (dates, places, statuses, causes) keeps the statistics true. The child's own record
 * goes too when nothing else needs it: not on a school roster, no guardian, no other live case.
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly uploads: UploadsService,
    private readonly children: ChildRegistry,
    private readonly caseTips: CaseTipRecords,
    private readonly childRecords: ChildRecords,
    private readonly divisionRecords: DivisionRecords,
    private readonly notificationRecords: NotificationRecords,
    private readonly uploadRecords: UploadRecords,
    private readonly followers: CaseRetentionFollowers,
    @Inject(LOGGER) private readonly logger: Logger,
    jobs: JobRunner,
  ) {
    // once an hour across every instance (off in tests, which drive it by hand)
    jobs.every('retention', 'hour', () => this.run());
  }

  /** One pass over every served county; safe to repeat (a pseudonymised case is never touched again). */
  async run(): Promise<RetentionResult> {
    const total: RetentionResult = { cases: 0, photos: 0 };
    for (const county of await this.divisionRecords.servedCounties(this.dataSource.manager)) {
      const years = countySettings(county.settings).retentionYears;
      const cutoff = yearsBefore(this.clock.now(), years);
      const result = await this.runCounty(county.code, cutoff);
      if (result.cases === 0) continue;
      total.cases += result.cases;
      total.photos += result.photos;
      await this.audit.record(null, {
        action: 'retention.pseudonymise',
        targetType: 'county',
        targetId: county.code,
        placeCode: county.code,
        details: { cases: result.cases, photos: result.photos, retentionYears: years },
      });
      this.logger.info({ county: county.code, ...result }, 'finished cases pseudonymised');
    }
    return total;
  }

  private async runCounty(countyCode: string, cutoff: Date): Promise<RetentionResult> {
    const result: RetentionResult = { cases: 0, photos: 0 };
    for (;;) {
      const due = await this.dataSource.manager
        .createQueryBuilder(DropoutCase, 'c')
        .select(['c.id', 'c.childId'])
        .where('c.county_code = :countyCode AND c.closed_at < :cutoff AND c.pseudonymised_at IS NULL', { countyCode, cutoff })
        .andWhere(
          new Brackets((qb) =>
            qb.where('c.status IN (:...finished)', { finished: FINISHED_CASE_STATUSES }).orWhere('c.merged_into_id IS NOT NULL'),
          ),
        )
        .orderBy('c.closed_at', 'ASC')
        .limit(BATCH)
        .getMany();
      if (due.length === 0) return result;
      const photos = await snapshotTransaction(this.dataSource, async (manager) => {
        const ids = await this.pseudonymise(manager, due);
        // The files go before the commit: a store that fails rolls the batch back, and the next run
        // deletes them again (a file already gone is fine). After it, a failure would leave a photo
        // kept for ever with no row naming it.
        await this.uploads.removeFiles(ids);
        return ids;
      });
      result.cases += due.length;
      result.photos += photos.length;
    }
  }

  /** Strips a batch of cases; returns the ids of the photos to delete once committed. */
  private async pseudonymise(manager: EntityManager, cases: Array<Pick<DropoutCase, 'id' | 'childId'>>): Promise<string[]> {
    const caseIds = cases.map((c) => c.id);
    const notices = await manager.find(CaseNotice, { where: { caseId: In(caseIds) }, select: { id: true } });
    const { tipIds, photoIds: photos } = await this.caseTips.pseudonymise(manager, caseIds);
    await this.uploadRecords.deleteByIds(manager, photos);
    await manager.update(
      CaseVisit,
      { caseId: In(caseIds) },
      { visitors: PSEUDONYMISED_TEXT, met: PSEUDONYMISED_TEXT, statedReason: PSEUDONYMISED_TEXT, commitments: null },
    );
    await manager.update(CaseNotice, { caseId: In(caseIds) }, { text: PSEUDONYMISED_TEXT, receivedBy: null });
    await manager.update(CaseRouting, { caseId: In(caseIds), reason: Not(IsNull()) }, { reason: PSEUDONYMISED_TEXT });
    await manager.update(CaseTransfer, { caseId: In(caseIds) }, { reason: PSEUDONYMISED_TEXT, decisionNote: null });
    for (const event of await manager.find(CaseEvent, { where: { caseId: In(caseIds) }, select: { id: true, data: true } })) {
      if (!event.data || !EVENT_TEXT_KEYS.some((key) => typeof event.data![key] === 'string')) continue;
      const data = { ...event.data };
      for (const key of EVENT_TEXT_KEYS) if (typeof data[key] === 'string') data[key] = PSEUDONYMISED_TEXT;
      await manager.update(CaseEvent, { id: event.id }, { data });
    }
    // messages that named the child: to officials (the case), supervisors (their tip), parents (the notice)
    await this.notificationRecords.pseudonymiseLinkedTo(manager, [...caseIds, ...tipIds, ...notices.map((n) => n.id)]);
    // copies other modules keep (a school's report of the pupil)
    await this.followers.pseudonymiseCases(manager, caseIds);
    await manager.update(DropoutCase, { id: In(caseIds) }, { pseudonymisedAt: this.clock.now() });
    await this.forgetChildren(manager, [...new Set(cases.map((c) => c.childId))]);
    return photos;
  }

  /** Children known only through these cases: not on a roster, no guardian or bound parent, no case still kept. */
  private async forgetChildren(manager: EntityManager, childIds: string[]): Promise<void> {
    const ids = await this.childRecords.unrosteredWithoutGuardians(manager, childIds);
    if (ids.length === 0) return;
    const kept = new Set(
      (await manager.find(DropoutCase, { where: { childId: In(ids), pseudonymisedAt: IsNull() }, select: { childId: true } })).map(
        (c) => c.childId,
      ),
    );
    const forget = ids.filter((id) => !kept.has(id));
    if (forget.length === 0) return;
    await this.children.forget(manager, forget);
  }
}

/** The same calendar moment `years` earlier (29 February falls back to the 28th). */
export function yearsBefore(now: Date, years: number): Date {
  const then = new Date(now);
  then.setUTCFullYear(now.getUTCFullYear() - years);
  if (then.getUTCDate() !== now.getUTCDate()) then.setUTCDate(0);
  return then;
}
