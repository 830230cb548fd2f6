import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  chinaDay,
  ancestorDivisionCode,
  divisionLevelOf,
  divisionPrefix,
  entrantBirthWindow,
  isWithinDivision,
  pageLink,
  type EnrolmentBatchView,
  type EnrolmentNoticeState,
  type issueEnrolmentRequest,
} from '@baoxue/shared';
import { Brackets, In, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, divisionInReadScope, inReadScope, readScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { ChildRecords, type ChildRow, type GuardianshipRow, type RosterGuardianRow } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { schoolNamesOf } from '../children/lookups';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { HouseholdRecords, type HouseholdMemberRow } from '../registry/household-records';
import { SchoolRecords, type SchoolRow } from '../schools/school-records';
import { EnrolmentBatch, EnrolmentNotice, DeferralApplication } from './enrolment.entities';
import { mapEnrolmentBatch, mapFollowUpGroup, mapFollowUpItem } from './enrolment.mappers';
import { enrolmentNoticeText } from './enrolment-text';
import { NoticePdfService } from './notice-pdf.service';
import { snapshotTransaction } from '../../database/transaction';

type IssueInput = z.output<typeof issueEnrolmentRequest>;

/** Notices of a batch, per village or school, as the follow-up list reads them. */
export const NOTICE_SCOPE = { division: 'COALESCE(n.village_code, n.county_code)', school: 'n.school_id' } as const;

const MAX_NOTICES_PER_BATCH = 20_000;
const MAX_FOLLOW_UP_ITEMS = 500;
const MAX_PRINTED = 1_000;
const REMIND_AGAIN_AFTER_MS = 24 * 3_600_000;
const WRITE_CHUNK = 200;

/** An `under` filter must lie in the caller's area; a school lists its own school's notices, which a place only narrows. */
function mayNarrowTo(caller: Caller, under: string): boolean {
  return readScope(caller, 'read_enrolment_notice')?.relation === 'school' || divisionInReadScope(caller, 'read_enrolment_notice', under);
}

/** The state of a notice: an approved deferral, then a pending one, then the receipt, then whether it was opened. */
export function noticeState(notice: EnrolmentNotice, deferral: DeferralApplication | undefined): EnrolmentNoticeState {
  if (deferral?.status === 'approved') return 'deferred';
  if (deferral?.status === 'pending') return 'deferral_pending';
  if (notice.acknowledgedAt) return 'acknowledged';
  return notice.readAt ? 'read' : 'issued';
}

/** The latest application of each notice. */
export async function latestDeferrals(manager: EntityManager, noticeIds: string[]): Promise<Map<string, DeferralApplication>> {
  const latest = new Map<string, DeferralApplication>();
  for (let i = 0; i < noticeIds.length; i += 1000) {
    const rows = await manager.find(DeferralApplication, {
      where: { noticeId: In(noticeIds.slice(i, i + 1000)) },
      order: { appliedAt: 'ASC' },
    });
    for (const row of rows) latest.set(row.noticeId, row);
  }
  return latest;
}

export interface Counts {
  total: number;
  acknowledged: number;
  deferred: number;
  pending: number;
  overdue: number;
  deferralsToDecide: number;
}

function emptyCounts(): Counts {
  return { total: 0, acknowledged: 0, deferred: 0, pending: 0, overdue: 0, deferralsToDecide: 0 };
}

function count(counts: Counts, state: EnrolmentNoticeState, overdue: boolean): void {
  counts.total++;
  if (state === 'acknowledged') counts.acknowledged++;
  else if (state === 'deferred') counts.deferred++;
  else if (state === 'deferral_pending') counts.deferralsToDecide++;
  else {
    counts.pending++;
    if (overdue) counts.overdue++;
  }
}

/**
 * Enrolment notices 入学通知书 issued in bulk by the county or a school: every child turning 6 by
 * 31 August in a catchment, or every sixth-grader of some primary schools to their junior school.
 * Each child gets one notice per school year, with the binding code printed on paper; guardians
 * bound in the app are told at once. Officials follow up, per school and village, who has not
 * acknowledged by the deadline, and remind them.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly divisions: DivisionsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly pdf: NoticePdfService,
    private readonly registry: ChildRegistry,
    private readonly childRecords: ChildRecords,
    private readonly schoolRecords: SchoolRecords,
    private readonly householdRecords: HouseholdRecords,
  ) {}

  async issue(caller: Caller, input: IssueInput) {
    const manager = this.dataSource.manager;
    const school = await this.schoolRecords.findById(manager, input.schoolId);
    if (!school) throw AppError.invalid({ schoolId: '学校不存在' });
    const issuingSchoolId = this.authoriseIssuer(caller, school, input);
    if (input.kind === 'new_entrants' && school.stage === 'junior')
      throw AppError.invalid({ schoolId: '新生入学请选择小学或九年一贯制学校' });
    if (input.kind === 'graduates' && school.stage === 'primary')
      throw AppError.invalid({ schoolId: '小学毕业生请选择初中或九年一贯制学校' });

    const candidates =
      input.kind === 'new_entrants' ? await this.entrants(manager, school, input) : await this.graduates(manager, school, input);
    const noticed = new Set<string>();
    const existingIds = candidates.children.map((c) => c.id);
    for (let i = 0; i < existingIds.length; i += 1000) {
      const rows = await manager.find(EnrolmentNotice, {
        where: { childId: In(existingIds.slice(i, i + 1000)), schoolYear: input.schoolYear },
        select: { childId: true },
      });
      for (const row of rows) noticed.add(row.childId);
    }
    const children = candidates.children.filter((c) => !noticed.has(c.id));
    const total = children.length + candidates.household.length;
    if (total > MAX_NOTICES_PER_BATCH) throw AppError.invalid({ catchment: `一次最多发出${MAX_NOTICES_PER_BATCH}份通知书，请缩小范围` });
    const guardianships = await this.guardianshipsOf(
      manager,
      children.map((c) => c.id),
    );
    const withoutApp = total - new Set(guardianships.map((g) => g.childId)).size;
    if (input.dryRun) return { batch: null, notified: total, alreadyNoticed: noticed.size, withoutApp };
    if (total === 0)
      throw AppError.invalid({ [input.kind === 'new_entrants' ? 'catchment' : 'fromSchoolIds']: '范围内没有需要发通知书的孩子' });

    const now = this.clock.now();
    const issuerName = await this.issuerName(manager, issuingSchoolId, school);
    const batch: EnrolmentBatch = {
      id: newId(),
      countyCode: school.countyCode,
      kind: input.kind,
      schoolYear: input.schoolYear,
      schoolId: school.id,
      reportOn: input.reportOn,
      reportTime: input.reportTime,
      reportPlace: input.reportPlace,
      bring: input.bring,
      contact: input.contact,
      acknowledgeBy: input.acknowledgeBy,
      issuerName,
      issuedBy: caller.userId,
      issuedAt: now,
    };
    const notified = await snapshotTransaction(this.dataSource, async (tx) => {
      await tx.insert(EnrolmentBatch, batch);
      const listed = new Set(candidates.children.map((c) => c.id));
      const household = await this.householdChildren(tx, candidates.household, school.countyCode, input.schoolYear, listed, now);
      const all = [...children, ...household];
      await this.childRecords.ensureBindingCodes(tx, all);
      const rosterGuardians = await this.rosterGuardians(
        tx,
        all.map((c) => c.id),
      );
      const notices: EnrolmentNotice[] = all.map((child) => ({
        id: newId(),
        batchId: batch.id,
        childId: child.id,
        schoolYear: input.schoolYear,
        schoolId: school.id,
        countyCode: child.countyCode ?? school.countyCode,
        villageCode: child.villageCode,
        text: enrolmentNoticeText({
          kind: input.kind,
          childName: child.name,
          guardianNames: rosterGuardians.get(child.id) ?? [],
          birthDate: child.birthDate,
          schoolYear: input.schoolYear,
          schoolName: school.name,
          reportOn: input.reportOn,
          reportTime: input.reportTime,
          reportPlace: input.reportPlace,
          bring: input.bring,
          contact: input.contact,
          acknowledgeBy: input.acknowledgeBy,
          issuerName,
          issuedOn: chinaDay(now),
        }),
        issuedAt: now,
        readAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        remindedAt: null,
        reminders: 0,
      }));
      for (let i = 0; i < notices.length; i += WRITE_CHUNK) await tx.insert(EnrolmentNotice, notices.slice(i, i + WRITE_CHUNK));
      const byChild = new Map(all.map((c) => [c.id, c]));
      for (const notice of notices) {
        const guardians = guardianships.filter((g) => g.childId === notice.childId).map((g) => g.userId);
        await this.notifications.notify(tx, guardians, {
          key: `enrolment:${notice.id}`,
          title: '入学通知书',
          body: `请于${input.reportOn}送${byChild.get(notice.childId)!.name}到${school.name}报到，并在${input.acknowledgeBy}前确认收到通知（回执）。`,
          link: pageLink('parentEnrolment', { id: notice.id }),
        });
      }
      await this.audit.record(
        caller,
        {
          action: 'enrolment.issue',
          targetType: 'enrolment_batch',
          targetId: batch.id,
          details: { kind: input.kind, schoolYear: input.schoolYear, notices: notices.length },
        },
        tx,
      );
      return notices.length;
    });
    return { batch: (await this.batchViews(manager, [batch]))[0]!, notified, alreadyNoticed: noticed.size, withoutApp };
  }

  async batches(caller: Caller): Promise<{ items: EnrolmentBatchView[] }> {
    const manager = this.dataSource.manager;
    const qb = manager.createQueryBuilder(EnrolmentBatch, 'b').orderBy('b.issued_at', 'DESC').limit(200);
    const scope = readScope(caller, 'read_enrolment_notice');
    if (scope?.relation === 'school') {
      // a school sees the batches it receives children from, and those its pupils were notified in
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('b.school_id = :school', { school: scope.schoolId })
            .orWhere(
              'b.id IN (SELECT n.batch_id FROM enrolment_notices n INNER JOIN children ch ON ch.id = n.child_id WHERE ch.school_id = :school)',
            ),
        ),
      );
    } else {
      // a division sees batches with notices inside it
      const scoped = applyScope(
        manager.createQueryBuilder(EnrolmentNotice, 'n').select('n.batch_id'),
        caller,
        'read_enrolment_notice',
        NOTICE_SCOPE,
      );
      qb.andWhere(`b.id IN (${scoped.getQuery()})`, scoped.getParameters());
    }
    return { items: await this.batchViews(manager, await qb.getMany(), caller) };
  }

  async followUp(caller: Caller, query: { batchId?: string; under?: string; schoolId?: string }) {
    if (query.under && !mayNarrowTo(caller, query.under))
      throw AppError.forbidden('只能查看本单位范围内的名单', { under: '不在您的管辖范围内' });
    const manager = this.dataSource.manager;
    const qb = applyScope(manager.createQueryBuilder(EnrolmentNotice, 'n'), caller, 'read_enrolment_notice', NOTICE_SCOPE).limit(
      MAX_NOTICES_PER_BATCH * 5,
    );
    if (query.batchId) qb.andWhere('n.batch_id = :batch', { batch: query.batchId });
    if (query.under) qb.andWhere('n.village_code LIKE :under', { under: `${divisionPrefix(query.under)}%` });
    if (query.schoolId) qb.andWhere('n.school_id = :schoolId', { schoolId: query.schoolId });
    const notices = await qb.getMany();
    const now = this.clock.now();
    const today = chinaDay(now);
    const [batches, deferrals, children, guardianships] = await Promise.all([
      notices.length ? manager.findBy(EnrolmentBatch, { id: In([...new Set(notices.map((n) => n.batchId))]) }) : [],
      latestDeferrals(
        manager,
        notices.map((n) => n.id),
      ),
      this.childNames(
        manager,
        notices.map((n) => n.childId),
      ),
      this.guardianshipsOf(
        manager,
        notices.map((n) => n.childId),
      ),
    ]);
    const batchById = new Map(batches.map((b) => [b.id, b]));
    const [schools, villages] = await Promise.all([
      schoolNamesOf(
        manager,
        notices.map((n) => n.schoolId),
      ),
      this.divisions.names(notices.map((n) => n.villageCode).filter((c): c is string => !!c)),
    ]);
    const inApp = new Map<string, number>();
    for (const g of guardianships) inApp.set(g.childId, (inApp.get(g.childId) ?? 0) + 1);

    const groups = new Map<string, { schoolId: string; villageCode: string | null; counts: Counts }>();
    const pending: Array<{ notice: EnrolmentNotice; state: EnrolmentNoticeState; overdue: boolean; acknowledgeBy: string }> = [];
    for (const notice of notices) {
      const acknowledgeBy = batchById.get(notice.batchId)?.acknowledgeBy ?? today;
      const state = noticeState(notice, deferrals.get(notice.id));
      const overdue = today > acknowledgeBy;
      const key = `${notice.schoolId}|${notice.villageCode ?? ''}`;
      const group = groups.get(key) ?? { schoolId: notice.schoolId, villageCode: notice.villageCode, counts: emptyCounts() };
      count(group.counts, state, overdue);
      groups.set(key, group);
      if (state === 'issued' || state === 'read') pending.push({ notice, state, overdue, acknowledgeBy });
    }
    pending.sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        (a.notice.villageCode ?? '').localeCompare(b.notice.villageCode ?? '') ||
        (children.get(a.notice.childId) ?? '').localeCompare(children.get(b.notice.childId) ?? '', 'zh'),
    );
    await this.audit.record(caller, {
      action: 'enrolment.follow_up.read',
      targetType: 'enrolment_batch',
      targetId: query.batchId ?? null,
      details: { notices: notices.length, pending: pending.length },
    });
    return {
      asOf: now.toISOString(),
      groups: [...groups.values()]
        .map((g) => mapFollowUpGroup(g, { schoolNames: schools, villageNames: villages }))
        .sort((a, b) => a.schoolName.localeCompare(b.schoolName, 'zh') || (a.villageCode ?? '').localeCompare(b.villageCode ?? '')),
      items: pending
        .slice(0, MAX_FOLLOW_UP_ITEMS)
        .map((p) => mapFollowUpItem(p, { childNames: children, schoolNames: schools, villageNames: villages, guardiansInApp: inApp })),
      truncated: pending.length > MAX_FOLLOW_UP_ITEMS,
    };
  }

  /** Reminds the guardians of every pending notice of a batch in the caller's scope (at most once a day each). */
  async remind(caller: Caller, batchId: string, under: string | null) {
    const batch = await this.visibleBatch(caller, batchId);
    if (under && !mayNarrowTo(caller, under)) throw AppError.forbidden('只能提醒本单位范围内的家长', { under: '不在您的管辖范围内' });
    const now = this.clock.now();
    return snapshotTransaction(this.dataSource, async (manager) => {
      const qb = applyScope(manager.createQueryBuilder(EnrolmentNotice, 'n'), caller, 'read_enrolment_notice', NOTICE_SCOPE)
        .andWhere('n.batch_id = :batch AND n.acknowledged_at IS NULL', { batch: batch.id })
        .limit(MAX_NOTICES_PER_BATCH);
      if (under) qb.andWhere('n.village_code LIKE :under', { under: `${divisionPrefix(under)}%` });
      const notices = await qb.getMany();
      const deferrals = await latestDeferrals(
        manager,
        notices.map((n) => n.id),
      );
      const open = notices.filter((n) => {
        const state = noticeState(n, deferrals.get(n.id));
        return state === 'issued' || state === 'read';
      });
      const guardianships = await this.guardianshipsOf(
        manager,
        open.map((n) => n.childId),
      );
      const names = await this.childNames(
        manager,
        open.map((n) => n.childId),
      );
      const result = { reminded: 0, guardians: 0, withoutApp: 0, skippedRecent: 0 };
      for (const notice of open) {
        const guardians = guardianships.filter((g) => g.childId === notice.childId).map((g) => g.userId);
        if (!guardians.length) {
          result.withoutApp++;
          continue;
        }
        if (notice.remindedAt && now.getTime() - notice.remindedAt.getTime() < REMIND_AGAIN_AFTER_MS) {
          result.skippedRecent++;
          continue;
        }
        await this.notifications.notify(manager, guardians, {
          key: `enrolment-reminder:${notice.id}:${now.getTime()}`,
          title: '请确认收到入学通知书',
          body: `${names.get(notice.childId) ?? '孩子'}的入学通知书还未回执，请在${batch.acknowledgeBy}前确认，并按时送孩子报到。`,
          link: pageLink('parentEnrolment', { id: notice.id }),
        });
        await manager.update(EnrolmentNotice, { id: notice.id }, { remindedAt: now, reminders: notice.reminders + 1 });
        result.reminded++;
        result.guardians += guardians.length;
      }
      await this.audit.record(
        caller,
        { action: 'enrolment.remind', targetType: 'enrolment_batch', targetId: batch.id, details: { ...result } },
        manager,
      );
      return result;
    });
  }

  /** Every notice of a batch in the caller's scope, one page each, for printing and handing out. */
  async batchPdf(caller: Caller, batchId: string): Promise<{ fileName: string; content: Buffer }> {
    const batch = await this.visibleBatch(caller, batchId);
    const manager = this.dataSource.manager;
    const notices = await applyScope(manager.createQueryBuilder(EnrolmentNotice, 'n'), caller, 'read_enrolment_notice', NOTICE_SCOPE)
      .andWhere('n.batch_id = :batch', { batch: batch.id })
      .orderBy('n.village_code', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(MAX_PRINTED + 1)
      .getMany();
    if (notices.length > MAX_PRINTED) throw AppError.invalid({ id: `一次最多打印${MAX_PRINTED}份，请按村或学校分别打印` });
    const children = await this.childRecords.findByIds(
      manager,
      notices.map((n) => n.childId),
    );
    const byId = new Map(children.map((c) => [c.id, c]));
    const schoolName = (await schoolNamesOf(manager, [batch.schoolId])).get(batch.schoolId) ?? '';
    const content = await this.pdf.render(
      notices.map((n) => ({
        text: n.text,
        childName: byId.get(n.childId)?.name ?? '',
        schoolName,
        bindingCode: byId.get(n.childId)?.bindingCode ?? null,
      })),
      `${batch.schoolYear}年秋季入学通知书`,
    );
    await this.audit.record(caller, {
      action: 'enrolment.print',
      targetType: 'enrolment_batch',
      targetId: batch.id,
      details: { notices: notices.length },
    });
    return { fileName: `${schoolName}${batch.schoolYear}年入学通知书.pdf`, content };
  }

  /** A batch the caller may act on: the county's, the receiving school's, or one with notices in the caller's division. */
  private async visibleBatch(caller: Caller, batchId: string): Promise<EnrolmentBatch> {
    const manager = this.dataSource.manager;
    const batch = await manager.findOneBy(EnrolmentBatch, { id: batchId });
    if (!batch) throw AppError.notFound();
    // the batch itself is its county's and its receiving school's
    if (inReadScope(caller, 'read_enrolment_notice', { county: batch.countyCode, school: batch.schoolId })) return batch;
    const inScope = await applyScope(manager.createQueryBuilder(EnrolmentNotice, 'n'), caller, 'read_enrolment_notice', NOTICE_SCOPE)
      .andWhere('n.batch_id = :batch', { batch: batch.id })
      .getExists();
    if (!inScope) throw AppError.notFound();
    return batch;
  }

  /** Refuses a caller who may not issue this batch; returns the issuing school (the caller's own), null for the county. */
  private authoriseIssuer(caller: Caller, school: SchoolRow, input: IssueInput): string | null {
    const actors = requireRecordAccess(caller, 'issue_enrolment_notices');
    if (actors.has('county_admin')) {
      if (caller.countyCode !== school.countyCode) throw AppError.invalid({ schoolId: '只能选择本县的学校' });
      for (const code of input.catchment)
        if (!isWithinDivision(code, school.countyCode)) throw AppError.invalid({ catchment: '招生范围应在本县内' });
      return null;
    }
    if (caller.unit?.kind !== 'school') throw AppError.forbidden(); // the policy let in school staff only
    const own = caller.unit.schoolId;
    const receiving = school.id === own;
    const sending = input.kind === 'graduates' && input.fromSchoolIds.length === 1 && input.fromSchoolIds[0] === own;
    if (!receiving && !sending) throw AppError.forbidden('学校只能为本校发出入学通知书', { schoolId: '请选择本校' });
    for (const code of input.catchment)
      if (!isWithinDivision(code, school.townshipCode))
        throw AppError.invalid({ catchment: '学校的招生范围应在本乡镇内，跨乡镇请由县教育局发出' });
    return own;
  }

  private async issuerName(manager: EntityManager, issuingSchoolId: string | null, school: SchoolRow): Promise<string> {
    if (issuingSchoolId) return (await schoolNamesOf(manager, [issuingSchoolId])).get(issuingSchoolId) ?? school.name;
    const county = (await this.divisions.names([school.countyCode], manager)).get(school.countyCode) ?? '';
    return `${county}教育局`;
  }

  /** Children turning 6 by 31 August who are in no school yet, living in the catchment; and household-registry children not yet known. */
  private async entrants(manager: EntityManager, school: SchoolRow, input: IssueInput) {
    const window = entrantBirthWindow(input.schoolYear);
    const prefixes = input.catchment.map(divisionPrefix);
    const children = await this.childRecords.entrantsIn(manager, window, prefixes, MAX_NOTICES_PER_BATCH + 1);
    const household = await this.householdRecords.entrantsIn(manager, school.countyCode, window, prefixes, MAX_NOTICES_PER_BATCH + 1);
    // a household child already known by ID number (on a roster, or in a case) is that child
    const ids = household.map((h) => h.idNumber).filter((id): id is string => !!id);
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000)
      for (const idNumber of await this.childRecords.knownIdNumbers(manager, ids.slice(i, i + 1000))) known.add(idNumber);
    const fresh = household.filter((h) => !h.idNumber || !known.has(h.idNumber));
    return { children, household: fresh };
  }

  private async graduates(manager: EntityManager, school: SchoolRow, input: IssueInput) {
    const from = await this.schoolRecords.findByIds(manager, input.fromSchoolIds);
    if (from.length !== new Set(input.fromSchoolIds).size) throw AppError.invalid({ fromSchoolIds: '所选小学不存在' });
    for (const s of from) {
      if (s.countyCode !== school.countyCode) throw AppError.invalid({ fromSchoolIds: '所选小学应与初中在同一个县' });
      if (s.stage === 'junior') throw AppError.invalid({ fromSchoolIds: `${s.name}不是小学` });
    }
    const children = await this.childRecords.pupilsOf(manager, { schoolIds: input.fromSchoolIds, grade: 6 }, MAX_NOTICES_PER_BATCH + 1);
    return { children, household: [] as HouseholdMemberRow[] };
  }

  /**
   * Household-registry children, through the child registry (BRIEF §3a): one already known (from a
   * tip, by name, birth date and village) is that child, and a new one gets a record with the
   * registry's guardian. A child already listed for this batch, already in school, or already sent
   * a notice for this school year is left out.
   */
  private async householdChildren(
    manager: EntityManager,
    members: HouseholdMemberRow[],
    countyCode: string,
    schoolYear: number,
    listed: Set<string>,
    now: Date,
  ): Promise<ChildRow[]> {
    const resolved = await this.registry.resolveMany(
      manager,
      members.map((m) => ({
        name: m.name,
        sex: m.sex,
        idNumber: m.idNumber,
        studentNumber: null,
        birthDate: m.birthDate,
        birthYear: Number(m.birthDate.slice(0, 4)),
        birthYearExact: true,
        villageCode: m.villageCode,
        schoolId: null,
        grade: null,
        countyCode,
      })),
      'household',
    );
    const known = [...new Set(resolved.flatMap((r) => (r.child && !r.created && !listed.has(r.child.id) ? [r.child.id] : [])))];
    const noticed = new Set<string>();
    for (let i = 0; i < known.length; i += 1000) {
      const rows = await manager.find(EnrolmentNotice, {
        where: { childId: In(known.slice(i, i + 1000)), schoolYear },
        select: { childId: true },
      });
      for (const row of rows) noticed.add(row.childId);
    }
    const children: ChildRow[] = [];
    const guardians: RosterGuardianRow[] = [];
    const taken = new Set(listed);
    for (const [i, { child, created }] of resolved.entries()) {
      if (!child || taken.has(child.id) || noticed.has(child.id) || (!created && child.grade !== null)) continue;
      taken.add(child.id);
      children.push(child);
      const member = members[i]!;
      if (created && member.guardianName)
        guardians.push({
          id: newId(),
          childId: child.id,
          name: member.guardianName,
          relation: '',
          phone: member.guardianPhone,
          createdAt: now,
        });
    }
    for (let i = 0; i < guardians.length; i += WRITE_CHUNK)
      await this.childRecords.addRosterGuardians(manager, guardians.slice(i, i + WRITE_CHUNK));
    return children;
  }

  private async rosterGuardians(manager: EntityManager, childIds: string[]): Promise<Map<string, string[]>> {
    const names = new Map<string, string[]>();
    for (let i = 0; i < childIds.length; i += 1000) {
      const rows = await this.childRecords.rosterGuardiansOf(manager, childIds.slice(i, i + 1000));
      for (const row of rows) names.set(row.childId, [...(names.get(row.childId) ?? []), row.name]);
    }
    return names;
  }

  private async guardianshipsOf(manager: EntityManager, childIds: string[]): Promise<GuardianshipRow[]> {
    const unique = [...new Set(childIds)];
    const rows: GuardianshipRow[] = [];
    for (let i = 0; i < unique.length; i += 1000) rows.push(...(await this.childRecords.guardiansOf(manager, unique.slice(i, i + 1000))));
    return rows;
  }

  private async childNames(manager: EntityManager, childIds: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(childIds)];
    const names = new Map<string, string>();
    for (let i = 0; i < unique.length; i += 1000)
      for (const [id, name] of await this.childRecords.namesOf(manager, unique.slice(i, i + 1000))) names.set(id, name);
    return names;
  }

  private async batchViews(manager: EntityManager, batches: EnrolmentBatch[], caller?: Caller): Promise<EnrolmentBatchView[]> {
    if (!batches.length) return [];
    const today = chinaDay(this.clock.now());
    const qb = manager.createQueryBuilder(EnrolmentNotice, 'n').where('n.batch_id IN (:...ids)', { ids: batches.map((b) => b.id) });
    // a township or village counts only its own children; the county and the receiving school the whole batch
    if (caller && readScope(caller, 'read_enrolment_notice')?.relation === 'division')
      applyScope(qb, caller, 'read_enrolment_notice', NOTICE_SCOPE);
    const notices = await qb.getMany();
    const deferrals = await latestDeferrals(
      manager,
      notices.map((n) => n.id),
    );
    const schools = await schoolNamesOf(
      manager,
      batches.map((b) => b.schoolId),
    );
    const counts = new Map(batches.map((b) => [b.id, emptyCounts()]));
    const byId = new Map(batches.map((b) => [b.id, b]));
    for (const n of notices) count(counts.get(n.batchId)!, noticeState(n, deferrals.get(n.id)), today > byId.get(n.batchId)!.acknowledgeBy);
    return batches.map((b) => mapEnrolmentBatch(b, schools, counts.get(b.id)!));
  }
}

/** The township a village belongs to, for deciding deferrals. */
export function townshipOf(villageCode: string | null): string | null {
  if (!villageCode || divisionLevelOf(villageCode) !== 'village') return null;
  return ancestorDivisionCode(villageCode, 'township');
}
