import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  chinaDay,
  countySettings,
  divisionLevelOf,
  divisionPrefix,
  parseIdNumber,
  type CaseDetail,
  type CountySettings,
  type createTipRequest,
  type OwnTipView,
  type TipMilestoneView,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { consumeQuota } from '../../common/quota/quota';
import { insertRows } from '../../database/sql';
import { transactionWithRetry } from '../../database/transaction';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { CaseRecords, type CaseRow } from '../cases/case-records';
import { CaseViewsService } from '../cases/case-views.service';
import { canSeeCase } from '../cases/case-access';
import { requireAccess } from '../cases/case-policy';
import { CaseRoutingService } from '../cases/case-routing.service';
import { CasesService } from '../cases/cases.service';
import type { ChildReport } from '../children/child-matching';
import { ChildRegistry } from '../children/child-registry.service';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';
import { UploadsService } from '../uploads/uploads.service';
import { Tip } from './tip.entity';
import { mapTipForSupervisor } from './tip.mappers';
import { TipMilestonesService } from './tip-milestones.service';

type TipInput = z.output<typeof createTipRequest>;

const CONFIRMED_OR_LATER = ['confirmed', 'persuading', 'escalated', 'returned', 'closed'];
const RETURNED_OR_LATER = ['returned', 'closed'];

const MESSAGES = {
  routed: '线索已提交，乡镇将尽快受理。感谢您的监督！',
  triage: '线索已提交，县教育局将尽快分派到乡镇。感谢您的监督！',
  followed: '这个孩子已有工作人员在跟进，您的线索已补充到现有案件。感谢您的监督！',
};

/** The tip's key was used before, by a tip found inside the transaction: answer with that one. */
class AlreadyStored extends Error {
  constructor(readonly tip: Tip) {
    super('tip already stored');
  }
}

