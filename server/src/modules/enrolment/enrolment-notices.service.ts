import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ancestorDivisionCode, pageLink, type DeferralStatus, type DeferralView, type EnrolmentNoticeView } from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, inReadScope, readsBoundChildren } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { countyAdmins, divisionOfficials, HANDLING_POSITIONS } from '../accounts/recipients';
import { AuditService } from '../audit/audit.service';
import { boundChildIds, isGuardianOf } from '../children/child-access';
import { ChildRecords } from '../children/child-records';
import { schoolNamesOf } from '../children/lookups';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { UploadsService } from '../uploads/uploads.service';
import { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from './enrolment.entities';
import { mapDeferral, mapEnrolmentNotice } from './enrolment.mappers';
import { latestDeferrals, noticeState } from './enrolment.service';
import { NoticePdfService } from './notice-pdf.service';
import { transactionWithRetry } from '../../database/transaction';

const DEFERRAL_SCOPE = { division: 'COALESCE(d.village_code, d.county_code)' } as const;

/**
 * One child's enrolment notice: the parent reads it (first opening is recorded), acknowledges it
 * (回执), downloads it as PDF, and may apply for a deferral (延缓入学) with a document photo, which
 * the township or the county decides. Officials in scope read the same notice.
 */
@Injectable()
export class EnrolmentNoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly uploads: UploadsService,
    private readonly divisions: DivisionsService,
    private readonly pdf: NoticePdfService,
    private readonly childRecords: ChildRecords,
  ) {}

  async mine(caller: Caller): Promise<{ items: EnrolmentNoticeView[] }> {
    const manager = this.dataSource.manager;
    const childIds = await boundChildIds(manager, caller.userId);
    if (!childIds.length) return { items: [] };
    const notices = await manager.find(EnrolmentNotice, { where: { childId: In(childIds) }, order: { issuedAt: 'DESC' } });
    return { items: await this.views(manager, notices, caller) };
  }

  /** Opening it as a guardian marks it read; an official's reading is audited. */
  async get(caller: Caller, id: string): Promise<EnrolmentNoticeView> {
    const notice = await this.readable(caller, id);
    const manager = this.dataSource.manager;
    if (readsBoundChildren(caller, 'read_enrolment_notice')) {
      if (!notice.readAt) {
        notice.readAt = this.clock.now();
        await manager
          .createQueryBuilder()
          .update(EnrolmentNotice)
          .set({ readAt: notice.readAt })
          .where('id = :id AND read_at IS NULL', { id })
          .execute();
      }
    } else
      await this.audit.record(caller, {
        action: 'enrolment.notice.read',
        targetType: 'enrolment_notice',
        targetId: id,
        ...aboutChild(notice),
      });
    return (await this.views(manager, [notice], caller))[0]!;
  }

  async pdfOf(caller: Caller, id: string): Promise<{ fileName: string; content: Buffer }> {
    const notice = await this.readable(caller, id);
    const manager = this.dataSource.manager;
    const child = await this.childRecords.getById(manager, notice.childId);
    const schoolName = (await schoolNamesOf(manager, [notice.schoolId])).get(notice.schoolId) ?? '';
    const content = await this.pdf.render(
      [{ text: notice.text, childName: child.name, schoolName, bindingCode: child.bindingCode }],
      `${child.name}的入学通知书`,
    );
    await this.audit.record(caller, {
      action: 'enrolment.notice.pdf',
      targetType: 'enrolment_notice',
      targetId: id,
      ...aboutChild(notice),
    });
    return { fileName: `${child.name}入学通知书.pdf`, content };
  }

  /** 回执: once; a second acknowledgement changes nothing. */
  async acknowledge(caller: Caller, id: string): Promise<EnrolmentNoticeView> {
    const notice = await this.readable(caller, id);
    if (!notice.acknowledgedAt) {
      const now = this.clock.now();
      await transactionWithRetry(this.dataSource, async (manager) => {
        const first = await manager
          .createQueryBuilder()
          .update(EnrolmentNotice)
          .set({ acknowledgedAt: now, acknowledgedBy: caller.userId, readAt: notice.readAt ?? now })
          .where('id = :id AND acknowledged_at IS NULL', { id })
          .execute();
        if (first.affected === 1)
          await this.audit.record(
            caller,
            { action: 'enrolment.acknowledge', targetType: 'enrolment_notice', targetId: id, ...aboutChild(notice) },
            manager,
          );
      });
    }
    const manager = this.dataSource.manager;
    return (await this.views(manager, [await manager.findOneByOrFail(EnrolmentNotice, { id })], caller))[0]!;
  }

  async applyDeferral(caller: Caller, id: string, input: { reason: string; photoId: string }): Promise<EnrolmentNoticeView> {
    const notice = await this.readable(caller, id);
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (manager) => {
      const state = noticeState(notice, (await latestDeferrals(manager, [notice.id])).get(notice.id));
      if (state === 'deferred') throw new AppError('DEFERRAL_APPROVED');
      if (state === 'deferral_pending') throw new AppError('DEFERRAL_PENDING');
      const application: DeferralApplication = {
        id: newId(),
        noticeId: notice.id,
        childId: notice.childId,
        countyCode: notice.countyCode,
        villageCode: notice.villageCode,
        applicantId: caller.userId,
        reason: input.reason,
        photoId: input.photoId,
        status: 'pending',
        appliedAt: now,
        decidedBy: null,
        decidedUnit: null,
        decidedAt: null,
        decisionNote: null,
      };
      await this.uploads.attach(manager, input.photoId, caller.userId, 'deferral_document', application.id, 'photoId');
      await manager.insert(DeferralApplication, application);
      await this.audit.record(
        caller,
        { action: 'enrolment.deferral.apply', targetType: 'deferral', targetId: application.id, ...aboutChild(application) },
        manager,
      );
      await this.notifications.notify(manager, await this.deciders(manager, notice), {
        key: `deferral:${application.id}`,
        title: '延缓入学申请待审批',
        body: '有家长因孩子身体原因申请延缓入学，请审核证明材料后批准或不批准。',
        link: pageLink('deferrals'),
      });
    });
    const manager = this.dataSource.manager;
    return (await this.views(manager, [await manager.findOneByOrFail(EnrolmentNotice, { id })], caller))[0]!;
  }

  async deferrals(caller: Caller, status?: DeferralStatus): Promise<{ items: DeferralView[] }> {
    const manager = this.dataSource.manager;
    const qb = applyScope(manager.createQueryBuilder(DeferralApplication, 'd'), caller, 'read_deferral', DEFERRAL_SCOPE)
      .orderBy('d.applied_at', 'DESC')
      .limit(500);
    if (status) qb.andWhere('d.status = :status', { status });
    return { items: await this.deferralViews(manager, await qb.getMany()) };
  }

  /** The township government of the child's village, or the county education bureau (义务教育法 第十一条). */
  async decide(caller: Caller, id: string, input: { decision: 'approve' | 'refuse'; note: string | null }): Promise<DeferralView> {
    const manager = this.dataSource.manager;
    const application = await manager.findOneBy(DeferralApplication, { id });
    const visible =
      application &&
      (await applyScope(manager.createQueryBuilder(DeferralApplication, 'd'), caller, 'read_deferral', DEFERRAL_SCOPE)
        .andWhere('d.id = :id', { id })
        .getExists());
    if (!application || !visible) throw AppError.notFound();
    const unit = await this.decidingUnit(caller, application);
    if (application.status !== 'pending') throw new AppError('DEFERRAL_DECIDED');
    const now = this.clock.now();
    const status: DeferralStatus = input.decision === 'approve' ? 'approved' : 'refused';
    await transactionWithRetry(this.dataSource, async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(DeferralApplication)
        .set({ status, decidedBy: caller.userId, decidedUnit: unit, decidedAt: now, decisionNote: input.note })
        .where("id = :id AND status = 'pending'", { id })
        .execute();
      if (result.affected !== 1) throw new AppError('DEFERRAL_DECIDED');
      await this.audit.record(
        caller,
        { action: `enrolment.deferral.${input.decision}`, targetType: 'deferral', targetId: id, ...aboutChild(application) },
        tx,
      );
      const guardians = (await this.childRecords.guardiansOf(tx, [application.childId])).map((g) => g.userId);
      await this.notifications.notify(tx, guardians, {
        key: `deferral-decided:${id}`,
        title: status === 'approved' ? '延缓入学申请已批准' : '延缓入学申请未获批准',
        body:
          status === 'approved'
            ? `${unit}已批准延缓入学。${input.note ?? ''}`.trim()
            : `${unit}未批准延缓入学：${input.note ?? ''}请按通知书按时送孩子报到。`,
        link: pageLink('parentEnrolment', { id: application.noticeId }),
      });
    });
    return (await this.deferralViews(manager, [await manager.findOneByOrFail(DeferralApplication, { id })]))[0]!;
  }

  /** A notice the caller may read: a guardian's own child's, or one in an official's scope. Anything else is not found. */
  private async readable(caller: Caller, id: string): Promise<EnrolmentNotice> {
    const manager = this.dataSource.manager;
    const notice = await manager.findOneBy(EnrolmentNotice, { id });
    if (!notice) throw AppError.notFound();
    // a guardian through their bound child; officials by the place and school `NOTICE_SCOPE` reads
    const guardian = readsBoundChildren(caller, 'read_enrolment_notice') && (await isGuardianOf(manager, caller.userId, notice.childId));
    const record = { division: notice.villageCode ?? notice.countyCode, school: notice.schoolId, guardian };
    if (!inReadScope(caller, 'read_enrolment_notice', record)) throw AppError.notFound();
    return notice;
  }

  /** Only the township (its leader or cadres) or the county decides (`decide_deferral`); a village or a school may only read. */
  private async decidingUnit(caller: Caller, application: DeferralApplication): Promise<string> {
    const township = application.villageCode ? ancestorDivisionCode(application.villageCode, 'township') : null;
    const actors = requireRecordAccess(caller, 'decide_deferral', { countyCode: application.countyCode, divisionCode: township });
    if (actors.has('county_admin')) {
      const county = (await this.divisions.names([application.countyCode])).get(application.countyCode) ?? '';
      return `${county}教育局`;
    }
    // a leader or cadre of the application's township (the policy placed it there)
    return `${(await this.divisions.names([township!])).get(township!) ?? ''}人民政府`;
  }

  private async deciders(manager: EntityManager, notice: EnrolmentNotice): Promise<string[]> {
    const township = notice.villageCode ? ancestorDivisionCode(notice.villageCode, 'township') : null;
    return [
      ...(township ? await divisionOfficials(manager, [township], HANDLING_POSITIONS) : []),
      ...(await countyAdmins(manager, notice.countyCode)),
    ];
  }

  private async deferralViews(manager: EntityManager, rows: DeferralApplication[]): Promise<DeferralView[]> {
    if (!rows.length) return [];
    const notices = await manager.findBy(EnrolmentNotice, { id: In(rows.map((r) => r.noticeId)) });
    const noticeById = new Map(notices.map((n) => [n.id, n]));
    const [childNames, schools, villages] = await Promise.all([
      this.childRecords.namesOf(
        manager,
        rows.map((r) => r.childId),
      ),
      schoolNamesOf(
        manager,
        notices.map((n) => n.schoolId),
      ),
      this.divisions.names(
        rows.map((r) => r.villageCode).filter((c): c is string => !!c),
        manager,
      ),
    ]);
    const lookups = {
      childNames,
      schoolNames: schools,
      villageNames: villages,
      photoUrl: (photoId: string) => this.uploads.signedUrl(photoId),
    };
    return rows.map((r) => mapDeferral(r, noticeById.get(r.noticeId), lookups));
  }

  private async views(manager: EntityManager, notices: EnrolmentNotice[], caller: Caller): Promise<EnrolmentNoticeView[]> {
    if (!notices.length) return [];
    const [batches, names, schools, deferrals] = await Promise.all([
      manager.findBy(EnrolmentBatch, { id: In([...new Set(notices.map((n) => n.batchId))]) }),
      this.childRecords.namesOf(
        manager,
        notices.map((n) => n.childId),
      ),
      schoolNamesOf(
        manager,
        notices.map((n) => n.schoolId),
      ),
      latestDeferrals(
        manager,
        notices.map((n) => n.id),
      ),
    ]);
    const deferralViews = new Map((await this.deferralViews(manager, [...deferrals.values()])).map((d) => [d.noticeId, d] as const));
    const batchById = new Map(batches.map((b) => [b.id, b]));
    const guardian = readsBoundChildren(caller, 'read_enrolment_notice');
    return Promise.all(
      notices.map(async (n) => {
        const batch = batchById.get(n.batchId)!;
        const state = noticeState(n, deferrals.get(n.id));
        const mine = guardian && (await isGuardianOf(manager, caller.userId, n.childId));
        return mapEnrolmentNotice(n, batch, {
          state,
          guardian: mine,
          deferral: deferralViews.get(n.id) ?? null,
          childName: names.get(n.childId) ?? '',
          schoolName: schools.get(n.schoolId) ?? '',
        });
      }),
    );
  }
}

/** The child a notice or an application is about, and where it lies: what its audit entries name. */
function aboutChild(record: { childId: string; villageCode: string | null; countyCode: string }): { childId: string; placeCode: string } {
  return { childId: record.childId, placeCode: record.villageCode ?? record.countyCode };
}
