import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  divisionPrefix,
  endOfChinaDay,
  gradeLabel,
  isRectificationOverdue,
  isSpotCheckProblem,
  RECTIFICATION_DEFAULT_DAYS,
  RECTIFICATION_STATUSES,
  regionBureauName,
  SPOT_CHECK_RESULTS,
  SPOT_CHECK_SEED_MAX,
  spotCheckSampleSize,
  startOfChinaDay,
  type drawSpotCheckRequest,
  type recordFindingRequest,
  type RectificationStatus,
  type RectificationView,
  type reviewRectificationRequest,
  type SpotCheckItemView,
  type SpotCheckSummary,
  type SpotCheckView,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { recordActorsFor, requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, inReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { exportSheet } from '../../common/sheets/sheet-export';
import { insertRows } from '../../database/sql';
import { transactionWithRetry } from '../../database/transaction';
import { countyAdmins, townshipLeaders } from '../accounts/recipients';
import { AuditService } from '../audit/audit.service';
import { CaseHandlingService } from '../cases/case-handling.service';
import { CaseRecords } from '../cases/case-records';
import type { DispatchRectification } from '../cases/dispatch-rectifications';
import { ChildRecords } from '../children/child-records';
import { userNamesOf } from '../children/lookups';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SchoolRecords } from '../schools/school-records';
import { drawSample } from './spot-check-draw';
import { Rectification, SpotCheck, SpotCheckItem, type DrawnTownship } from './spot-check.entities';

type DrawInput = z.output<typeof drawSpotCheckRequest>;
type FindingInput = z.output<typeof recordFindingRequest>;
type ReviewInput = z.output<typeof reviewRectificationRequest>;

const PROBLEMS = Object.keys(SPOT_CHECK_RESULTS).filter((result) => isSpotCheckProblem(result as keyof typeof SPOT_CHECK_RESULTS));
const INSERT_CHUNK = 200;

/**
 * 督导 spot checks (BRIEF §5a): the county draws a reproducible random sample of the cases closed in a
 * period, per township; an inspector — the county's, or a prefecture's or province's for a
 * cross-county check — records for each whether the child is really in class. A problem opens a 整改
 * item for the township with a deadline and, when the child is not in school, reopens the case through
 * the cases module's own step. Above the county no child's personal data is shown (BRIEF §7).
 */
