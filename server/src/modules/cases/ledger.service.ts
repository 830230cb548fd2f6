import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_SOURCES,
  CASE_STATUS_LABELS,
  CHILD_SEXES,
  chinaDay,
  DROPOUT_CAUSES,
  divisionPrefix,
  endOfChinaDay,
  ESCALATION_STEPS,
  gradeLabel,
  maskedOrNull,
  NOT_DROPOUT_REASONS,
  PLACEMENT_MODES,
  PRIORITY_GROUPS,
  startOfChinaDay,
  VISIT_OUTCOMES,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { In, type DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, divisionInReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { ChildRecords } from '../children/child-records';
import { DivisionsService } from '../divisions/divisions.service';
import { CASE_SCOPE } from './case-access';
import { CaseEvent, CaseVisit, DropoutCase } from './case.entity';
import { CaseViewsService } from './case-views.service';

export interface LedgerQuery {
  /** Only these cases, comma-separated (a selection in the inbox); ids the caller may not read are left out unsaid. */
  ids?: string;
  from?: string;
  to?: string;
  under?: string;
  revealIds: 'true' | 'false';
  /** Why full ID numbers are needed: the contract requires it with `revealIds`; kept in the audit entry. */
  reason?: string;
}

const MAX_ROWS = 50_000;

/** The China day of an optional instant, blank when absent (a ledger cell). */
function dayOrBlank(date: Date | null | undefined): string {
  return date ? chinaDay(date) : '';
}

/**
 * 台账: every case of a unit and period with its child, guardians, place, school, causes, visits,
 * placement, dates and status, as .xlsx. ID numbers are masked unless a county admin asks for them
 * with a reason (recorded in the audit entry); tipsters are never in it. Every export is audited.
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly divisions: DivisionsService,
    private readonly views: CaseViewsService,
    private readonly audit: AuditService,
    private readonly childRecords: ChildRecords,
    private readonly userRecords: UserRecords,
  ) {}

  async export(caller: Caller, query: LedgerQuery): Promise<{ fileName: string; content: Buffer }> {
    const revealIds = query.revealIds === 'true';
    if (revealIds) {
      requireRecordAccess(caller, 'export_ledger_ids');
      // the contract asks for it; a caller that reaches here without one is refused the same way
      if (!query.reason) throw AppError.invalid({ reason: '导出完整身份证号须说明理由' });
    }
    if (query.under && !divisionInReadScope(caller, 'read_case', query.under))
      throw AppError.forbidden('只能导出本单位范围内的台账', { under: '不在您的管辖范围内' });
    if (query.from && query.to && query.from > query.to) throw AppError.invalid({ to: '结束日期不能早于开始日期' });
    const manager = this.dataSource.manager;
    const qb = applyScope(manager.createQueryBuilder(DropoutCase, 'c'), caller, 'read_case', CASE_SCOPE)
      .andWhere('c.merged_into_id IS NULL')
      .orderBy('c.opened_at', 'ASC')
      .limit(MAX_ROWS + 1);
    // on top of the scope: a selected case the caller may not read is simply not in the file
    if (query.ids) qb.andWhere('c.id IN (:...ids)', { ids: query.ids.split(',') });
    if (query.under) qb.andWhere('c.routing_code LIKE :under', { under: `${divisionPrefix(query.under)}%` });
    if (query.from) qb.andWhere('c.opened_at >= :from', { from: startOfChinaDay(query.from) });
    if (query.to) qb.andWhere('c.opened_at <= :to', { to: endOfChinaDay(query.to) });
    const cases = await qb.getMany();
    if (cases.length > MAX_ROWS) throw AppError.invalid({ from: `一次最多导出${MAX_ROWS}个案件，请缩小时间范围` });

    const ids = cases.map((c) => c.id);
    const childIds = cases.map((c) => c.childId);
    const [children, visits, events, guardianships] = await Promise.all([
      this.childRecords.findByIds(manager, childIds),
      ids.length ? manager.find(CaseVisit, { where: { caseId: In(ids) }, order: { visitedOn: 'ASC' } }) : [],
      ids.length ? manager.find(CaseEvent, { where: { caseId: In(ids), kind: 'accepted' } }) : [],
      this.childRecords.guardiansOf(manager, childIds),
    ]);
    const guardianUserNames = await this.userRecords.displayNames(
      manager,
      guardianships.map((g) => g.userId),
    );
    const places = [...cases.flatMap((c) => [c.townshipCode, c.villageCode])].filter((c): c is string => !!c);
    const [names, schools, users] = await Promise.all([
      this.divisions.names(places),
      this.views.schoolNames(manager, [...cases.map((c) => c.schoolId), ...cases.map((c) => c.returnSchoolId)]),
      this.views.userNames(manager, [...cases.map((c) => c.assigneeId), ...visits.map((v) => v.recordedBy)]),
    ]);
    const childById = new Map(children.map((c) => [c.id, c]));
    const visitsByCase = new Map<string, CaseVisit[]>();
    for (const v of visits) visitsByCase.set(v.caseId, [...(visitsByCase.get(v.caseId) ?? []), v]);
    const acceptedAt = new Map(events.map((e) => [e.caseId, e.at]));
    const guardianNames = new Map<string, string[]>();
    for (const g of guardianships) {
      const name = guardianUserNames.get(g.userId);
      if (name) guardianNames.set(g.childId, [...(guardianNames.get(g.childId) ?? []), `${name}（${g.relation}）`]);
    }

    const workbook = new ExcelJS.Workbook();
    workbook.creator = '保学通';
    workbook.created = this.clock.now();
    const sheet = workbook.addWorksheet('控辍保学台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      { header: '序号', key: 'index', width: 6 },
      { header: '案件编号', key: 'number', width: 18 },
      { header: '儿童姓名', key: 'name', width: 10 },
      { header: '性别', key: 'sex', width: 6 },
      { header: '出生年份', key: 'birthYear', width: 9 },
      { header: '身份证号', key: 'idNumber', width: 21 },
      { header: '重点群体', key: 'priority', width: 16 },
      { header: '监护人', key: 'guardians', width: 18 },
      { header: '乡镇', key: 'township', width: 12 },
      { header: '村', key: 'village', width: 18 },
      { header: '学校', key: 'school', width: 22 },
      { header: '来源', key: 'source', width: 10 },
      { header: '状态', key: 'status', width: 10 },
      { header: '辍学原因', key: 'causes', width: 24 },
      { header: '包抓干部', key: 'assignee', width: 10 },
      { header: '家访次数', key: 'visitCount', width: 8 },
      { header: '家访记录', key: 'visits', width: 60 },
      { header: '升级措施', key: 'escalation', width: 24 },
      { header: '非辍学原因', key: 'notDropout', width: 14 },
      { header: '返校日期', key: 'returnedOn', width: 12 },
      { header: '返校学校', key: 'returnSchool', width: 22 },
      { header: '返校年级', key: 'returnGrade', width: 8 },
      { header: '安置方式', key: 'placement', width: 10 },
      { header: '立案日期', key: 'openedOn', width: 12 },
      { header: '受理日期', key: 'acceptedOn', width: 12 },
      { header: '确认辍学日期', key: 'confirmedOn', width: 12 },
      { header: '销号/结案日期', key: 'closedOn', width: 12 },
    ];
    sheet.getRow(1).font = { bold: true };
    cases.forEach((c, i) => {
      const child = childById.get(c.childId)!;
      const caseVisits = visitsByCase.get(c.id) ?? [];
      sheet.addRow({
        index: i + 1,
        number: c.caseNumber,
        name: child.name,
        sex: CHILD_SEXES[child.sex],
        birthYear: child.birthYear ?? '',
        idNumber: (revealIds ? child.idNumber : maskedOrNull(child.idNumber)) ?? '',
        priority: child.priorityGroups.map((g) => PRIORITY_GROUPS[g]).join('、'),
        guardians: (guardianNames.get(child.id) ?? []).join('、'),
        township: c.townshipCode ? (names.get(c.townshipCode) ?? '') : '县级待分派',
        village: c.villageCode ? (names.get(c.villageCode) ?? '') : '',
        school: c.schoolId ? (schools.get(c.schoolId) ?? '') : '',
        source: CASE_SOURCES[c.source],
        status: CASE_STATUS_LABELS[c.status],
        causes: (c.causes ?? []).map((cause) => DROPOUT_CAUSES[cause]).join('、'),
        assignee: c.assigneeId ? (users.get(c.assigneeId) ?? '') : '',
        visitCount: caseVisits.length,
        visits: caseVisits
          .map(
            (v) =>
              `${v.visitedOn} ${v.visitors}；见到：${v.met}；原因：${v.statedReason}；结果：${VISIT_OUTCOMES[v.outcome as keyof typeof VISIT_OUTCOMES] ?? v.outcome}`,
          )
          .join('\n'),
        escalation: (c.escalationSteps ?? []).map((s) => ESCALATION_STEPS[s]).join('、'),
        notDropout: c.notDropoutReason ? NOT_DROPOUT_REASONS[c.notDropoutReason] : '',
        returnedOn: c.returnedOn ?? '',
        returnSchool: c.returnSchoolId ? (schools.get(c.returnSchoolId) ?? '') : '',
        returnGrade: c.returnGrade === null ? '' : gradeLabel(c.returnGrade),
        placement: c.placement ? PLACEMENT_MODES[c.placement] : '',
        openedOn: dayOrBlank(c.openedAt),
        acceptedOn: dayOrBlank(acceptedAt.get(c.id)),
        confirmedOn: dayOrBlank(c.confirmedAt),
        closedOn: dayOrBlank(c.closedAt),
      });
    });
    sheet.getColumn('visits').alignment = { wrapText: true, vertical: 'top' };

    const visitSheet = workbook.addWorksheet('家访记录', { views: [{ state: 'frozen', ySplit: 1 }] });
    visitSheet.columns = [
      { header: '案件编号', key: 'caseNumber', width: 18 },
      { header: '儿童姓名', key: 'name', width: 10 },
      { header: '家访日期', key: 'visitedOn', width: 12 },
      { header: '走访人员', key: 'visitors', width: 20 },
      { header: '见到的人', key: 'met', width: 12 },
      { header: '家庭陈述的原因', key: 'statedReason', width: 30 },
      { header: '承诺事项', key: 'commitments', width: 30 },
      { header: '结果', key: 'outcome', width: 12 },
      { header: '登记人', key: 'recordedBy', width: 10 },
    ];
    visitSheet.getRow(1).font = { bold: true };
    const caseById = new Map(cases.map((c) => [c.id, c]));
    for (const v of visits) {
      visitSheet.addRow({
        caseNumber: caseById.get(v.caseId)!.caseNumber,
        name: childById.get(caseById.get(v.caseId)!.childId)?.name ?? '',
        visitedOn: v.visitedOn,
        visitors: v.visitors,
        met: v.met,
        statedReason: v.statedReason,
        commitments: v.commitments ?? '',
        outcome: VISIT_OUTCOMES[v.outcome as keyof typeof VISIT_OUTCOMES] ?? v.outcome,
        recordedBy: users.get(v.recordedBy) ?? '',
      });
    }

    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.audit.record(caller, {
      action: 'ledger.export',
      targetType: 'ledger',
      targetId: query.under ?? caller.countyCode ?? null,
      placeCode: query.under ?? null,
      reason: revealIds ? query.reason : null,
      details: { cases: cases.length, revealIds, from: query.from ?? null, to: query.to ?? null },
    });
    const today = chinaDay(this.clock.now());
    return { fileName: `控辍保学台账-${today}.xlsx`, content };
  }
}
