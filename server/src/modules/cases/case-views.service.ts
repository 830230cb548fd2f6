import { Injectable } from '@nestjs/common';
import {
  CASE_STATUS_LABELS,
  CAUSE_SUPPORT,
  DROPOUT_CAUSES,
  ESCALATION_STEPS,
  isOpenCase,
  maskIdNumber,
  nextEscalationStep,
  NOT_DROPOUT_REASONS,
  PLACEMENT_MODES,
  VISIT_OUTCOMES,
  type AttendanceSummary,
  type CaseAction,
  type CaseDetail,
  type CaseListItem,
  type NoticeView,
  type OfficialTipView,
  type RoutingView,
  type TransferView,
  type VisitOutcome,
} from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Child } from '../children/child.entity';
import { DivisionsService } from '../divisions/divisions.service';
import { School } from '../schools/school.entity';
import { Tip } from '../tips/tip.entity';
import { UploadsService } from '../uploads/uploads.service';
import { CaseEvent, CaseNotice, CaseRouting, CaseTransfer, CaseVisit, DropoutCase } from './case.entity';
import { DUE_LABELS } from './case-steps';

export function toNoticeView(notice: CaseNotice, childName: string): NoticeView {
  return {
    id: notice.id,
    caseId: notice.caseId,
    childName,
    issuedAt: notice.issuedAt.toISOString(),
    deadlineOn: notice.deadlineOn,
    text: notice.text,
    delivery: notice.delivery,
    deliveredAt: notice.deliveredAt?.toISOString() ?? null,
    receivedBy: notice.receivedBy,
    acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
  };
}

type EventData = Record<string, string | number | boolean | null> | null;

/** One Chinese sentence per kind of timeline event. Names and codes come resolved in `names`. */
function summarise(event: CaseEvent, names: Map<string, string>): string {
  const data: NonNullable<EventData> = event.data ?? {};
  const name = (key: string) => names.get(String(data[key] ?? '')) ?? '';
  switch (event.kind) {
    case 'opened':
      return data.source === 'tip' ? '收到监督员线索，立案' : '立案';
    case 'tip_attached':
      return '收到同一儿童的补充线索';
    case 'routed':
      return data.townshipCode ? `分派到${name('townshipCode')}` : '进入县级待分派';
    case 'returned_to_triage':
      return `${name('townshipCode')}退回县级分派：${String(data.reason ?? '')}`;
    case 'accepted':
      return `受理，包抓干部：${name('assigneeId')}`;
    case 'merged_from':
      return `并入了另一案件的${String(data.tips ?? 0)}条线索：${String(data.reason ?? '')}`;
    case 'merged_into':
      return `本案件已并入另一案件：${String(data.reason ?? '')}`;
    case 'split_out':
      return `拆分出一条线索为新案件：${String(data.reason ?? '')}`;
    case 'split_from':
      return `由另一案件拆分而来：${String(data.reason ?? '')}`;
    case 'child_merged':
      return `同一儿童的两条记录已合并：${String(data.reason ?? '')}`;
    case 'child_split':
      return `拆分了错误合并的儿童记录：${String(data.reason ?? '')}`;
    case 'reopened_by_split':
      return '儿童记录拆分后，本案件恢复办理';
    case 'child_review_rejected':
      return `核对后确认另一条相似的儿童记录不是同一儿童：${String(data.reason ?? '')}`;
    case 'tipster_revealed':
      return `查看了线索提供人，原因：${String(data.reason ?? '')}`;
    case 'status_changed':
      return `状态改为${CASE_STATUS_LABELS[data.to as keyof typeof CASE_STATUS_LABELS] ?? ''}`;
    case 'closed_not_dropout':
      return `核实非辍学：${NOT_DROPOUT_REASONS[data.reason as keyof typeof NOT_DROPOUT_REASONS] ?? ''}`;
    case 'awaiting_school_confirmation':
      return `已转学，等待${name('schoolId')}确认就读`;
    case 'enrolment_confirmed':
      return '接收学校确认孩子已在校就读';
    case 'verification_started':
      return '开始核查';
    case 'confirmed':
      return '确认辍学';
    case 'causes_set':
      return '更新了辍学原因';
    case 'visit_logged':
      return `家访劝返：${VISIT_OUTCOMES[data.outcome as keyof typeof VISIT_OUTCOMES] ?? ''}`;
    case 'escalated':
      return ESCALATION_STEPS[data.step as keyof typeof ESCALATION_STEPS] ?? '升级处理';
    case 'notice_acknowledged':
      return '监护人已确认收到《限期返校通知书》';
    case 'notice_paper_delivered':
      return `《限期返校通知书》已纸质送达，签收人：${String(data.receivedBy ?? '')}`;
    case 'returned':
      return `返校：${PLACEMENT_MODES[data.placement as keyof typeof PLACEMENT_MODES] ?? ''}`;
    case 'closed':
      return '销号';
    case 'reopened':
      return `重新劝返：${String(data.reason ?? '')}`;
    case 'relapse_detected':
      return `返校后连续${String(data.days ?? '')}个上学日缺勤，重新劝返`;
    case 'absences_reported':
      return `学校报告：自${String(data.streakStart ?? '')}起连续${String(data.streak ?? '')}个上学日未请假缺勤（近期共${String(data.inWindow ?? '')}天）`;
    case 'assignee_changed':
      return `更换包抓干部为${name('assigneeId')}`;
    case 'transfer_requested':
      return `申请移交：${String(data.reason ?? '')}`;
    case 'transfer_accepted':
      return '移交已被接收';
    case 'transfer_rejected':
      return `移交被拒绝：${String(data.note ?? '')}`;
    case 'transfer_escalated':
      return '移交逾期未接收，已报县教育局';
    case 'overdue':
      return data.to === 'county' ? '逾期未办，已升级到县教育局' : '逾期未办，已提醒乡镇负责人';
    case 'recheck_done':
      return data.result === 'attending' ? '复查：在校就读' : '复查：缺勤';
    default:
      return event.kind;
  }
}