@Injectable()
export class SpotChecksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly caseRecords: CaseRecords,
    private readonly handling: CaseHandlingService,
    private readonly childRecords: ChildRecords,
    private readonly divisionRecords: DivisionRecords,
    private readonly divisions: DivisionsService,
    private readonly schools: SchoolRecords,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  async draw(caller: Caller, input: DrawInput): Promise<SpotCheckView> {
    const countyCode = requireCountyAccess(caller, 'draw_spot_check');
    const manager = this.dataSource.manager;
    const earlier = await manager.findOneBy(SpotCheck, { countyCode, idempotencyKey: input.idempotencyKey });
    if (earlier) return this.view(caller, earlier);

    const today = chinaDay(this.clock.now());
    if (input.from > today) throw AppError.invalid({ from: '销号开始日期不能晚于今天' });
    const townships = new Set(
      (await this.divisionRecords.townshipsAndVillagesOf(manager, countyCode)).filter((d) => d.level === 'township').map((d) => d.code),
    );
    const fields: Record<string, string> = {};
    input.townships.forEach((t, i) => {
      if (!townships.has(t.townshipCode)) fields[`townships.${i}.townshipCode`] = '该乡镇不在本县';
    });
    if (Object.keys(fields).length) throw AppError.invalid(fields, '请选择本县的乡镇');

    const codes = input.townships.map((t) => t.townshipCode);
    const closed = await this.caseRecords.closedIn(manager, countyCode, codes, startOfChinaDay(input.from), endOfChinaDay(input.to));
    const byTownship = new Map(codes.map((code) => [code, closed.filter((c) => c.townshipCode === code)]));
    const names = await this.divisions.names(codes);
    const sizes = input.townships.map((t, i) => {
      const population = byTownship.get(t.townshipCode)!.length;
      const size = spotCheckSampleSize(population, t);
      if (size > population) {
        const name = names.get(t.townshipCode) ?? t.townshipCode;
        fields[`townships.${i}.size`] = `${name}${input.from}至${input.to}只有${population}件销号案件，抽查数量不能超过${population}`;
      }
      return size;
    });
    if (Object.keys(fields).length) throw AppError.invalid(fields, '抽查数量超过了期间内销号的案件数');

    const seed = input.seed ?? randomInt(1, SPOT_CHECK_SEED_MAX + 1);
    const drawn: DrawnTownship[] = [];
    const sample = input.townships.flatMap((t, i) => {
      const picked = drawSample(byTownship.get(t.townshipCode)!, sizes[i]!, seed, t.townshipCode);
      drawn.push({
        townshipCode: t.townshipCode,
        size: t.size ?? null,
        share: t.share ?? null,
        population: byTownship.get(t.townshipCode)!.length,
        drawn: picked.length,
      });
      return picked;
    });

    const id = await transactionWithRetry(this.dataSource, async (tx) => {
      // a draw that raced this one under the same key won the unique key: this retry returns it
      const stored = await tx.findOneBy(SpotCheck, { countyCode, idempotencyKey: input.idempotencyKey });
      if (stored) return stored.id;
      const now = this.clock.now();
      const spotCheckId = newId(now.getTime());
      await tx.insert(SpotCheck, {
        id: spotCheckId,
        countyCode,
        from: input.from,
        to: input.to,
        seed,
        townships: drawn,
        itemCount: sample.length,
        createdBy: caller.userId,
        createdAt: now,
        idempotencyKey: input.idempotencyKey,
      });
      const items = sample.map((c, position): SpotCheckItem => ({
        id: newId(now.getTime()),
        spotCheckId,
        position,
        caseId: c.id,
        caseNumber: c.caseNumber,
        childId: c.childId,
        countyCode,
        townshipCode: c.townshipCode!,
        villageCode: c.villageCode,
        schoolId: c.returnSchoolId ?? c.schoolId,
        grade: c.returnGrade,
        closedAt: c.closedAt!,
        result: null,
        note: null,
        checkedOn: null,
        inspectedBy: null,
        inspectorUnit: null,
        recordedAt: null,
        reopened: false,
      }));
      for (let i = 0; i < items.length; i += INSERT_CHUNK) await insertRows(tx, SpotCheckItem, items.slice(i, i + INSERT_CHUNK));
      await this.audit.record(
        caller,
        {
          action: 'spot_check.draw',
          targetType: 'spot_check',
          targetId: spotCheckId,
          placeCode: countyCode,
          details: { from: input.from, to: input.to, seed, sampled: items.length },
        },
        tx,
      );
      return spotCheckId;
    });
    return this.view(caller, await manager.findOneByOrFail(SpotCheck, { id }));
  }

  /** The draws the caller may read: a county's own, a region's counties', newest first. */
  async list(caller: Caller, query: { cursor?: string; limit: number }): Promise<{ items: SpotCheckSummary[]; nextCursor: string | null }> {
    requireRecordAccess(caller, 'read_spot_check');
    const qb = this.dataSource.manager
      .createQueryBuilder(SpotCheck, 's')
      .orderBy('s.id', 'DESC')
      .limit(query.limit + 1);
    if (caller.role === 'region_admin' && caller.unit?.kind === 'division')
      qb.where('s.county_code LIKE :prefix', { prefix: `${divisionPrefix(caller.unit.code)}%` });
    else qb.where('s.county_code = :county', { county: caller.countyCode ?? '' });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('s.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.summaries(page, this.seesPersonalData(caller)),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** One draw and its sampled cases (of one township when asked). */
  async get(caller: Caller, id: string, township?: string): Promise<SpotCheckView> {
    const check = await this.readable(caller, id);
    const view = await this.view(caller, check, township);
    // the county's view names the sampled children: the read is audited (a region's names none)
    if (this.seesPersonalData(caller))
      await this.audit.record(caller, {
        action: 'spot_check.read',
        targetType: 'spot_check',
        targetId: check.id,
        placeCode: check.countyCode,
        details: { items: view.sample.length, ...(township ? { township } : {}) },
      });
    return view;
  }

  /** The findings of a draw as an .xlsx sheet; a region's copy leaves the child's personal data out as its view does. */
  async export(caller: Caller, id: string, township?: string): Promise<{ fileName: string; content: Buffer }> {
    const check = await this.readable(caller, id);
    const view = await this.view(caller, check, township);
    const personal = this.seesPersonalData(caller);
    type Column =
      | 'n'
      | 'caseNumber'
      | 'township'
      | 'village'
      | 'child'
      | 'school'
      | 'grade'
      | 'closedOn'
      | 'result'
      | 'note'
      | 'checkedOn'
      | 'inspector'
      | 'reopened';
    const columns: Array<{ key: Column; header: string; width: number }> = [
      { key: 'n', header: '序号', width: 6 },
      { key: 'caseNumber', header: '案件编号', width: 22 },
      { key: 'township', header: '乡镇', width: 12 },
      ...(personal
        ? [
            { key: 'village' as const, header: '村', width: 12 },
            { key: 'child' as const, header: '儿童姓名', width: 10 },
          ]
        : []),
      { key: 'school', header: '学校', width: 26 },
      { key: 'grade', header: '年级', width: 8 },
      { key: 'closedOn', header: '销号日期', width: 12 },
      { key: 'result', header: '核查结果', width: 20 },
      { key: 'note', header: '核查情况（证据）', width: 40 },
      { key: 'checkedOn', header: '核查日期', width: 12 },
      { key: 'inspector', header: '核查单位', width: 16 },
      { key: 'reopened', header: '是否重新打开案件', width: 10 },
    ];
    const rows = view.sample.map((item, i) => ({
      n: String(i + 1),
      caseNumber: item.caseNumber,
      township: item.townshipName,
      village: item.villageName ?? '',
      child: item.childName ?? '',
      school: item.schoolName ?? '',
      grade: item.grade ? gradeLabel(item.grade) : '',
      closedOn: item.closedOn,
      result: item.finding?.resultLabel ?? '未核查',
      note: item.finding?.note ?? '',
      checkedOn: item.finding?.checkedOn ?? '',
      inspector: item.finding?.inspectorUnit ?? '',
      reopened: item.finding ? (item.finding.reopened ? '是' : '否') : '',
    }));
    const content = await exportSheet({
      title: '督导抽查核查结果',
      columns,
      rows,
      created: this.clock.now(),
      notes: [
        `${view.countyName}督导抽查：${view.from}至${view.to}销号的案件，随机种子 ${view.seed}。`,
        `抽查${view.items}件，已核查${view.checked}件，发现问题${view.problems}件。`,
        ...view.townships.map(
          (t) =>
            `${t.townshipName}：期间内销号${t.population}件，${t.size !== null ? `抽查${t.size}件` : `按${t.share}%抽查`}，抽中${t.drawn}件。`,
        ),
        '同一随机种子、同一批销号案件（按案件编号排序）抽中的案件相同，可复核。',
      ],
    });
    await this.audit.record(caller, {
      action: 'spot_check.export',
      targetType: 'spot_check',
      targetId: check.id,
      placeCode: check.countyCode,
      details: { rows: rows.length, personal },
    });
    return { fileName: `督导抽查${view.from}至${view.to}.xlsx`, content };
  }

  /**
   * An inspector's finding for one sampled case, once. A problem opens the township's 整改 item with its
   * deadline in the same transaction; a child not in school reopens the case (the cases module's step:
   * timeline, deadline and notices), unless it is no longer closed.
   */
  async recordFinding(caller: Caller, spotCheckId: string, itemId: string, input: FindingInput): Promise<SpotCheckItemView> {
    const check = await this.readable(caller, spotCheckId);
    requireRecordAccess(caller, 'inspect_spot_check', { countyCode: check.countyCode });
    const manager = this.dataSource.manager;
    const item = await manager.findOneBy(SpotCheckItem, { id: itemId, spotCheckId });
    if (!item) throw AppError.notFound();
    if (item.result) throw new AppError('SPOT_CHECK_FINDING_RECORDED');
    const now = this.clock.now();
    const today = chinaDay(now);
    if (input.checkedOn > today) throw AppError.invalid({ checkedOn: '核查日期不能晚于今天' });
    if (input.checkedOn < chinaDay(item.closedAt)) throw AppError.invalid({ checkedOn: '核查日期不能早于销号日期' });
    if (input.deadlineOn && input.deadlineOn <= today) throw AppError.invalid({ deadlineOn: '整改期限应晚于今天' });
    const problem = isSpotCheckProblem(input.result);
    const inspectorUnit = await this.unitNameOf(caller);

    await transactionWithRetry(this.dataSource, async (tx) => {
      const recorded = await tx
        .createQueryBuilder()
        .update(SpotCheckItem)
        .set({
          result: input.result,
          note: input.note,
          checkedOn: input.checkedOn,
          inspectedBy: caller.userId,
          inspectorUnit,
          recordedAt: now,
        })
        .where('id = :id AND result IS NULL', { id: item.id })
        .execute();
      if (recorded.affected !== 1) throw new AppError('SPOT_CHECK_FINDING_RECORDED');
      if (problem) {
        const reopened =
          input.result === 'not_attending' &&
          (await this.handling.reopenAfterSpotCheck(tx, item.caseId, caller.userId, { note: input.note, spotCheckId }));
        if (reopened) await tx.update(SpotCheckItem, { id: item.id }, { reopened: true });
        const rectificationId = newId(now.getTime());
        const deadlineOn = input.deadlineOn ?? addDays(today, RECTIFICATION_DEFAULT_DAYS);
        await tx.insert(Rectification, {
          id: rectificationId,
          spotCheckId,
          itemId: item.id,
          caseId: item.caseId,
          caseNumber: item.caseNumber,
          countyCode: item.countyCode,
          townshipCode: item.townshipCode,
          schoolId: item.schoolId,
          result: input.result,
          problem: `${SPOT_CHECK_RESULTS[input.result]}：${input.note}`,
          deadlineOn,
          status: 'open',
          reportNote: null,
          reportedBy: null,
          reportedAt: null,
          reviewNote: null,
          reviewedBy: null,
          reviewedAt: null,
          returns: 0,
          createdAt: now,
          version: 1,
        });
        await this.notifications.notify(tx, await townshipLeaders(tx, item.townshipCode), {
          key: `rectification:${rectificationId}`,
          title: '督导抽查发现问题，请限期整改',
          body: `案件${item.caseNumber}：${SPOT_CHECK_RESULTS[input.result]}。请于${deadlineOn}前整改并登记整改情况。`.slice(0, 120),
          link: null,
        });
      }
      await this.audit.record(
        caller,
        {
          action: 'spot_check.finding',
          targetType: 'spot_check_item',
          targetId: item.id,
          childId: item.childId,
          placeCode: item.villageCode ?? item.townshipCode,
          details: { spotCheckId, caseNumber: item.caseNumber, result: input.result },
        },
        tx,
      );
    });
    const [view] = await this.itemViews(caller, [await manager.findOneByOrFail(SpotCheckItem, { id: item.id })]);
    return view!;
  }

  /** 整改 items: the county's, or a township's (its leaders and cadres), newest first. */
  async rectifications(
    caller: Caller,
    query: { cursor?: string; limit: number; status?: RectificationStatus },
  ): Promise<{ items: RectificationView[]; nextCursor: string | null }> {
    requireRecordAccess(caller, 'read_rectification');
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(Rectification, 'r'), caller, 'read_rectification', {
      county: 'r.county_code',
      division: 'r.township_code',
    })
      .orderBy('r.id', 'DESC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('r.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.rectificationViews(page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** The township records what it did; the county is told. */
  async reportRectification(caller: Caller, id: string, input: { note: string; version: number }): Promise<RectificationView> {
    const item = await this.rectificationInScope(caller, id);
    requireRecordAccess(caller, 'report_rectification', { divisionCode: item.townshipCode });
    if (item.status !== 'open') throw new AppError('SPOT_CHECK_RECTIFICATION_STEP', '该整改事项已登记整改情况，请等待县教育局验收');
    return this.step(caller, item, input.version, 'open', {
      status: 'reported',
      reportNote: input.note,
      reportedBy: caller.userId,
      reportedAt: this.clock.now(),
    });
  }

  /** The county accepts the rectification, or returns it to the township with what is still missing. */
  async reviewRectification(caller: Caller, id: string, input: ReviewInput): Promise<RectificationView> {
    const item = await this.rectificationInScope(caller, id);
    requireRecordAccess(caller, 'review_rectification', { countyCode: item.countyCode });
    if (item.status !== 'reported')
      throw new AppError('SPOT_CHECK_RECTIFICATION_STEP', item.status === 'open' ? '乡镇尚未登记整改情况' : '该整改事项已验收');
    const accept = input.decision === 'accept';
    return this.step(caller, item, input.version, 'reported', {
      status: accept ? 'accepted' : 'open',
      reviewNote: input.note || null,
      reviewedBy: caller.userId,
      reviewedAt: this.clock.now(),
      ...(accept ? {} : { returns: item.returns + 1 }),
    });
  }

  /**
   * Per unit of a scorecard, the spot-check problems: findings of a problem recorded (checked) in the
   * period, plus 整改 items overdue now. By township, school or county as the scorecard ranks.
   */
  async scorecardProblems(
    manager: EntityManager,
    units: { by: 'township' | 'school'; countyCode: string } | { by: 'county'; regionPrefix: string },
    from: string,
    to: string,
    now: Date,
  ): Promise<Map<string, number>> {
    const column = units.by === 'township' ? 'township_code' : units.by === 'school' ? 'school_id' : 'county_code';
    const where =
      units.by === 'county'
        ? { sql: 'x.county_code LIKE ?', values: [`${units.regionPrefix}%`] }
        : { sql: `x.county_code = ? AND x.${column} IS NOT NULL`, values: [units.countyCode] };
    const [findings, overdue] = await Promise.all([
      manager.query(
        `SELECT x.${column} AS unit, COUNT(*) AS n FROM spot_check_items x WHERE ${where.sql} AND x.result IN (${PROBLEMS.map(() => '?').join(', ')}) AND x.checked_on >= ? AND x.checked_on <= ? GROUP BY x.${column}`,
        [...where.values, ...PROBLEMS, from, to],
      ) as Promise<Array<{ unit: string; n: number | string }>>,
      manager.query(
        `SELECT x.${column} AS unit, COUNT(*) AS n FROM rectifications x WHERE ${where.sql} AND x.status = 'open' AND x.deadline_on < ? GROUP BY x.${column}`,
        [...where.values, chinaDay(now)],
      ) as Promise<Array<{ unit: string; n: number | string }>>,
    ]);
    const counts = new Map<string, number>();
    for (const row of [...findings, ...overdue]) counts.set(String(row.unit), (counts.get(String(row.unit)) ?? 0) + Number(row.n));
    return counts;
  }

  /** The 整改 items still with a township, for the dispatch list (一日一调度): the overdue first. */
  async dispatchItems(manager: EntityManager, caller: Caller, now: Date): Promise<DispatchRectification[]> {
    const rows = await applyScope(manager.createQueryBuilder(Rectification, 'r'), caller, 'read_rectification', {
      county: 'r.county_code',
      division: 'r.township_code',
    })
      .andWhere("r.status = 'open'")
      .orderBy('r.deadline_on', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(200)
      .getMany();
    const names = await this.divisions.names([...new Set(rows.map((r) => r.townshipCode))], manager);
    const today = chinaDay(now);
    return rows.map((r) => ({
      id: r.id,
      caseNumber: r.caseNumber,
      townshipName: names.get(r.townshipCode) ?? r.townshipCode,
      problem: r.problem,
      deadlineOn: r.deadlineOn,
      overdue: isRectificationOverdue(r, today),
    }));
  }

  private async step(
    caller: Caller,
    item: Rectification,
    version: number,
    from: RectificationStatus,
    changes: Partial<Rectification>,
  ): Promise<RectificationView> {
    if (version !== item.version) throw AppError.conflict('整改事项已被他人处理，请刷新后重试', (await this.rectificationViews([item]))[0]);
    await transactionWithRetry(this.dataSource, async (tx) => {
      const moved = await tx
        .createQueryBuilder()
        .update(Rectification)
        .set({ ...changes, version: () => 'version + 1' })
        .where('id = :id AND version = :version AND status = :from', { id: item.id, version, from })
        .execute();
      if (moved.affected !== 1) throw AppError.conflict('整改事项已被他人处理，请刷新后重试');
      const reported = changes.status === 'reported';
      const action = reported ? 'rectification.report' : changes.status === 'accepted' ? 'rectification.accept' : 'rectification.return';
      await this.audit.record(
        caller,
        { action, targetType: 'rectification', targetId: item.id, placeCode: item.townshipCode, details: { caseNumber: item.caseNumber } },
        tx,
      );
      const recipients = reported ? await countyAdmins(tx, item.countyCode) : await townshipLeaders(tx, item.townshipCode);
      await this.notifications.notify(tx, recipients, {
        key: `rectification:${item.id}:${item.version + 1}`,
        title: reported ? '乡镇已登记整改情况，请验收' : changes.status === 'accepted' ? '整改已验收' : '整改被退回，请继续整改',
        body: `案件${item.caseNumber}的督导整改事项${RECTIFICATION_STATUSES[changes.status!]}。`,
        link: null,
      });
    });
    const [view] = await this.rectificationViews([await this.dataSource.manager.findOneByOrFail(Rectification, { id: item.id })]);
    return view!;
  }

  private async rectificationInScope(caller: Caller, id: string): Promise<Rectification> {
    requireRecordAccess(caller, 'read_rectification');
    const item = await this.dataSource.manager.findOneBy(Rectification, { id });
    if (!item || !inReadScope(caller, 'read_rectification', { county: item.countyCode, division: item.townshipCode }))
      throw AppError.notFound();
    return item;
  }

  private async rectificationViews(rows: Rectification[]): Promise<RectificationView[]> {
    const names = await this.divisions.names([...new Set(rows.map((r) => r.townshipCode))]);
    const today = chinaDay(this.clock.now());
    return rows.map((r) => ({
      id: r.id,
      spotCheckId: r.spotCheckId,
      caseNumber: r.caseNumber,
      caseId: r.caseId,
      townshipCode: r.townshipCode,
      townshipName: names.get(r.townshipCode) ?? r.townshipCode,
      result: r.result,
      problem: r.problem,
      deadlineOn: r.deadlineOn,
      status: r.status,
      statusLabel: RECTIFICATION_STATUSES[r.status],
      overdue: isRectificationOverdue(r, today),
      reportNote: r.reportNote,
      reportedAt: r.reportedAt?.toISOString() ?? null,
      reviewNote: r.reviewNote,
      reviewedAt: r.reviewedAt?.toISOString() ?? null,
      returns: r.returns,
      createdAt: r.createdAt.toISOString(),
      version: r.version,
    }));
  }

  /** A draw the caller may read: its county's admin, or a region's bureau above it. Anything else is not found. */
  private async readable(caller: Caller, id: string): Promise<SpotCheck> {
    requireRecordAccess(caller, 'read_spot_check');
    const check = await this.dataSource.manager.findOneBy(SpotCheck, { id });
    if (!check || recordActorsFor(caller, 'read_spot_check', { countyCode: check.countyCode }).size === 0) throw AppError.notFound();
    return check;
  }

  /** A county's inspectors see what county admins see; a region's see no child's personal data (BRIEF §7). */
  private seesPersonalData(caller: Caller): boolean {
    return caller.role === 'county_admin';
  }

  private async unitNameOf(caller: Caller): Promise<string> {
    if (caller.role === 'region_admin' && caller.unit?.kind === 'division') {
      const code = caller.unit.code;
      return regionBureauName((await this.divisions.names([code])).get(code) ?? code, code);
    }
    const county = caller.countyCode ?? '';
    return `${(await this.divisions.names([county])).get(county) ?? county}教育局`;
  }

  private async view(caller: Caller, check: SpotCheck, township?: string): Promise<SpotCheckView> {
    const manager = this.dataSource.manager;
    const qb = manager
      .createQueryBuilder(SpotCheckItem, 'i')
      .where('i.spot_check_id = :id', { id: check.id })
      .orderBy('i.township_code', 'ASC')
      .addOrderBy('i.position', 'ASC');
    if (township) qb.andWhere('i.township_code = :township', { township });
    const [summary] = await this.summaries([check], this.seesPersonalData(caller));
    return { ...summary!, sample: await this.itemViews(caller, await qb.getMany()) };
  }

  private async itemViews(caller: Caller, items: SpotCheckItem[]): Promise<SpotCheckItemView[]> {
    const manager = this.dataSource.manager;
    const personal = this.seesPersonalData(caller);
    const places = [...new Set(items.flatMap((i) => [i.townshipCode, ...(personal && i.villageCode ? [i.villageCode] : [])]))];
    const schoolIds = [...new Set(items.flatMap((i) => (i.schoolId ? [i.schoolId] : [])))];
    const [placeNames, schoolNames, childNames, inspectors, rectifications] = await Promise.all([
      this.divisions.names(places),
      this.schools.schoolNames(manager, schoolIds),
      personal
        ? this.childRecords.namesOf(
            manager,
            items.map((i) => i.childId),
          )
        : Promise.resolve(new Map<string, string>()),
      userNamesOf(
        manager,
        items.flatMap((i) => (i.inspectedBy ? [i.inspectedBy] : [])),
      ),
      items.length ? manager.findBy(Rectification, { itemId: In(items.map((i) => i.id)) }) : Promise.resolve([]),
    ]);
    const rectificationOf = new Map(rectifications.map((r) => [r.itemId, r.id]));
    return items.map((i) => ({
      id: i.id,
      caseNumber: i.caseNumber,
      caseId: personal ? i.caseId : null,
      childName: personal ? (childNames.get(i.childId) ?? null) : null,
      villageName: personal && i.villageCode ? (placeNames.get(i.villageCode) ?? null) : null,
      townshipCode: i.townshipCode,
      townshipName: placeNames.get(i.townshipCode) ?? i.townshipCode,
      schoolName: i.schoolId ? (schoolNames.get(i.schoolId) ?? null) : null,
      grade: i.grade,
      closedOn: chinaDay(i.closedAt),
      finding: i.result
        ? {
            result: i.result,
            resultLabel: SPOT_CHECK_RESULTS[i.result],
            note: i.note ?? '',
            checkedOn: i.checkedOn ?? '',
            // a region's bureau sees the unit, not the names of county staff
            inspectorName: personal && i.inspectedBy ? (inspectors.get(i.inspectedBy) ?? null) : null,
            inspectorUnit: i.inspectorUnit ?? '',
            recordedAt: i.recordedAt?.toISOString() ?? '',
            reopened: i.reopened,
            rectificationId: rectificationOf.get(i.id) ?? null,
          }
        : null,
    }));
  }

  private async summaries(checks: SpotCheck[], personal: boolean): Promise<SpotCheckSummary[]> {
    if (!checks.length) return [];
    const manager = this.dataSource.manager;
    const counts: Array<{ id: string; checked: number | string; problems: number | string }> = await manager.query(
      `SELECT spot_check_id AS id, SUM(CASE WHEN result IS NOT NULL THEN 1 ELSE 0 END) AS checked, SUM(CASE WHEN result IN (${PROBLEMS.map(() => '?').join(', ')}) THEN 1 ELSE 0 END) AS problems FROM spot_check_items WHERE spot_check_id IN (${checks.map(() => '?').join(', ')}) GROUP BY spot_check_id`,
      [...PROBLEMS, ...checks.map((c) => c.id)],
    );
    const countOf = new Map(counts.map((row) => [row.id, { checked: Number(row.checked ?? 0), problems: Number(row.problems ?? 0) }]));
    const codes = [...new Set(checks.flatMap((c) => [c.countyCode, ...c.townships.map((t) => t.townshipCode)]))];
    const [names, fullNames, creators] = await Promise.all([
      this.divisions.names(codes),
      this.divisions.fullNames([...new Set(checks.map((c) => c.countyCode))]),
      userNamesOf(
        manager,
        checks.map((c) => c.createdBy),
      ),
    ]);
    return checks.map((c) => ({
      id: c.id,
      countyCode: c.countyCode,
      countyName: fullNames.get(c.countyCode) ?? c.countyCode,
      from: c.from,
      to: c.to,
      seed: c.seed,
      townships: c.townships.map((t) => ({ ...t, townshipName: names.get(t.townshipCode) ?? t.townshipCode })),
      createdAt: c.createdAt.toISOString(),
      createdByName: personal ? (creators.get(c.createdBy) ?? null) : null,
      items: c.itemCount,
      checked: countOf.get(c.id)?.checked ?? 0,
      problems: countOf.get(c.id)?.problems ?? 0,
    }));
  }
}
