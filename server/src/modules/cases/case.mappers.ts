import {
  CASE_STATUS_LABELS,
  CAUSE_SUPPORT,
  DROPOUT_CAUSES,
  ESCALATION_STEPS,
  isOpenCase,
  maskedOrNull,
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
import type { ChildRow } from '../children/child-records';
import type { CaseEvent, CaseNotice, CaseRouting, CaseTransfer, CaseVisit, DropoutCase } from './case.entity';
import { DUE_LABELS } from './case-steps';

// Pure mappers from case records to the contract's shapes. The services look names up (batched per
// page) and pass them in; nothing here reads the database.

type Names = ReadonlyMap<string, string>;

const nameOf = (names: Names, id: string | null): string | null => (id ? (names.get(id) ?? null) : null);

export function mapNotice(notice: CaseNotice, childName: string): NoticeView {
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
export function summariseEvent(event: CaseEvent, names: ReadonlyMap<string, string>): string {
  const data: NonNullable<EventData> = event.data ?? {};
  const name = (key: string) => names.get(String(data[key] ?? '')) ?? '';
  switch (event.kind) {
    case 'opened':
      return data.source === 'tip' ? '收到监督员线索，立案' : data.source === 'school' ? '学校上报疑似辍学，立案' : '立案';
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
    case 'spot_check_reopened':
      return `督导抽查发现孩子未在校，重新劝返：${String(data.note ?? '')}`;
    case 'relapse_detected':
      return `返校后连续${String(data.days ?? '')}个上学日缺勤，重新劝返`;
    case 'absences_reported':
      return `学校报告：自${String(data.streakStart ?? '')}起连续${String(data.streak ?? '')}个上学日未请假缺勤（近期共${String(data.inWindow ?? '')}天）`;
    case 'school_reported':
      return `${String(data.schoolName ?? '学校')}上报疑似辍学：${String(data.reason ?? '')}${data.contacts ? `（已联系家长${String(data.contacts)}次：${String(data.contactSummary ?? '')}）` : '（未登记家校联系）'}`;
    case 'pupil_change':
      return `学籍异动：${String(data.summary ?? '')}`;
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

/** What a case list item reads of the child. */
export type CaseChildFields = Pick<
  ChildRow,
  'name' | 'sex' | 'birthYear' | 'idNumber' | 'priorityGroups' | 'studentNumber' | 'schoolId' | 'grade' | 'className' | 'villageCode'
>;

export interface CaseListLookups {
  /** Full place names by division code (the child's village, else the case's township). */
  places: Names;
  /** Short division names (townships). */
  divisionNames: Names;
  schoolNames: Names;
  userNames: Names;
  /** Cases with a transfer waiting to be accepted. */
  transferPending: ReadonlySet<string>;
}

/** The division whose full name places a case: the child's village, else the case's township. */
export function casePlaceCode(record: Pick<DropoutCase, 'townshipCode'>, child: Pick<ChildRow, 'villageCode'>): string | null {
  return child.villageCode ?? record.townshipCode;
}

/** What a case list item reads of the case. */
export type ListedCase = Pick<
  DropoutCase,
  'id' | 'caseNumber' | 'status' | 'source' | 'townshipCode' | 'schoolId' | 'assigneeId' | 'openedAt' | 'dueAt' | 'tipCount' | 'escalatedTo'
>;

export function mapCaseListItem(record: ListedCase, child: CaseChildFields, lookups: CaseListLookups, now: Date): CaseListItem {
  const place = casePlaceCode(record, child);
  return {
    id: record.id,
    number: record.caseNumber,
    status: record.status,
    source: record.source,
    child: {
      name: child.name,
      sex: child.sex,
      birthYear: child.birthYear,
      idNumberMasked: maskedOrNull(child.idNumber),
      priorityGroups: child.priorityGroups,
      roster: child.studentNumber
        ? { schoolName: nameOf(lookups.schoolNames, child.schoolId), grade: child.grade, className: child.className }
        : null,
    },
    place: nameOf(lookups.places, place),
    townshipCode: record.townshipCode,
    townshipName: nameOf(lookups.divisionNames, record.townshipCode),
    schoolName: nameOf(lookups.schoolNames, record.schoolId),
    openedAt: record.openedAt.toISOString(),
    dueAt: record.dueAt?.toISOString() ?? null,
    overdue: !!record.dueAt && record.dueAt.getTime() < now.getTime(),
    tipCount: record.tipCount,
    assigneeName: nameOf(lookups.userNames, record.assigneeId),
    escalatedTo: record.escalatedTo,
    transferPending: lookups.transferPending.has(record.id),
  };
}

export interface TransferLookups {
  /** Township names by division code. */
  townshipNames: Names;
  schoolNames: Names;
}

/** `from` is the case being transferred; its child's name comes looked up. */
export function mapTransfer(
  transfer: CaseTransfer,
  from: Pick<DropoutCase, 'townshipCode'> | undefined,
  childName: string,
  lookups: TransferLookups,
  now: Date,
): TransferView {
  return {
    id: transfer.id,
    caseId: transfer.caseId,
    childName,
    fromTownshipName: nameOf(lookups.townshipNames, from?.townshipCode ?? null),
    toTownshipName: nameOf(lookups.townshipNames, transfer.toTownshipCode),
    toSchoolName: nameOf(lookups.schoolNames, transfer.toSchoolId),
    reason: transfer.reason,
    requestedAt: transfer.requestedAt.toISOString(),
    dueAt: transfer.dueAt.toISOString(),
    status: transfer.status,
    overdue: transfer.status === 'pending' && transfer.dueAt.getTime() < now.getTime(),
  };
}

/** Everything a case detail shows beyond its list item, already loaded and mapped where it has its own mapper. */
export interface CaseDetailParts {
  item: CaseListItem;
  childName: string;
  routings: CaseRouting[];
  events: CaseEvent[];
  visits: CaseVisit[];
  notices: CaseNotice[];
  transfers: TransferView[];
  tips: OfficialTipView[];
  attendance: AttendanceSummary | null;
  actions: CaseAction[];
  /** Names of the divisions, schools and users the records mention. */
  divisionNames: Names;
  schoolNames: Names;
  userNames: Names;
}

export function mapCaseDetail(record: DropoutCase, parts: CaseDetailParts): CaseDetail {
  const { divisionNames, schoolNames, userNames } = parts;
  const names = new Map([...divisionNames, ...userNames, ...schoolNames]);
  const taken = record.escalationSteps ?? [];
  return {
    ...parts.item,
    version: record.version,
    childId: record.childId,
    villageCode: record.villageCode,
    countyCode: record.countyCode,
    assigneeId: record.assigneeId,
    schoolId: record.schoolId,
    nextStep:
      record.dueKind && isOpenCase(record.status)
        ? { kind: record.dueKind, label: DUE_LABELS[record.dueKind], dueAt: record.dueAt?.toISOString() ?? null }
        : null,
    causes: (record.causes ?? []).map((cause) => ({ cause, label: DROPOUT_CAUSES[cause], support: CAUSE_SUPPORT[cause] })),
    confirmedAt: record.confirmedAt?.toISOString() ?? null,
    notDropoutReason: record.notDropoutReason,
    confirmingSchoolName: nameOf(schoolNames, record.confirmingSchoolId),
    escalationSteps: taken,
    nextEscalationStep: nextEscalationStep(taken),
    visits: parts.visits.map((v) => ({
      id: v.id,
      visitedOn: v.visitedOn,
      visitors: v.visitors,
      met: v.met,
      statedReason: v.statedReason,
      commitments: v.commitments,
      outcome: v.outcome as VisitOutcome,
      recordedByName: userNames.get(v.recordedBy) ?? null,
    })),
    notices: parts.notices.map((n) => mapNotice(n, parts.childName)),
    transfers: parts.transfers,
    returned:
      record.returnedOn && record.returnGrade !== null && record.placement
        ? {
            returnedOn: record.returnedOn,
            schoolName: nameOf(schoolNames, record.returnSchoolId),
            grade: record.returnGrade,
            placement: record.placement,
          }
        : null,
    attendance: parts.attendance,
    tips: parts.tips,
    routings: parts.routings.map((r): RoutingView => ({
      at: r.at.toISOString(),
      townshipCode: r.townshipCode,
      townshipName: nameOf(divisionNames, r.townshipCode),
      schoolName: nameOf(schoolNames, r.schoolId),
      rule: r.rule,
      byName: nameOf(userNames, r.actorId),
      reason: r.reason,
    })),
    events: parts.events.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      summary: summariseEvent(e, names),
      byName: nameOf(userNames, e.actorId),
    })),
    actions: parts.actions,
  };
}