/** Turns cases into the shapes officials see, with every lookup batched per page. */
@Injectable()
export class CaseViewsService {
  constructor(
    private readonly divisions: DivisionsService,
    private readonly uploads: UploadsService,
  ) {}

  async listItems(manager: EntityManager, cases: DropoutCase[], now: Date): Promise<CaseListItem[]> {
    if (cases.length === 0) return [];
    const children = await manager.findBy(Child, { id: In(cases.map((c) => c.childId)) });
    const childById = new Map(children.map((c) => [c.id, c]));
    const places = cases.map((c) => childById.get(c.childId)?.villageCode ?? c.townshipCode);
    const [fullNames, names, schools, users, pending] = await Promise.all([
      this.divisions.fullNames(places.filter((p): p is string => !!p)),
      this.divisions.names(cases.flatMap((c) => (c.townshipCode ? [c.townshipCode] : []))),
      this.schoolNames(manager, [...cases.map((c) => c.schoolId), ...children.map((c) => c.schoolId)]),
      this.userNames(
        manager,
        cases.map((c) => c.assigneeId),
      ),
      manager.find(CaseTransfer, { where: { caseId: In(cases.map((c) => c.id)), status: 'pending' }, select: { caseId: true } }),
    ]);
    const transferPending = new Set(pending.map((t) => t.caseId));
    return cases.map((c, i) => {
      const child = childById.get(c.childId)!;
      const place = places[i];
      return {
        id: c.id,
        status: c.status,
        source: c.source,
        child: {
          name: child.name,
          sex: child.sex,
          birthYear: child.birthYear,
          idNumberMasked: child.idNumber ? maskIdNumber(child.idNumber) : null,
          priorityGroups: child.priorityGroups,
          roster: child.studentNumber
            ? { schoolName: child.schoolId ? (schools.get(child.schoolId) ?? null) : null, grade: child.grade, className: child.className }
            : null,
        },
        place: place ? (fullNames.get(place) ?? null) : null,
        townshipCode: c.townshipCode,
        townshipName: c.townshipCode ? (names.get(c.townshipCode) ?? null) : null,
        schoolName: c.schoolId ? (schools.get(c.schoolId) ?? null) : null,
        openedAt: c.openedAt.toISOString(),
        dueAt: c.dueAt?.toISOString() ?? null,
        overdue: !!c.dueAt && c.dueAt.getTime() < now.getTime(),
        tipCount: c.tipCount,
        assigneeName: c.assigneeId ? (users.get(c.assigneeId) ?? null) : null,
        escalatedTo: c.escalatedTo,
        transferPending: transferPending.has(c.id),
      };
    });
  }

