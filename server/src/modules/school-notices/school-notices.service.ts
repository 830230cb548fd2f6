import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pageLink, type ReceivedSchoolNoticeView, type SchoolNoticeView, type sendSchoolNoticeRequest } from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { ChildRecords, type GuardianshipRow } from '../children/child-records';
import { schoolNamesOf, userNamesOf } from '../children/lookups';
import { NotificationsService } from '../notifications/notifications.service';
import { SchoolRecords } from '../schools/school-records';
import { SchoolNotice, SchoolNoticeReceipt } from './school-notice.entities';
import { mapReceivedSchoolNotice, mapSchoolNotice } from './school-notice.mappers';
import { transactionWithRetry } from '../../database/transaction';

type SendInput = z.output<typeof sendSchoolNoticeRequest>;

const SCOPE = { division: 'sn.county_code', school: 'sn.school_id' } as const;

/**
 * Notices a school sends to the guardians of its pupils: the whole school, a grade or a class.
 * Each guardian bound in the app gets one copy (naming which of their children it concerns) and an
 * in-app message; the school sees how many have read it.
 */
@Injectable()
export class SchoolNoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly childRecords: ChildRecords,
    private readonly schoolRecords: SchoolRecords,
  ) {}

  async send(caller: Caller, input: SendInput): Promise<SchoolNoticeView> {
    requireRecordAccess(caller, 'send_school_notice');
    const unit = caller.unit;
    if (unit?.kind !== 'school') throw AppError.forbidden(); // the policy let in school staff only
    const now = this.clock.now();
    const id = newId(now.getTime());
    await transactionWithRetry(this.dataSource, async (manager) => {
      const school = await this.schoolRecords.getById(manager, unit.schoolId);
      const { audience } = input;
      const pupils = await this.childRecords.pupilNamesOf(manager, {
        schoolId: school.id,
        grade: audience.kind === 'school' ? undefined : audience.grade,
        className: audience.kind === 'class' ? audience.className : undefined,
      });
      if (!pupils.length) throw AppError.invalid({ audience: '所选范围内没有学生' });
      const guardianships: GuardianshipRow[] = [];
      for (let i = 0; i < pupils.length; i += 1000)
        guardianships.push(
          ...(await this.childRecords.guardiansOf(
            manager,
            pupils.slice(i, i + 1000).map((p) => p.id),
          )),
        );
      const names = new Map(pupils.map((p) => [p.id, p.name]));
      const byUser = new Map<string, string[]>();
      for (const g of guardianships) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), names.get(g.childId)!]);
      await manager.insert(SchoolNotice, {
        id,
        schoolId: school.id,
        countyCode: school.countyCode,
        audience: input.audience.kind,
        grade: input.audience.kind === 'school' ? null : input.audience.grade,
        className: input.audience.kind === 'class' ? input.audience.className : null,
        title: input.title,
        body: input.body,
        sentBy: caller.userId,
        sentAt: now,
        pupils: pupils.length,
        pupilsReached: new Set(guardianships.map((g) => g.childId)).size,
        recipients: byUser.size,
      });
      const receipts = [...byUser].map(([userId, childNames]) => ({ noticeId: id, userId, childNames, readAt: null }));
      for (let i = 0; i < receipts.length; i += 500) await manager.insert(SchoolNoticeReceipt, receipts.slice(i, i + 500));
      await this.notifications.notify(manager, [...byUser.keys()], {
        key: `school-notice:${id}`,
        title: `${school.name}：${input.title}`.slice(0, 64),
        body: input.body.length > 120 ? `${input.body.slice(0, 119)}…` : input.body,
        link: pageLink('parentSchoolNotices', { id }),
      });
      await this.audit.record(
        caller,
        { action: 'school_notice.send', targetType: 'school_notice', targetId: id, details: { recipients: byUser.size } },
        manager,
      );
    });
    return (await this.views(this.dataSource.manager, [await this.dataSource.manager.findOneByOrFail(SchoolNotice, { id })]))[0]!;
  }

  async list(caller: Caller, query: { cursor?: string; limit: number; schoolId?: string }) {
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(SchoolNotice, 'sn'), caller, 'read_school_notice', SCOPE)
      .orderBy('sn.id', 'DESC')
      .limit(query.limit + 1);
    if (query.schoolId) qb.andWhere('sn.school_id = :schoolId', { schoolId: query.schoolId });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('sn.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.views(this.dataSource.manager, page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  async get(caller: Caller, id: string): Promise<SchoolNoticeView> {
    const notice = await applyScope(this.dataSource.manager.createQueryBuilder(SchoolNotice, 'sn'), caller, 'read_school_notice', SCOPE)
      .andWhere('sn.id = :id', { id })
      .getOne();
    if (!notice) throw AppError.notFound();
    return (await this.views(this.dataSource.manager, [notice]))[0]!;
  }

  /** A parent's school notices, newest first, with unread markers. */
  async mine(caller: Caller, query: { cursor?: string; limit: number }) {
    const manager = this.dataSource.manager;
    const qb = manager
      .createQueryBuilder(SchoolNoticeReceipt, 'r')
      .where('r.user_id = :user', { user: caller.userId })
      .orderBy('r.notice_id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('r.notice_id < :cursorId', { cursorId: id });
    }
    const [rows, unread] = await Promise.all([
      qb.getMany(),
      manager
        .createQueryBuilder(SchoolNoticeReceipt, 'r')
        .where('r.user_id = :user AND r.read_at IS NULL', { user: caller.userId })
        .getCount(),
    ]);
    const page = rows.slice(0, query.limit);
    return {
      items: await this.received(manager, page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.noticeId]) : null,
      unread,
    };
  }

  async read(caller: Caller, id: string): Promise<ReceivedSchoolNoticeView> {
    const manager = this.dataSource.manager;
    const receipt = await manager.findOneBy(SchoolNoticeReceipt, { noticeId: id, userId: caller.userId });
    if (!receipt) throw AppError.notFound();
    if (!receipt.readAt) {
      receipt.readAt = this.clock.now();
      await manager
        .createQueryBuilder()
        .update(SchoolNoticeReceipt)
        .set({ readAt: receipt.readAt })
        .where('notice_id = :id AND user_id = :user AND read_at IS NULL', { id, user: caller.userId })
        .execute();
    }
    return (await this.received(manager, [receipt]))[0]!;
  }

  private async received(manager: EntityManager, receipts: SchoolNoticeReceipt[]): Promise<ReceivedSchoolNoticeView[]> {
    if (!receipts.length) return [];
    const notices = await manager.findBy(SchoolNotice, { id: In(receipts.map((r) => r.noticeId)) });
    const byId = new Map(notices.map((n) => [n.id, n]));
    const schools = await schoolNamesOf(
      manager,
      notices.map((n) => n.schoolId),
    );
    return receipts.map((r) => mapReceivedSchoolNotice(byId.get(r.noticeId)!, r, schools));
  }

  private async views(manager: EntityManager, notices: SchoolNotice[]): Promise<SchoolNoticeView[]> {
    if (!notices.length) return [];
    const ids = notices.map((n) => n.id);
    const [schools, senders, reads] = await Promise.all([
      schoolNamesOf(
        manager,
        notices.map((n) => n.schoolId),
      ),
      userNamesOf(
        manager,
        notices.map((n) => n.sentBy),
      ),
      manager
        .createQueryBuilder(SchoolNoticeReceipt, 'r')
        .select('r.notice_id', 'noticeId')
        .addSelect('COUNT(*)', 'read')
        .where('r.notice_id IN (:...ids) AND r.read_at IS NOT NULL', { ids })
        .groupBy('r.notice_id')
        .getRawMany<{ noticeId: string; read: number | string }>(),
    ]);
    const readCounts = new Map(reads.map((r) => [r.noticeId, Number(r.read)]));
    return notices.map((n) => mapSchoolNotice(n, { schoolNames: schools, userNames: senders, readCounts }));
  }
}
