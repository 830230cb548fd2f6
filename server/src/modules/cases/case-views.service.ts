import { Injectable } from '@nestjs/common';
import { type AttendanceSummary, type CaseAction, type CaseDetail, type CaseListItem, type TransferView } from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import { UserRecords } from '../accounts/user-records';
import { ChildRecords } from '../children/child-records';
import { DivisionsService } from '../divisions/divisions.service';
import { schoolNames } from '../schools/school-names';
import { CaseEvent, CaseNotice, CaseRouting, CaseTransfer, CaseVisit, DropoutCase } from './case.entity';
import { CaseTips } from './case-tips';
import { listedCase, listedChild, type CaseListRow } from './case-list-query';
import { casePlaceCode, mapCaseDetail, mapCaseListItem, mapTransfer } from './case.mappers';

/** A list item and the priority it was listed by (the page's cursor carries it). */
export interface ListedItem {
  item: CaseListItem;
  priority: number;
}

/** Turns cases into the shapes officials see, with every lookup batched per page. */
@Injectable()
export class CaseViewsService {
  constructor(
    private readonly divisions: DivisionsService,
    private readonly caseTips: CaseTips,
    private readonly childRecords: ChildRecords,
    private readonly userRecords: UserRecords,
  ) {}

  /**
   * List items of the rows a case list read (`caseListStatements`): the schools, the assignee and
   * a waiting transfer came with each row, the division names come from the names cache.
   */
  async listedItems(rows: CaseListRow[], now: Date): Promise<ListedItem[]> {
    if (rows.length === 0) return [];
    const listed = rows.map((row) => ({ record: listedCase(row), child: listedChild(row) }));
    const places = listed.map(({ record, child }) => casePlaceCode(record, child));
    const [fullNames, divisionNames] = await Promise.all([
      this.divisions.fullNames(places.filter((p): p is string => !!p)),
      this.divisions.names(listed.flatMap(({ record }) => (record.townshipCode ? [record.townshipCode] : []))),
    ]);
    const names = (pairs: Array<[string | null, string | null]>) =>
      new Map(pairs.filter((pair): pair is [string, string] => pair[0] !== null && pair[1] !== null));
    const lookups = {
      places: fullNames,
      divisionNames,
      schoolNames: names(
        rows.flatMap((r): Array<[string | null, string | null]> => [
          [r.school_id, r.school_name],
          [r.child_school_id, r.roster_school_name],
        ]),
      ),
      userNames: names(rows.map((r) => [r.assignee_id, r.assignee_name])),
      transferPending: new Set(rows.filter((r) => Number(r.transfer_pending) === 1).map((r) => r.id)),
    };
    return listed.map(({ record, child }) => ({ item: mapCaseListItem(record, child, lookups, now), priority: record.priority }));
  }

  async listItems(manager: EntityManager, cases: DropoutCase[], now: Date): Promise<CaseListItem[]> {
    if (cases.length === 0) return [];
    const children = await this.childRecords.findByIds(
      manager,
      cases.map((c) => c.childId),
    );
    const childById = new Map(children.map((c) => [c.id, c]));
    const places = cases.map((c) => casePlaceCode(c, childById.get(c.childId)!));
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
    const lookups = {
      places: fullNames,
      divisionNames: names,
      schoolNames: schools,
      userNames: users,
      transferPending: new Set(pending.map((t) => t.caseId)),
    };
    return cases.map((c) => mapCaseListItem(c, childById.get(c.childId)!, lookups, now));
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
      this.caseTips.officialViews(manager, record.id),
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
      this.schoolNames(manager, [...routings.map((r) => r.schoolId), record.returnSchoolId, record.confirmingSchoolId]),
      this.userNames(manager, [
        ...routings.map((r) => r.actorId),
        ...events.map((e) => e.actorId),
        ...events.map((e) => (typeof e.data?.assigneeId === 'string' ? e.data.assigneeId : null)),
        ...visits.map((v) => v.recordedBy),
      ]),
    ]);
    const child = await this.childRecords.getById(manager, record.childId);
    return mapCaseDetail(record, {
      item: item!,
      childName: child.name,
      routings,
      events,
      visits,
      notices,
      transfers: await this.transferViews(manager, transfers, now),
      tips,
      attendance,
      actions,
      divisionNames,
      schoolNames: schools,
      userNames: users,
    });
  }

  async transferViews(manager: EntityManager, transfers: CaseTransfer[], now: Date): Promise<TransferView[]> {
    if (transfers.length === 0) return [];
    const cases = await manager.findBy(DropoutCase, { id: In([...new Set(transfers.map((t) => t.caseId))]) });
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const childNames = await this.childRecords.namesOf(
      manager,
      cases.map((c) => c.childId),
    );
    const [townships, schools] = await Promise.all([
      this.divisions.names(
        [...transfers.map((t) => t.toTownshipCode), ...cases.map((c) => c.townshipCode)].filter((c): c is string => !!c),
      ),
      this.schoolNames(
        manager,
        transfers.map((t) => t.toSchoolId),
      ),
    ]);
    const lookups = { townshipNames: townships, schoolNames: schools };
    return transfers.map((t) => {
      const from = caseById.get(t.caseId);
      return mapTransfer(t, from, from ? (childNames.get(from.childId) ?? '') : '', lookups, now);
    });
  }

  async schoolNames(manager: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    return schoolNames(manager, ids);
  }

  async userNames(manager: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    return this.userRecords.displayNames(manager, [...new Set(ids.filter((id): id is string => !!id))]);
  }
}