  async detail(
    manager: EntityManager,
    record: DropoutCase,
    now: Date,
    actions: CaseAction[],
    attendance: AttendanceSummary | null,
  ): Promise<CaseDetail> {
    const [item] = await this.listItems(manager, [record], now);
    const [tips, routings, events, visits, notices, transfers] = await Promise.all([
      manager.find(Tip, { where: { caseId: record.id }, order: { createdAt: 'ASC' } }),
      manager.find(CaseRouting, { where: { caseId: record.id }, order: { at: 'ASC' } }),
      manager.find(CaseEvent, { where: { caseId: record.id }, order: { at: 'ASC' } }),
      manager.find(CaseVisit, { where: { caseId: record.id }, order: { visitedOn: 'ASC', recordedAt: 'ASC' } }),
      manager.find(CaseNotice, { where: { caseId: record.id }, order: { issuedAt: 'ASC' } }),
      manager.find(CaseTransfer, { where: { caseId: record.id }, order: { requestedAt: 'ASC' } }),
    ]);
    const divisionCodes = [
      ...routings.flatMap((r) => (r.townshipCode ? [r.townshipCode] : [])),
      ...events.flatMap((e) => (typeof e.data?.townshipCode === 'string' ? [e.data.townshipCode] : [])),
    ];
    const [divisionNames, schools, users] = await Promise.all([
      this.divisions.names(divisionCodes),
      this.schoolNames(manager, [
        ...routings.map((r) => r.schoolId),
        ...tips.map((t) => t.lastSchoolId),
        record.returnSchoolId,
        record.confirmingSchoolId,
      ]),
      this.userNames(manager, [
        ...routings.map((r) => r.actorId),
        ...events.map((e) => e.actorId),
        ...events.map((e) => (typeof e.data?.assigneeId === 'string' ? e.data.assigneeId : null)),
        ...visits.map((v) => v.recordedBy),
      ]),
    ]);
    const names = new Map([...divisionNames, ...users, ...schools]);
    const taken = record.escalationSteps ?? [];
    const child = await manager.findOneByOrFail(Child, { id: record.childId });
    return {
      ...item!,
      version: record.version,
      childId: record.childId,
      villageCode: record.villageCode,
      countyCode: record.countyCode,
      assigneeId: record.assigneeId,
      nextStep:
        record.dueKind && isOpenCase(record.status)
          ? { kind: record.dueKind, label: DUE_LABELS[record.dueKind], dueAt: record.dueAt?.toISOString() ?? null }
          : null,
      causes: (record.causes ?? []).map((cause) => ({ cause, label: DROPOUT_CAUSES[cause], support: CAUSE_SUPPORT[cause] })),
      confirmedAt: record.confirmedAt?.toISOString() ?? null,
      notDropoutReason: record.notDropoutReason,
      confirmingSchoolName: record.confirmingSchoolId ? (schools.get(record.confirmingSchoolId) ?? null) : null,
      escalationSteps: taken,
      nextEscalationStep: nextEscalationStep(taken),
      visits: visits.map((v) => ({
        id: v.id,
        visitedOn: v.visitedOn,
        visitors: v.visitors,
        met: v.met,
        statedReason: v.statedReason,
        commitments: v.commitments,
        outcome: v.outcome as VisitOutcome,
        recordedByName: users.get(v.recordedBy) ?? null,
      })),
      notices: notices.map((n) => toNoticeView(n, child.name)),
      transfers: await this.transferViews(manager, transfers, now),
      returned:
        record.returnedOn && record.returnGrade !== null && record.placement
          ? {
              returnedOn: record.returnedOn,
              schoolName: record.returnSchoolId ? (schools.get(record.returnSchoolId) ?? null) : null,
              grade: record.returnGrade,
              placement: record.placement,
            }
          : null,
      attendance,
      tips: await this.officialTips(tips, schools),
      routings: routings.map((r): RoutingView => ({
        at: r.at.toISOString(),
        townshipCode: r.townshipCode,
        townshipName: r.townshipCode ? (divisionNames.get(r.townshipCode) ?? null) : null,
        schoolName: r.schoolId ? (schools.get(r.schoolId) ?? null) : null,
        rule: r.rule,
        byName: r.actorId ? (users.get(r.actorId) ?? null) : null,
        reason: r.reason,
      })),
      events: events.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        summary: summarise(e, names),
        byName: e.actorId ? (users.get(e.actorId) ?? null) : null,
      })),
      actions,
    };
  }

  async transferViews(manager: EntityManager, transfers: CaseTransfer[], now: Date): Promise<TransferView[]> {
    if (transfers.length === 0) return [];
    const cases = await manager.findBy(DropoutCase, { id: In([...new Set(transfers.map((t) => t.caseId))]) });
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const children = await manager.find(Child, { where: { id: In(cases.map((c) => c.childId)) }, select: { id: true, name: true } });
    const childNames = new Map(children.map((c) => [c.id, c.name]));
    const [townships, schools] = await Promise.all([
      this.divisions.names(
        [...transfers.map((t) => t.toTownshipCode), ...cases.map((c) => c.townshipCode)].filter((c): c is string => !!c),
      ),
      this.schoolNames(
        manager,
        transfers.map((t) => t.toSchoolId),
      ),
    ]);
    return transfers.map((t) => {
      const from = caseById.get(t.caseId);
      return {
        id: t.id,
        caseId: t.caseId,
        childName: from ? (childNames.get(from.childId) ?? '') : '',
        fromTownshipName: from?.townshipCode ? (townships.get(from.townshipCode) ?? null) : null,
        toTownshipName: t.toTownshipCode ? (townships.get(t.toTownshipCode) ?? null) : null,
        toSchoolName: t.toSchoolId ? (schools.get(t.toSchoolId) ?? null) : null,
        reason: t.reason,
        requestedAt: t.requestedAt.toISOString(),
        dueAt: t.dueAt.toISOString(),
        status: t.status,
        overdue: t.status === 'pending' && t.dueAt.getTime() < now.getTime(),
      };
    });
  }

  /** Tips as officials see them: what was reported, never who reported it. */
  private async officialTips(tips: Tip[], schools: Map<string, string>): Promise<OfficialTipView[]> {
    const places = await this.divisions.fullNames(tips.flatMap((t) => (t.divisionCode ? [t.divisionCode] : [])));
    return tips.map((t) => ({
      id: t.id,
      createdAt: t.createdAt.toISOString(),
      child: {
        name: t.childName,
        sex: t.childSex,
        age: t.childAge,
        grade: t.childGrade,
        schoolName: t.lastSchoolId ? (schools.get(t.lastSchoolId) ?? t.lastSchoolName) : t.lastSchoolName,
        idNumberMasked: t.childIdNumber ? maskIdNumber(t.childIdNumber) : null,
      },
      place: t.divisionCode ? (places.get(t.divisionCode) ?? null) : null,
      locationNote: t.locationNote,
      observation: t.observation,
      photoUrl: t.photoId ? this.uploads.signedUrl(t.photoId) : null,
    }));
  }

  async schoolNames(manager: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    if (unique.length === 0) return new Map();
    const schools = await manager.find(School, { where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(schools.map((s) => [s.id, s.name]));
  }

  async userNames(manager: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    if (unique.length === 0) return new Map();
    const users = await manager.find(User, { where: { id: In(unique) }, select: { id: true, displayName: true } });
    return new Map(users.map((u) => [u.id, u.displayName]));
  }
}