/** A fingerprint of what was submitted: a retry matches it, a different tip under the same key does not. */
function requestHash(input: TipInput): string {
  const { idempotencyKey: _key, ...content } = input;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

@Injectable()
export class TipsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly routing: CaseRoutingService,
    private readonly children: ChildRegistry,
    private readonly divisions: DivisionsService,
    private readonly uploads: UploadsService,
    private readonly milestones: TipMilestonesService,
    private readonly views: CaseViewsService,
    private readonly audit: AuditService,
    private readonly users: UserRecords,
    private readonly schools: SchoolRecords,
    private readonly caseRecords: CaseRecords,
  ) {}

  /**
   * Stores a tip and routes it in one transaction. The same idempotency key returns the tip
   * already stored, so a flaky network never makes two.
   */
  async create(caller: Caller, input: TipInput): Promise<{ tip: OwnTipView; message: string; created: boolean }> {
    const hash = requestHash(input);
    const served = await this.cases.callerCountySettings(caller);
    const settings = served ?? countySettings(null);
    await this.checkPlace(input.divisionCode);
    if (input.child.lastSchoolId) await this.checkSchool(input.child.lastSchoolId);

    let stored: { tip: Tip; message: string; openedCase: boolean };
    try {
      stored = await transactionWithRetry(this.dataSource, (manager) =>
        this.store(manager, caller, input, hash, { settings, served: served !== null }),
      );
    } catch (error) {
      // A retry of a stored tip (also one racing its first submission) answers with the stored tip.
      if (error instanceof AlreadyStored) return this.replay(error.tip, hash);
      throw error;
    }
    // The row just written is the tip (no read back); a case opened by it has no milestone yet.
    const [tip] = await this.ownViews([stored.tip], stored.openedCase);
    return { tip: tip!, message: stored.message, created: true };
  }

  async mine(caller: Caller, query: { cursor?: string; limit: number }) {
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(Tip, 't'), caller, 'read_tip', { owner: 't.supervisor_id' })
      .orderBy('t.id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('t.id < :id', { id });
    }
    const [rows, stats] = await Promise.all([qb.getMany(), this.stats(caller)]);
    const page = rows.slice(0, query.limit);
    return {
      items: await this.ownViews(page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      stats,
    };
  }

  /** A supervisor's own tip; anyone else's reads as not found. */
  async getOwn(caller: Caller, id: string): Promise<OwnTipView> {
    const tip = await this.dataSource.manager.findOneBy(Tip, { id, supervisorId: caller.userId });
    if (!tip) throw AppError.notFound();
    return (await this.ownViews([tip]))[0]!;
  }

  /** Who sent a tip: only with a stated reason, recorded in the audit log and on the case. */
  async revealTipster(caller: Caller, id: string, reason: string): Promise<{ name: string; contact: string | null }> {
    const { tip, record } = await this.visibleTip(caller, id);
    requireAccess(caller, 'reveal_tipster', record);
    const supervisor = await this.users.getById(this.dataSource.manager, tip.supervisorId);
    await transactionWithRetry(this.dataSource, async (manager) => {
      await this.audit.record(
        caller,
        {
          action: 'tip.reveal_tipster',
          targetType: 'tip',
          targetId: tip.id,
          childId: record.childId,
          placeCode: record.routingCode,
          reason,
        },
        manager,
      );
      await this.cases.event(manager, tip.caseId, caller.userId, 'tipster_revealed', { reason });
    });
    return { name: supervisor.displayName, contact: tip.contact };
  }

  /** A tip wrongly attached to a case becomes a case of its own, routed like a new tip. */
  async split(caller: Caller, id: string, reason: string): Promise<CaseDetail> {
    const { tip, record } = await this.visibleTip(caller, id);
    requireAccess(caller, 'split', record);
    if (record.tipCount < 2) throw new AppError('TIP_SINGLE_ON_CASE');
    const supervisor = await this.users.getById(this.dataSource.manager, tip.supervisorId);
    const created = await transactionWithRetry(this.dataSource, async (manager) => {
      const child = await this.children.createSeparate(manager, this.reportOf(tip, record.countyCode));
      const decision = await this.routing.decide(manager, tip.divisionCode, supervisor.countyCode ?? record.countyCode);
      const opened = await this.cases.open(manager, {
        childId: child.id,
        priorityGroups: child.priorityGroups,
        source: 'tip',
        decision,
        schoolId: await this.servedSchool(manager, tip.lastSchoolId),
        actorId: caller.userId,
        tipCount: 1,
      });
      await manager.update(Tip, { id: tip.id }, { caseId: opened.id, alreadyFollowed: false });
      await this.caseRecords.changeTipCount(manager, record.id, -1);
      await this.cases.event(manager, record.id, caller.userId, 'split_out', { caseId: opened.id, reason });
      await this.cases.event(manager, opened.id, caller.userId, 'split_from', { caseId: record.id, reason });
      return opened;
    });
    // the new case may be routed outside the caller's area: then they see the case they split from
    return canSeeCase(caller, created) ? this.cases.get(caller, created.id) : this.cases.get(caller, record.id);
  }

  /**
   * The tip's transaction: the supervisor's daily allowance is taken first (its counter row makes
   * the supervisor's tips take turns), then the child is resolved in the registry and the tip joins
   * the child's open case or opens one. Both are held by unique keys: a race lost to a parallel tip
   * about the same child fails here and runs again, finding the winner's child and case. The tip's
   * idempotency key is held the same way, by the tip's unique (supervisor, key): a retry of a stored
   * tip fails there and answers with the stored one (its work rolled back). A new case is opened
   * last, after the tip naming it: its number locks the county's counter until the commit
   * (`CasesService.open`).
   */
  private async store(
    manager: EntityManager,
    caller: Caller,
    input: TipInput,
    hash: string,
    county: { settings: CountySettings; served: boolean },
  ): Promise<{ tip: Tip; message: string; openedCase: boolean }> {
    const now = this.clock.now();
    const { settings } = county;
    const dailyLimit = settings.tipsPerSupervisorPerDay;
    const allowed = await consumeQuota(manager, `tips:${caller.userId}`, chinaDay(now), dailyLimit);
    if (!allowed) {
      // a retry of a tip stored before the allowance ran out is still answered with that tip
      await this.throwIfStored(manager, caller, input.idempotencyKey);
      throw new AppError('TIP_DAILY_LIMIT', `每位监督员每天最多提交${dailyLimit}条线索，请明天再提交；紧急情况请直接联系乡镇或县教育局`);
    }
    const report = this.reportOf(
      {
        childName: input.child.name,
        childSex: input.child.sex,
        childIdNumber: input.child.idNumber,
        childAge: input.child.age,
        childGrade: input.child.grade,
        divisionCode: input.divisionCode,
        lastSchoolId: input.child.lastSchoolId,
        createdAt: now,
      },
      caller.countyCode,
    );
    const tipId = newId();
    const { child, created } = await this.children.resolve(manager, report, 'tip');
    // a child recorded just now has no case yet
    const existing = created ? null : await this.caseRecords.openCaseOf(manager, child.id);
    const caseId = existing?.id ?? newId();
    if (existing) {
      await this.caseRecords.changeTipCount(manager, existing.id, 1);
      await this.cases.event(manager, existing.id, null, 'tip_attached', { tipId });
    }
    const tip = manager.create(Tip, {
      id: tipId,
      supervisorId: caller.userId,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
      caseId,
      alreadyFollowed: !!existing,
      childName: input.child.name,
      childSex: input.child.sex,
      childAge: input.child.age,
      childGrade: input.child.grade,
      lastSchoolId: input.child.lastSchoolId,
      lastSchoolName: input.child.lastSchoolId ? null : input.child.lastSchoolName,
      childIdNumber: input.child.idNumber,
      divisionCode: input.divisionCode,
      locationNote: input.locationNote,
      observation: input.observation,
      contact: input.contact,
      photoId: input.photoId,
      createdAt: now,
    });
    try {
      await insertRows(manager, Tip, [tip]);
    } catch (error) {
      if (isDuplicateKey(error)) await this.throwIfStored(manager, caller, input.idempotencyKey);
      throw error;
    }
    if (input.photoId) await this.uploads.attach(manager, input.photoId, caller.userId, 'tip_evidence', tipId, 'photoId');
    if (existing) return { tip, message: MESSAGES.followed, openedCase: false };
    // a known child's own village routes the case when the tip names only its township or county
    const place =
      child.villageCode && (!input.divisionCode || child.villageCode.startsWith(divisionPrefix(input.divisionCode)))
        ? child.villageCode
        : input.divisionCode;
    const decision = await this.routing.decide(manager, place, caller.countyCode!, county.served ? caller.countyCode : null);
    await this.cases.open(
      manager,
      {
        id: caseId,
        childId: child.id,
        priorityGroups: child.priorityGroups,
        source: 'tip',
        decision,
        schoolId: await this.servedSchool(manager, input.child.lastSchoolId ?? child.schoolId),
        actorId: null,
        tipCount: 1,
      },
      { countyCode: caller.countyCode!, settings },
    );
    return { tip, message: decision.townshipCode ? MESSAGES.routed : MESSAGES.triage, openedCase: true };
  }

  /** The supervisor's tip under this key, if one is stored (also by a parallel request that just committed). */
  private async throwIfStored(manager: EntityManager, caller: Caller, idempotencyKey: string): Promise<void> {
    const earlier = await manager.findOneBy(Tip, { supervisorId: caller.userId, idempotencyKey });
    if (earlier) throw new AlreadyStored(earlier);
  }

  private async replay(stored: Tip, hash: string): Promise<{ tip: OwnTipView; message: string; created: boolean }> {
    if (stored.requestHash !== hash) throw new AppError('TIP_KEY_REUSED', undefined, { idempotencyKey: '提交编号重复' });
    const tip = (await this.ownViews([stored]))[0]!;
    return { tip, message: stored.alreadyFollowed ? MESSAGES.followed : '这条线索已提交过，无需重复提交。', created: false };
  }

  private async checkPlace(code: string | null): Promise<void> {
    if (!code) return;
    const level = divisionLevelOf(code);
    if (level !== 'county' && level !== 'township' && level !== 'village') throw AppError.invalid({ divisionCode: '请选择到县、乡镇或村' });
    if (!(await this.divisions.exists(code))) throw AppError.invalid({ divisionCode: '所选地区不存在，请重新选择' });
  }

  private async checkSchool(id: string): Promise<void> {
    if (!(await this.schools.exists(this.dataSource.manager, id)))
      throw AppError.invalid({ 'child.lastSchoolId': '所选学校不存在，请重新选择' });
  }

  /** The school of the education line: only one of a served county. */
  private async servedSchool(manager: EntityManager, id: string | null): Promise<string | null> {
    if (!id) return null;
    const school = await this.schools.findById(manager, id);
    return school && (await this.divisions.isServedCounty(school.countyCode, manager)) ? school.id : null;
  }

  /** What a tip says about the child, for the registry. */
  private reportOf(
    tip: Pick<Tip, 'childName' | 'childSex' | 'childIdNumber' | 'childAge' | 'childGrade' | 'divisionCode' | 'lastSchoolId' | 'createdAt'>,
    countyCode: string | null,
  ): ChildReport {
    const id = tip.childIdNumber ? parseIdNumber(tip.childIdNumber) : null;
    const birthDate = id?.ok ? id.birthDate : null;
    const estimatedYear = tip.childAge !== null ? Number(chinaDay(tip.createdAt).slice(0, 4)) - tip.childAge : null;
    return {
      name: tip.childName,
      sex: tip.childSex === 'unknown' && id?.ok ? id.sex : tip.childSex,
      idNumber: tip.childIdNumber,
      studentNumber: null,
      birthDate,
      birthYear: birthDate ? Number(birthDate.slice(0, 4)) : estimatedYear,
      birthYearExact: birthDate !== null,
      villageCode: tip.divisionCode && divisionLevelOf(tip.divisionCode) === 'village' ? tip.divisionCode : null,
      schoolId: tip.lastSchoolId,
      grade: tip.childGrade,
      countyCode,
    };
  }

  /** A tip and its case, for an official who may see the case. */
  private async visibleTip(caller: Caller, id: string): Promise<{ tip: Tip; record: CaseRow }> {
    const tip = await this.dataSource.manager.findOneBy(Tip, { id });
    const record = tip ? await this.caseRecords.findById(this.dataSource.manager, tip.caseId) : null;
    if (!tip || !record || !canSeeCase(caller, record)) throw AppError.notFound();
    return { tip, record };
  }

  /**
   * The supervisor's record (BRIEF §3): tips sent, and the children they were about that were
   * confirmed dropped out or are back at school: two tips about one child count that child once.
   */
  private async stats(caller: Caller): Promise<{ sent: number; confirmed: number; returned: number }> {
    const children = (statuses: readonly string[]) => {
      const query = this.dataSource.manager.createQueryBuilder(Tip, 't');
      this.caseRecords.joinCases(query, 'c', 'c.id = t.case_id');
      return query
        .select('COUNT(DISTINCT c.child_id)', 'count')
        .where('t.supervisor_id = :me', { me: caller.userId })
        .andWhere('c.status IN (:...statuses)', { statuses })
        .getRawOne<{ count: string | number }>();
    };
    const [sent, confirmed, returned] = await Promise.all([
      this.dataSource.manager.countBy(Tip, { supervisorId: caller.userId }),
      children(CONFIRMED_OR_LATER),
      children(RETURNED_OR_LATER),
    ]);
    return { sent, confirmed: Number(confirmed?.count ?? 0), returned: Number(returned?.count ?? 0) };
  }

  /** `newCases`: every tip opened its case just now, so the only milestone is its own receipt. */
  private async ownViews(tips: Tip[], newCases = false): Promise<OwnTipView[]> {
    const manager = this.dataSource.manager;
    const [milestones, places, schools] = await Promise.all([
      newCases ? new Map<string, TipMilestoneView[]>() : this.milestones.forTips(manager, tips),
      this.divisions.fullNames(tips.flatMap((t) => (t.divisionCode ? [t.divisionCode] : []))),
      this.views.schoolNames(
        manager,
        tips.map((t) => t.lastSchoolId),
      ),
    ]);
    const lookups = { schoolNames: schools, places, photoUrl: (id: string) => this.uploads.signedUrl(id) };
    return tips.map((t) => mapTipForSupervisor(t, lookups, milestones.get(t.id)));
  }
}
