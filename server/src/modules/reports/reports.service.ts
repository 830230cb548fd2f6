import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  chinaDay,
  countySettings,
  divisionLevelOf,
  divisionPrefix,
  isReportLate,
  isReportPeriod,
  previousReportPeriod,
  REPORT_CHAIN,
  REPORT_KINDS,
  reportablePeriod,
  reportDueOn,
  reportFigureLines,
  reportPeriodLabel,
  reportPeriodRange,
  reportPeriodStarted,
  schoolYearOf,
  type DispatchReportItem,
  type MyReportsResponse,
  type RecordActor,
  type ReportAction,
  type ReportFigures,
  type ReportKind,
  type ReportListResponse,
  type ReportStatus,
  type ReportSummary,
  type ReportView,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { recordActorsFor, requireRecordAccess, type PolicyRecord } from '../../common/auth/record-policy';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { insertRows } from '../../database/sql';
import { transactionWithRetry } from '../../database/transaction';
import { AuditService } from '../audit/audit.service';
import { CaseRecords } from '../cases/case-records';
import { userNamesOf } from '../children/lookups';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { ConsolidationService } from '../registry/consolidation.service';
import { EnrolmentTallyService } from '../registry/enrolment-tally.service';
import { SchoolRecords } from '../schools/school-records';
import { PeriodicReport, PeriodicReportEvent, type ReportEventAction } from './report.entity';

/** A unit that reports: a school (by id), a township or a county (by division code). */
export interface ReportUnitRef {
  level: 'school' | 'township' | 'county';
  id: string;
  countyCode: string;
  /** The school's township, the township itself; null for a county. */
  townshipCode: string | null;
}

const KIND_OF_LEVEL = { school: 'school_monthly', township: 'township_monthly', county: 'county_quarterly' } as const;

/** Who submits each kind (the unit's own leadership) and who reviews it (the level above), as the policy names them. */
const SUBMITTER: Record<ReportKind, RecordActor> = {
  school_monthly: 'school_leader',
  township_monthly: 'division_leader',
  county_quarterly: 'county_admin',
};
const REVIEWER: Record<ReportKind, RecordActor> = {
  school_monthly: 'division_leader',
  township_monthly: 'county_admin',
  county_quarterly: 'region_admin',
};

const EDITABLE: ReportStatus[] = ['draft', 'returned'];
const countyOf = (code: string) => `${code.slice(0, 6)}000000`;

