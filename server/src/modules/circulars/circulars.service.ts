import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CIRCULAR_TABLES,
  chinaDay,
  formatCircularNumber,
  pageLink,
  type CircularSummary,
  type CircularView,
  type publishCircularRequest,
} from '@baoxue/shared';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { transactionWithRetry } from '../../database/transaction';
import { countyUnitHeadsAndSchoolStaff } from '../accounts/recipients';
import { AuditService } from '../audit/audit.service';
import { userNamesOf } from '../children/lookups';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { Circular, CircularReceipt } from './circular.entities';
import { reserveCircularNumber } from './circular-numbers';
import { CircularPdfService } from './circular-pdf.service';

type PublishInput = z.output<typeof publishCircularRequest>;

/**
 * 通报 (BRIEF §5a): the county education bureau publishes the scorecard of a period to every township
 * leader and every school's staff of the county. The scorecard is recomputed when published and kept
 * as it stood (a locked snapshot: later case work never changes it), numbered from the county's yearly
 * counter, and sent in the same transaction: the copy (receipt) and the in-app message of each
 * recipient commit with it or not at all, and an idempotency key makes a retried publication one.
 */
@Injectable()
export class CircularsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly scorecards: ScorecardsService,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly pdf: CircularPdfService,
  ) {}

  async publish(caller: Caller, input: PublishInput): Promise<CircularView> {
    const countyCode = requireCountyAccess(caller, 'publish_circular');
    const manager = this.dataSource.manager;
    const earlier = await manager.findOneBy(Circular, { countyCode, idempotencyKey: input.idempotencyKey });
    if (earlier) return this.view(manager, earlier);

    const scorecard = await this.scorecards.scorecard(caller, { by: input.by, from: input.from, to: input.to });
    const id = await transactionWithRetry(this.dataSource, async (tx) => {
      // a publication that raced this one under the same key won the unique key: this retry returns it
      const stored = await tx.findOneBy(Circular, { countyCode, idempotencyKey: input.idempotencyKey });
      if (stored) return stored.id;
      const now = this.clock.now();
      const year = Number(chinaDay(now).slice(0, 4));
      const sequence = await reserveCircularNumber(tx, countyCode, year);
      const countyName = (await this.divisions.names([countyCode], tx)).get(countyCode);
      const number = formatCircularNumber({ code: countyCode, name: countyName }, year, sequence);
      const recipients = await countyUnitHeadsAndSchoolStaff(tx, countyCode);
      const circularId = newId(now.getTime());
      await tx.insert(Circular, {
        id: circularId,
        countyCode,
        year,
        sequence,
        number,
        title: input.title,
        comment: input.comment || null, // an empty comment is none
        by: input.by,
        from: scorecard.from,
        to: scorecard.to,
        scorecard,
        recipients: recipients.length,
        publishedBy: caller.userId,
        publishedAt: now,
        idempotencyKey: input.idempotencyKey,
      });
      const receipts = recipients.map((userId) => ({ circularId, userId, readAt: null }));
      for (let i = 0; i < receipts.length; i += 500) await tx.insert(CircularReceipt, receipts.slice(i, i + 500));
      const first = scorecard.rows.filter((row) => row.rank === 1).map((row) => row.name);
      await this.notifications.notify(tx, recipients, {
        key: `circular:${circularId}`,
        title: `${number} ${input.title}`.slice(0, 64),
        body: `${scorecard.unitName}${CIRCULAR_TABLES[input.by]}${scorecard.from}至${scorecard.to}考核排名${first.length ? `，第一名：${first.join('、')}` : ''}`.slice(
          0,
          120,
        ),
        link: pageLink('receivedCircular', { id: circularId }),
      });
      await this.audit.record(
        caller,
        {
          action: 'circular.publish',
          targetType: 'circular',
          targetId: circularId,
          placeCode: countyCode,
          details: { number, by: input.by, from: scorecard.from, to: scorecard.to, recipients: recipients.length },
        },
        tx,
      );
      return circularId;
    });
    return this.view(manager, await manager.findOneByOrFail(Circular, { id }));
  }

  /** The county's 通报, newest first. */
  async list(caller: Caller, query: { cursor?: string; limit: number }): Promise<{ items: CircularSummary[]; nextCursor: string | null }> {
    const countyCode = requireCountyAccess(caller, 'publish_circular');
    const qb = this.dataSource.manager
      .createQueryBuilder(Circular, 'c')
      .where('c.county_code = :countyCode', { countyCode })
      .orderBy('c.id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('c.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const names = await this.countyNames(page);
    return {
      items: page.map((circular) => summaryOf(circular, names)),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** The 通报 sent to the caller (a township leader, a school's staff), newest first, with when each was read. */
  async mine(caller: Caller, query: { cursor?: string; limit: number }): Promise<{ items: CircularSummary[]; nextCursor: string | null }> {
    requireRecordAccess(caller, 'read_circular');
    const manager = this.dataSource.manager;
    const qb = manager
      .createQueryBuilder(CircularReceipt, 'r')
      .where('r.user_id = :user', { user: caller.userId })
      .orderBy('r.circular_id', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('r.circular_id < :cursorId', { cursorId: id });
    }
    const receipts = await qb.getMany();
    const page = receipts.slice(0, query.limit);
    const circulars = page.length ? await manager.findBy(Circular, { id: In(page.map((r) => r.circularId)) }) : [];
    const byId = new Map(circulars.map((c) => [c.id, c]));
    const names = await this.countyNames(circulars);
    return {
      items: page.map((receipt) => ({ ...summaryOf(byId.get(receipt.circularId)!, names), readAt: receipt.readAt?.toISOString() ?? null })),
      nextCursor: receipts.length > query.limit ? encodeCursor([page[page.length - 1]!.circularId]) : null,
    };
  }

  /** One 通报 as published; a recipient's copy is marked read. */
  async get(caller: Caller, id: string): Promise<CircularView> {
    const { circular, receipt } = await this.readable(caller, id);
    const manager = this.dataSource.manager;
    if (receipt && !receipt.readAt) {
      receipt.readAt = this.clock.now();
      await manager.update(CircularReceipt, { circularId: id, userId: caller.userId, readAt: IsNull() }, { readAt: receipt.readAt });
    }
    return { ...(await this.view(manager, circular)), ...(receipt ? { readAt: receipt.readAt!.toISOString() } : {}) };
  }

  async pdfOf(caller: Caller, id: string): Promise<{ fileName: string; content: Buffer }> {
    const { circular } = await this.readable(caller, id);
    const countyName = (await this.divisions.names([circular.countyCode])).get(circular.countyCode) ?? circular.countyCode;
    const content = await this.pdf.render({
      number: circular.number,
      title: circular.title,
      comment: circular.comment,
      bureau: `${countyName}教育局`,
      publishedOn: chinaDay(circular.publishedAt),
      scorecard: circular.scorecard,
    });
    return { fileName: `${circular.number}${circular.title}.pdf`, content };
  }

  /**
   * A 通报 the caller may read: the county admin of its county, or someone it was sent to (their
   * receipt). Anything else — another county's, one not sent to them — is not found.
   */
  private async readable(caller: Caller, id: string): Promise<{ circular: Circular; receipt: CircularReceipt | null }> {
    requireRecordAccess(caller, 'read_circular');
    const manager = this.dataSource.manager;
    const circular = await manager.findOneBy(Circular, { id });
    if (!circular) throw AppError.notFound();
    if (caller.role === 'county_admin') {
      if (circular.countyCode !== caller.countyCode) throw AppError.notFound();
      return { circular, receipt: null };
    }
    const receipt = await manager.findOneBy(CircularReceipt, { circularId: id, userId: caller.userId });
    if (!receipt) throw AppError.notFound();
    return { circular, receipt };
  }

  private async countyNames(circulars: Circular[]): Promise<Map<string, string>> {
    return this.divisions.fullNames([...new Set(circulars.map((c) => c.countyCode))]);
  }

  private async view(manager: EntityManager, circular: Circular): Promise<CircularView> {
    const [names, publishers] = await Promise.all([this.countyNames([circular]), userNamesOf(manager, [circular.publishedBy])]);
    return {
      ...summaryOf(circular, names),
      comment: circular.comment,
      publishedByName: publishers.get(circular.publishedBy) ?? null,
      scorecard: circular.scorecard,
    };
  }
}

/** A 通报 in a list; entities never leave the server. */
function summaryOf(circular: Circular, countyNames: Map<string, string>): CircularSummary {
  return {
    id: circular.id,
    number: circular.number,
    title: circular.title,
    by: circular.by,
    from: circular.from,
    to: circular.to,
    countyName: countyNames.get(circular.countyCode) ?? circular.countyCode,
    publishedAt: circular.publishedAt.toISOString(),
    recipients: circular.recipients,
    firstRanked: circular.scorecard.rows.filter((row) => row.rank === 1).map((row) => row.name),
  };
}
