import { Injectable } from '@nestjs/common';
import {
  CASE_STATUS_LABELS,
  maskIdNumber,
  NOT_DROPOUT_REASONS,
  type CaseDetail,
  type CaseListItem,
  type OfficialTipView,
  type RoutingView,
} from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Child } from '../children/child.entity';
import { DivisionsService } from '../divisions/divisions.service';
import { School } from '../schools/school.entity';
import { Tip } from '../tips/tip.entity';
import { UploadsService } from '../uploads/uploads.service';
import { CaseEvent, CaseRouting, type DropoutCase } from './case.entity';

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
    case 'tipster_revealed':
      return `查看了线索提供人，原因：${String(data.reason ?? '')}`;
    case 'status_changed':
      return `状态改为${CASE_STATUS_LABELS[data.to as keyof typeof CASE_STATUS_LABELS] ?? ''}`;
    case 'closed_not_dropout':
      return `核实非辍学：${NOT_DROPOUT_REASONS[data.reason as keyof typeof NOT_DROPOUT_REASONS] ?? ''}`;
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
    const [fullNames, names, schools, users] = await Promise.all([
      this.divisions.fullNames(places.filter((p): p is string => !!p)),
      this.divisions.names(cases.flatMap((c) => (c.townshipCode ? [c.townshipCode] : []))),
      this.schoolNames(
        manager,
        cases.map((c) => c.schoolId),
      ),
      this.userNames(
        manager,
        cases.map((c) => c.assigneeId),
      ),
    ]);
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
      };
    });
  }

  async detail(manager: EntityManager, record: DropoutCase, now: Date, actions: string[]): Promise<CaseDetail> {
    const [item] = await this.listItems(manager, [record], now);
    const [tips, routings, events] = await Promise.all([
      manager.find(Tip, { where: { caseId: record.id }, order: { createdAt: 'ASC' } }),
      manager.find(CaseRouting, { where: { caseId: record.id }, order: { at: 'ASC' } }),
      manager.find(CaseEvent, { where: { caseId: record.id }, order: { at: 'ASC' } }),
    ]);
    const divisionCodes = [
      ...routings.flatMap((r) => (r.townshipCode ? [r.townshipCode] : [])),
      ...events.flatMap((e) => (typeof e.data?.townshipCode === 'string' ? [e.data.townshipCode] : [])),
    ];
    const [divisionNames, schools, users] = await Promise.all([
      this.divisions.names(divisionCodes),
      this.schoolNames(manager, [...routings.map((r) => r.schoolId), ...tips.map((t) => t.lastSchoolId)]),
      this.userNames(manager, [
        ...routings.map((r) => r.actorId),
        ...events.map((e) => e.actorId),
        ...events.map((e) => (typeof e.data?.assigneeId === 'string' ? e.data.assigneeId : null)),
      ]),
    ]);
    const names = new Map([...divisionNames, ...users]);
    return {
      ...item!,
      version: record.version,
      villageCode: record.villageCode,
      countyCode: record.countyCode,
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