/**
 * Periodic reports with approval (BRIEF §5a): a school's monthly report to its township, a
 * township's to the county, a county's quarterly report to the prefecture and province. A report is
 * one row per (kind, unit, period), made by an upsert on that key; its figures are generated from the
 * data of the unit and period (grouped statements of the cases, registry and consolidation modules),
 * stored when generated and again when submitted, and locked from approval on. Returned reports are
 * edited and submitted again; the approver's level may reopen an approved report with a reason
 * (audited), which returns it to `returned` with the reason as the comment. Who may do what is the
 * policy's `submit_report`, `review_report` and `read_report` rows, narrowed here to the unit: the
 * unit's own leadership submits, the level above reviews; anyone else does not see the report (404).
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly caseRecords: CaseRecords,
    private readonly tallies: EnrolmentTallyService,
    private readonly consolidation: ConsolidationService,
    private readonly divisionRecords: DivisionRecords,
    private readonly divisions: DivisionsService,
    private readonly schools: SchoolRecords,
    private readonly audit: AuditService,
  ) {}

  /** Makes the draft of the caller's own unit for a period, or regenerates its figures while it is a draft or returned. */
  async open(caller: Caller, input: { kind?: ReportKind; period?: string; unit?: string }): Promise<ReportView> {
    requireRecordAccess(caller, 'submit_report');
    const unit = this.ownUnit(caller);
    if (!unit) throw AppError.forbidden('只有学校负责人、乡镇负责人和县教育局上报本单位的定期报告');
    const kind = KIND_OF_LEVEL[unit.level];
    if (input.kind !== undefined && input.kind !== kind)
      throw AppError.forbidden(`本单位上报的是${REPORT_KINDS[kind]}`, { kind: `本单位只能上报${REPORT_KINDS[kind]}` });
    if (input.unit !== undefined && input.unit !== unit.id)
      throw AppError.forbidden('只能为本单位生成和上报报告', { unit: '不能为其他单位上报报告' });
    const now = this.clock.now();
    const period = this.periodOf(kind, input.period);
    if (!reportPeriodStarted(period, chinaDay(now))) throw AppError.invalid({ period: '报告期尚未开始' }, '不能生成未来报告期的报告');
    const figures = await this.generate(unit, kind, period);
    const id = await transactionWithRetry(this.dataSource, async (tx) => {
      const fresh = newId(now.getTime());
      await insertRows(
        tx,
        PeriodicReport,
        [
          {
            id: fresh,
            kind,
            period,
            unitId: unit.id,
            countyCode: unit.countyCode,
            townshipCode: unit.townshipCode,
            status: 'draft',
            figures,
            generatedAt: now,
            explanation: null,
            reviewComment: null,
            submittedBy: null,
            submittedAt: null,
            approvedBy: null,
            approvedAt: null,
            returnedAt: null,
            updatedAt: now,
          },
        ],
        'skip',
      );
      // the unique key decides: this row, or the one already made for the unit and period
      const row = await tx.findOneByOrFail(PeriodicReport, { kind, unitId: unit.id, period });
      if (row.id === fresh) await this.event(tx, row.id, 'generate', caller, null, now);
      else if (await this.step(tx, row.id, EDITABLE, { figures, generatedAt: now, updatedAt: now }))
        await this.event(tx, row.id, 'refresh', caller, null, now);
      return row.id;
    });
    return this.get(caller, id);
  }

  async get(caller: Caller, id: string): Promise<ReportView> {
    const { report } = await this.readable(caller, id);
    return this.view(caller, report);
  }

  /** The explanation of a draft or returned report. */
  async update(caller: Caller, id: string, input: { explanation: string | null }): Promise<ReportView> {
    const { report } = await this.asSubmitter(caller, id);
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (tx) => {
      if (!(await this.step(tx, report.id, EDITABLE, { explanation: input.explanation || null, updatedAt: now })))
        throw new AppError('REPORT_STEP_OUT_OF_ORDER', '报告已上报或已审核通过，不能修改');
      await this.event(tx, report.id, 'edit', caller, null, now);
    });
    return this.get(caller, id);
  }

  /** Submits a draft or returned report: its figures are generated afresh, as they stand now. */
  async submit(caller: Caller, id: string, input: { explanation?: string }): Promise<ReportView> {
    const { report, unit } = await this.asSubmitter(caller, id);
    const now = this.clock.now();
    if (reportPeriodRange(report.period).to >= chinaDay(now))
      throw new AppError('REPORT_PERIOD_NOT_ENDED', `${reportPeriodLabel(report.period)}尚未结束，不能上报`, { period: '报告期尚未结束' });
    const figures = await this.generate(unit, report.kind, report.period);
    const explanation = input.explanation === undefined ? report.explanation : input.explanation || null;
    await transactionWithRetry(this.dataSource, async (tx) => {
      const changed = await this.step(tx, report.id, EDITABLE, {
        status: 'submitted',
        figures,
        generatedAt: now,
        explanation,
        submittedBy: caller.userId,
        submittedAt: now,
        updatedAt: now,
      });
      if (!changed) throw new AppError('REPORT_STEP_OUT_OF_ORDER', '报告已上报或已审核通过');
      await this.event(tx, report.id, 'submit', caller, explanation, now);
      await this.audit.record(caller, this.auditEntry('report.submit', report), tx);
    });
    return this.get(caller, id);
  }

  /** The level above approves a submitted report: its figures, as submitted, are the locked snapshot from now on. */
  async approve(caller: Caller, id: string, input: { comment?: string }): Promise<ReportView> {
    const { report } = await this.asReviewer(caller, id);
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (tx) => {
      const changed = await this.step(tx, report.id, ['submitted'], {
        status: 'approved',
        approvedBy: caller.userId,
        approvedAt: now,
        updatedAt: now,
      });
      if (!changed) throw new AppError('REPORT_STEP_OUT_OF_ORDER', '只能审核已上报、待审核的报告');
      await this.event(tx, report.id, 'approve', caller, input.comment || null, now);
      await this.audit.record(caller, this.auditEntry('report.approve', report), tx);
    });
    return this.get(caller, id);
  }

  /** The level above returns a submitted report with a comment: the unit corrects it and submits again. */
  async return(caller: Caller, id: string, input: { comment: string }): Promise<ReportView> {
    const { report } = await this.asReviewer(caller, id);
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (tx) => {
      const changed = await this.step(tx, report.id, ['submitted'], {
        status: 'returned',
        reviewComment: input.comment,
        returnedAt: now,
        updatedAt: now,
      });
      if (!changed) throw new AppError('REPORT_STEP_OUT_OF_ORDER', '只能退回已上报、待审核的报告');
      await this.event(tx, report.id, 'return', caller, input.comment, now);
      await this.audit.record(caller, { ...this.auditEntry('report.return', report), reason: input.comment }, tx);
    });
    return this.get(caller, id);
  }

  /**
   * The approver's level reopens an approved report, with a reason (audited with the figures that had
   * been approved): it goes back to the unit as returned, the reason its comment, to be corrected and
   * submitted again (and approved again).
   */
  async reopen(caller: Caller, id: string, input: { reason: string }): Promise<ReportView> {
    const { report } = await this.asReviewer(caller, id);
    const now = this.clock.now();
    await transactionWithRetry(this.dataSource, async (tx) => {
      const changed = await this.step(tx, report.id, ['approved'], {
        status: 'returned',
        reviewComment: input.reason,
        returnedAt: now,
        approvedBy: null,
        approvedAt: null,
        updatedAt: now,
      });
      if (!changed) throw new AppError('REPORT_STEP_OUT_OF_ORDER', '只能重新打开已审核通过的报告');
      await this.event(tx, report.id, 'reopen', caller, input.reason, now);
      const entry = this.auditEntry('report.reopen', report);
      await this.audit.record(
        caller,
        {
          ...entry,
          reason: input.reason,
          details: {
            ...entry.details,
            approvedAt: report.approvedAt?.toISOString() ?? null,
            approvedFigures: JSON.stringify(report.figures).slice(0, 4000),
          },
        },
        tx,
      );
    });
    return this.get(caller, id);
  }

  /**
   * The units the caller receives reports of kind `kind` from (or its own unit), side by side for a
   * period: each unit's report status, whether it is late, and its key figures as the report stands.
   */
  async list(caller: Caller, input: { kind?: ReportKind; period?: string }): Promise<ReportListResponse> {
    requireRecordAccess(caller, 'read_report');
    const manager = this.dataSource.manager;
    const own = this.ownUnit(caller);
    const kind = input.kind ?? this.reviewedKinds(caller)[0] ?? (own ? KIND_OF_LEVEL[own.level] : null);
    if (!kind) throw AppError.forbidden('您没有需要上报或审核的定期报告');
    const query = { kind, period: this.periodOf(kind, input.period) };
    const units = await this.unitsFor(caller, query.kind);
    const today = chinaDay(this.clock.now());
    const reports = units.length
      ? await manager.findBy(PeriodicReport, { kind: query.kind, period: query.period, unitId: In(units.map((u) => u.id)) })
      : [];
    const byUnit = new Map(reports.map((r) => [r.unitId, r]));
    const dues = await this.dueDays(
      manager,
      query.kind,
      query.period,
      units.map((u) => u.countyCode),
    );
    const names = await this.unitNames(units);
    const rows = units.map((unit) => {
      const report = byUnit.get(unit.id) ?? null;
      const dueOn = dues.get(unit.countyCode)!;
      const figures = report?.figures ?? null;
      return {
        unit: { level: unit.level, id: unit.id, name: names.get(unit.id) ?? unit.id },
        reportId: report?.id ?? null,
        status: report?.status ?? ('missing' as const),
        late: isReportLate(report?.status ?? null, dueOn, today),
        submittedAt: report?.submittedAt?.toISOString() ?? null,
        approvedAt: report?.approvedAt?.toISOString() ?? null,
        figures: figures && {
          newCases: Object.values(figures.newCases).reduce((a, b) => a + b, 0),
          confirmed: figures.confirmed,
          returned: figures.returned,
          closed: figures.closed,
          stillOut: figures.stillOut,
          overdue: figures.overdue,
          homeVisits: figures.homeVisits,
          consolidationRate: figures.consolidation?.rate ?? null,
        },
      };
    });
    const counties = new Set(units.map((u) => u.countyCode));
    const totals = { missing: 0, draft: 0, submitted: 0, approved: 0, returned: 0, late: 0 };
    for (const row of rows) {
      totals[row.status] += 1;
      if (row.late) totals.late += 1;
    }
    const ownCounty = caller.role === 'region_admin' ? null : caller.countyCode;
    return {
      kind: query.kind,
      period: query.period,
      periodLabel: reportPeriodLabel(query.period),
      dueOn:
        ownCounty && counties.size <= 1
          ? (dues.get(ownCounty) ?? (await this.dueDays(manager, query.kind, query.period, [ownCounty])).get(ownCounty)!)
          : null,
      rows,
      totals,
    };
  }

  /** What the caller does with reports: its own unit's report due now, the kinds it reviews, its recent reports. */
  async mine(caller: Caller): Promise<MyReportsResponse> {
    const manager = this.dataSource.manager;
    const today = chinaDay(this.clock.now());
    const unit = this.ownUnit(caller);
    let submits: MyReportsResponse['submits'] = null;
    let recent: ReportSummary[] = [];
    if (unit) {
      const kind = KIND_OF_LEVEL[unit.level];
      const period = reportablePeriod(kind, today);
      const [dueOn, names, rows] = await Promise.all([
        this.dueDays(manager, kind, period, [unit.countyCode]).then((d) => d.get(unit.countyCode)!),
        this.unitNames([unit]),
        manager.find(PeriodicReport, { where: { kind, unitId: unit.id }, order: { period: 'DESC' }, take: 12 }),
      ]);
      const summaries = await this.summaries(manager, rows, names);
      recent = summaries;
      submits = {
        kind,
        unit: { level: unit.level, id: unit.id, name: names.get(unit.id) ?? unit.id },
        period,
        periodLabel: reportPeriodLabel(period),
        dueOn,
        report: summaries.find((s) => s.period === period) ?? null,
      };
    }
    const reviews = this.reviewedKinds(caller).map((kind) => {
      const period = reportablePeriod(kind, today);
      return { kind, period, periodLabel: reportPeriodLabel(period) };
    });
    return { submits, reviews, recent };
  }

  /**
   * The dispatch list's reports (一日一调度, BRIEF §5a): for a township, its schools' monthly reports;
   * for the county, its townships'. Each unit's report of the period due now when it is late (not even
   * begun, a draft, or returned past its due day), and any report of theirs still returned or left a
   * draft past its due day. Plugged into the cases module's dispatch list (ReportsModule.onModuleInit).
   */
  async dispatchItems(manager: EntityManager, caller: Caller, now: Date): Promise<DispatchReportItem[]> {
    const kind: ReportKind | null =
      caller.role === 'county_admin'
        ? 'township_monthly'
        : caller.role === 'official' && caller.unit?.kind === 'division' && divisionLevelOf(caller.unit.code) === 'township'
          ? 'school_monthly'
          : null;
    if (!kind || !caller.countyCode) return [];
    const units = await this.unitsBelow(manager, caller, kind);
    if (!units.length) return [];
    const today = chinaDay(now);
    const period = reportablePeriod(kind, today);
    const settings = await this.dueDays(manager, kind, period, [caller.countyCode]);
    const dueNow = settings.get(caller.countyCode)!;
    const pending = await manager.findBy(PeriodicReport, { kind, unitId: In(units.map((u) => u.id)), status: In(EDITABLE) });
    const current = await manager.findBy(PeriodicReport, { kind, period, unitId: In(units.map((u) => u.id)) });
    const names = await this.unitNames(units);
    const unitOf = new Map(units.map((u) => [u.id, u]));
    const items: DispatchReportItem[] = [];
    const seen = new Set<string>();
    const county = await this.divisionRecords.servedCounty(manager, caller.countyCode);
    const dueOf = (p: string) => reportDueOn(kind, p, countySettings(county?.settings));
    for (const report of pending) {
      const dueOn = dueOf(report.period);
      const late = isReportLate(report.status, dueOn, today);
      if (report.status !== 'returned' && !late) continue;
      seen.add(report.unitId + report.period);
      const unit = unitOf.get(report.unitId)!;
      items.push({
        reportId: report.id,
        kind,
        period: report.period,
        periodLabel: reportPeriodLabel(report.period),
        unit: { level: unit.level, id: unit.id, name: names.get(unit.id) ?? unit.id },
        status: report.status as 'draft' | 'returned',
        dueOn,
        late,
      });
    }
    if (today > dueNow) {
      const made = new Set(current.map((r) => r.unitId));
      for (const unit of units)
        if (!made.has(unit.id) && !seen.has(unit.id + period))
          items.push({
            reportId: null,
            kind,
            period,
            periodLabel: reportPeriodLabel(period),
            unit: { level: unit.level, id: unit.id, name: names.get(unit.id) ?? unit.id },
            status: 'missing',
            dueOn: dueNow,
            late: true,
          });
    }
    return items.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.unit.name.localeCompare(b.unit.name, 'zh')));
  }

  /** The .xlsx of a report in the layout officials hand in. */
  async exportOf(caller: Caller, id: string): Promise<{ view: ReportView; unitName: string }> {
    const view = await this.get(caller, id);
    const { report } = await this.readable(caller, id);
    await this.audit.record(caller, this.auditEntry('report.export', report));
    return { view, unitName: view.unit.name };
  }

  /** The period asked for, checked against the kind, or the one due now. */
  private periodOf(kind: ReportKind, period: string | undefined): string {
    if (period === undefined) return reportablePeriod(kind, chinaDay(this.clock.now()));
    if (!isReportPeriod(kind, period))
      throw AppError.invalid({ period: kind === 'county_quarterly' ? '报告期应为季度（如 2026-Q4）' : '报告期应为月份（如 2026-11）' });
    return period;
  }

  /** Figures of a unit and period, generated now: the cases', the roster's, and a county's 巩固率. */
  private async generate(unit: ReportUnitRef, kind: ReportKind, period: string): Promise<ReportFigures> {
    const { from, to } = reportPeriodRange(period);
    const manager = this.dataSource.manager;
    const scope = unit.level === 'school' ? { schoolId: unit.id } : { routingPrefix: divisionPrefix(unit.id) };
    const [cases, enrolment, consolidation] = await Promise.all([
      this.caseRecords.reportFigures(manager, scope, from, to, this.clock.now()),
      this.tallies.enrolledByStage(unit.level === 'school' ? { schoolId: unit.id } : { divisionCode: unit.id }),
      kind === 'county_quarterly' ? this.consolidation.forUnit({ kind: 'county', code: unit.id }, schoolYearOf(to)) : null,
    ]);
    return {
      enrolment,
      ...cases,
      consolidation: consolidation && {
        graduatingYear: consolidation.graduatingYear,
        rate: consolidation.total.rate,
        graduates: consolidation.total.graduates,
        intake: consolidation.total.intake,
        transfersIn: consolidation.total.transfersIn,
        transfersOut: consolidation.total.transfersOut,
      },
    };
  }

  /** The unit the caller reports for: a school's leader their school, a township's leader their township, a county admin their county. */
  private ownUnit(caller: Caller): ReportUnitRef | null {
    if (caller.role === 'county_admin' && caller.countyCode)
      return { level: 'county', id: caller.countyCode, countyCode: caller.countyCode, townshipCode: null };
    if (caller.role !== 'official' || caller.position !== 'leader' || !caller.unit) return null;
    if (caller.unit.kind === 'school')
      return { level: 'school', id: caller.unit.schoolId, countyCode: caller.unit.countyCode, townshipCode: caller.unit.townshipCode };
    if (divisionLevelOf(caller.unit.code) !== 'township') return null;
    return { level: 'township', id: caller.unit.code, countyCode: countyOf(caller.unit.code), townshipCode: caller.unit.code };
  }

  /** What the policy is asked about a report of a unit. */
  private policyRecord(unit: ReportUnitRef): PolicyRecord {
    if (unit.level === 'school') return { countyCode: unit.countyCode, divisionCode: unit.townshipCode, schoolId: unit.id };
    return { countyCode: unit.countyCode, divisionCode: unit.id };
  }

  private unitOfReport(report: PeriodicReport): ReportUnitRef {
    return {
      level: REPORT_CHAIN[report.kind].unitLevel,
      id: report.unitId,
      countyCode: report.countyCode,
      townshipCode: report.townshipCode,
    };
  }

  /** What the caller is to a report: its unit's submitter, the reviewer above it, the county (which reads its units' reports). */
  private rolesIn(caller: Caller, report: PeriodicReport): { submitter: boolean; reviewer: boolean; reader: boolean } {
    const actors = recordActorsFor(caller, 'read_report', this.policyRecord(this.unitOfReport(report)));
    const own = this.ownUnit(caller);
    const submitter = actors.has(SUBMITTER[report.kind]) && own?.id === report.unitId;
    const reviewer = actors.has(REVIEWER[report.kind]) && !submitter && (caller.role !== 'official' || caller.position === 'leader');
    return { submitter, reviewer, reader: submitter || reviewer || actors.has('county_admin') };
  }

  /** A report the caller may read; anything else is not found. */
  private async readable(caller: Caller, id: string): Promise<{ report: PeriodicReport; unit: ReportUnitRef }> {
    requireRecordAccess(caller, 'read_report');
    const report = await this.dataSource.manager.findOneBy(PeriodicReport, { id });
    if (!report || !this.rolesIn(caller, report).reader) throw AppError.notFound();
    return { report, unit: this.unitOfReport(report) };
  }

  private async asSubmitter(caller: Caller, id: string) {
    requireRecordAccess(caller, 'submit_report');
    const found = await this.readable(caller, id);
    if (!this.rolesIn(caller, found.report).submitter) throw AppError.forbidden('只能修改和上报本单位的报告', { unit: '不是本单位的报告' });
    return found;
  }

  private async asReviewer(caller: Caller, id: string) {
    requireRecordAccess(caller, 'review_report');
    const found = await this.readable(caller, id);
    const roles = this.rolesIn(caller, found.report);
    if (roles.submitter) throw AppError.forbidden('不能审核本单位上报的报告，应由上一级审核', { id: '本单位的报告' });
    if (!roles.reviewer)
      throw AppError.forbidden(`${REPORT_KINDS[found.report.kind]}由上一级（${REPORT_CHAIN[found.report.kind].to}）审核`);
    return found;
  }

  /** The kinds the caller reviews: a township's leaders its schools', the county its townships', a region its counties'. */
  private reviewedKinds(caller: Caller): ReportKind[] {
    if (caller.role === 'region_admin') return ['county_quarterly'];
    if (caller.role === 'county_admin') return ['township_monthly'];
    if (
      caller.role === 'official' &&
      caller.position === 'leader' &&
      caller.unit?.kind === 'division' &&
      divisionLevelOf(caller.unit.code) === 'township'
    )
      return ['school_monthly'];
    return [];
  }

  /**
   * The units whose reports of a kind the caller sees side by side: those it reviews (a township's
   * schools, a county's townships, a region's counties), the county all of its schools, and a unit
   * its own report. Above the county only counties (aggregates only).
   */
  private async unitsFor(caller: Caller, kind: ReportKind): Promise<ReportUnitRef[]> {
    const manager = this.dataSource.manager;
    const own = this.ownUnit(caller);
    if (caller.role === 'region_admin') {
      if (kind !== 'county_quarterly') throw AppError.forbidden('市、省教育局只能查看各县的季报', { kind: '只能查看县季报' });
      return this.unitsBelow(manager, caller, kind);
    }
    if (caller.role === 'county_admin' && kind !== 'county_quarterly') return this.unitsBelow(manager, caller, kind);
    if (kind === 'school_monthly' && this.reviewedKinds(caller).includes(kind)) return this.unitsBelow(manager, caller, kind);
    if (own && KIND_OF_LEVEL[own.level] === kind) return [own];
    throw AppError.forbidden('您无权查看这类报告', { kind: '无权查看这类报告' });
  }

  /** The units below the caller that report a kind (in the caller's county or region), by code or name. */
  private async unitsBelow(manager: EntityManager, caller: Caller, kind: ReportKind): Promise<ReportUnitRef[]> {
    if (kind === 'county_quarterly') {
      if (caller.role !== 'region_admin' || caller.unit?.kind !== 'division') return [];
      const counties = await this.divisionRecords.servedCountiesUnder(manager, divisionPrefix(caller.unit.code));
      return counties.map((c) => ({ level: 'county' as const, id: c.code, countyCode: c.code, townshipCode: null }));
    }
    if (!caller.countyCode) return [];
    const countyCode = caller.countyCode;
    if (kind === 'township_monthly') {
      const divisions = await this.divisionRecords.townshipsAndVillagesOf(manager, countyCode);
      return divisions
        .filter((d) => d.level === 'township')
        .map((d) => d.code)
        .sort()
        .map((code) => ({ level: 'township' as const, id: code, countyCode, townshipCode: code }));
    }
    const schools = await this.schools.inCounty(manager, countyCode);
    const townships = await this.schools.townshipsOf(
      manager,
      schools.map((s) => s.id),
    );
    const township = caller.role === 'official' && caller.unit?.kind === 'division' ? caller.unit.code : null;
    return schools
      .filter((s) => township === null || townships.get(s.id) === township)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
      .map((s) => ({ level: 'school' as const, id: s.id, countyCode, townshipCode: townships.get(s.id) ?? null }));
  }

  /** Each county's due day of a kind and period, from its settings (one read of the served counties for a region's many). */
  private async dueDays(manager: EntityManager, kind: ReportKind, period: string, counties: string[]): Promise<Map<string, string>> {
    const codes = [...new Set(counties)];
    const stored =
      codes.length === 1
        ? [await this.divisionRecords.servedCounty(manager, codes[0]!)].flatMap((county) => (county ? [county] : []))
        : await this.divisionRecords.servedCounties(manager);
    const settings = new Map(stored.map((county) => [county.code, county.settings]));
    return new Map(codes.map((code) => [code, reportDueOn(kind, period, countySettings(settings.get(code)))]));
  }

  private async unitNames(units: ReportUnitRef[]): Promise<Map<string, string>> {
    const schoolIds = units.filter((u) => u.level === 'school').map((u) => u.id);
    const codes = units.filter((u) => u.level !== 'school').map((u) => u.id);
    const [schools, divisions] = await Promise.all([
      this.schools.schoolNames(this.dataSource.manager, schoolIds),
      this.divisions.names(codes),
    ]);
    return new Map([...schools, ...divisions]);
  }

  /** Moves a report from one of `from` to the values, in the caller's transaction; false when it was not in `from` (someone moved it first). */
  private async step(tx: EntityManager, id: string, from: ReportStatus[], values: Partial<PeriodicReport>): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .update(PeriodicReport)
      .set(values)
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async event(tx: EntityManager, reportId: string, action: ReportEventAction, caller: Caller, comment: string | null, at: Date) {
    await tx.insert(PeriodicReportEvent, { id: newId(at.getTime()), reportId, action, at, actorId: caller.userId, comment });
  }

  private auditEntry(
    action: 'report.submit' | 'report.approve' | 'report.return' | 'report.reopen' | 'report.export',
    report: PeriodicReport,
  ) {
    return {
      action,
      targetType: 'report',
      targetId: report.id,
      placeCode: report.kind === 'school_monthly' ? report.townshipCode : report.unitId,
      details: { kind: report.kind, period: report.period, unit: report.unitId } as Record<string, string | number | boolean | null>,
    };
  }

  private async summaries(manager: EntityManager, rows: PeriodicReport[], names: Map<string, string>): Promise<ReportSummary[]> {
    const today = chinaDay(this.clock.now());
    const counties = [...new Set(rows.map((r) => r.countyCode))];
    const settings = new Map<string, ReturnType<typeof countySettings>>();
    for (const code of counties) settings.set(code, countySettings((await this.divisionRecords.servedCounty(manager, code))?.settings));
    return rows.map((report) => {
      const dueOn = reportDueOn(report.kind, report.period, settings.get(report.countyCode)!);
      const unit = this.unitOfReport(report);
      return {
        id: report.id,
        kind: report.kind,
        period: report.period,
        periodLabel: reportPeriodLabel(report.period),
        unit: { level: unit.level, id: unit.id, name: names.get(unit.id) ?? unit.id },
        status: report.status,
        dueOn,
        late: isReportLate(report.status, dueOn, today),
        submittedAt: report.submittedAt?.toISOString() ?? null,
        approvedAt: report.approvedAt?.toISOString() ?? null,
        returnedAt: report.returnedAt?.toISOString() ?? null,
        updatedAt: report.updatedAt.toISOString(),
      };
    });
  }

  private async view(caller: Caller, report: PeriodicReport): Promise<ReportView> {
    const manager = this.dataSource.manager;
    const unit = this.unitOfReport(report);
    const previousPeriod = previousReportPeriod(report.period);
    const [names, events, earlier] = await Promise.all([
      this.unitNames([unit]),
      manager.find(PeriodicReportEvent, { where: { reportId: report.id }, order: { at: 'ASC', id: 'ASC' } }),
      manager.findOneBy(PeriodicReport, { kind: report.kind, unitId: report.unitId, period: previousPeriod }),
    ]);
    // last period beside: as approved when it was, else generated now from the data
    const previous =
      earlier?.status === 'approved'
        ? { source: 'approved' as const, figures: earlier.figures }
        : { source: 'generated' as const, figures: await this.generate(unit, report.kind, previousPeriod) };
    const people = await userNamesOf(manager, [report.submittedBy, report.approvedBy, ...events.map((e) => e.actorId)]);
    const [summary] = await this.summaries(manager, [report], names);
    const { from, to } = reportPeriodRange(report.period);
    const roles = this.rolesIn(caller, report);
    const actions: ReportAction[] = [];
    if (roles.submitter && EDITABLE.includes(report.status)) actions.push('refresh', 'edit', 'submit');
    if (roles.reviewer && report.status === 'submitted') actions.push('approve', 'return');
    if (roles.reviewer && report.status === 'approved') actions.push('reopen');
    return {
      ...summary!,
      toLabel: REPORT_CHAIN[report.kind].to,
      from,
      to,
      figures: report.figures,
      generatedAt: report.generatedAt.toISOString(),
      previous: { period: previousPeriod, periodLabel: reportPeriodLabel(previousPeriod), ...previous },
      lines: reportFigureLines(report.figures, previous.figures),
      explanation: report.explanation,
      reviewComment: report.reviewComment,
      submittedByName: report.submittedBy ? (people.get(report.submittedBy) ?? null) : null,
      approvedByName: report.approvedBy ? (people.get(report.approvedBy) ?? null) : null,
      history: events.map((e) => ({
        action: e.action,
        at: e.at.toISOString(),
        byName: e.actorId ? (people.get(e.actorId) ?? null) : null,
        comment: e.comment,
      })),
      actions,
    };
  }
}
