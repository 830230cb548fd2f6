import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  chinaDay,
  pageLink,
  PUPIL_CHANGE_KIND_LABELS,
  type NotDropoutReason,
  type pupilChangeConfirmRequest,
  type pupilChangeDecisionRequest,
  type pupilChangeListQuery,
  type pupilChangeRequest,
  type PupilChangeView,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { countyAdmins, schoolStaff } from '../accounts/recipients';
import { UserRecords } from '../accounts/user-records';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { applyScope, inReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { ChildRecords, placeOfChild, type ChildRow } from '../children/child-records';
import { DivisionsService } from '../divisions/divisions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SchoolRecords } from '../schools/school-records';
import { UploadsService } from '../uploads/uploads.service';
import { PupilChangeFollowers } from './pupil-change-followers';
import { OPEN_KEY, PupilChange } from './pupil-change.entity';
import { mapPupilChange } from './pupil-change.mappers';
import { transactionWithRetry } from '../../database/transaction';

type CreateInput = z.output<typeof pupilChangeRequest>;
type DecisionInput = z.output<typeof pupilChangeDecisionRequest>;
type ConfirmInput = z.output<typeof pupilChangeConfirmRequest>;
type ListQuery = z.output<typeof pupilChangeListQuery>;

/** How far an effective date may lie from today (calendar days): a change is recorded when it happens. */
const PAST_DAYS = 365;
const AHEAD_DAYS = 60;

/** What closes the pupil's open case when a change takes effect (NOT_DROPOUT_REASONS). */
const CLOSING_REASON: Record<PupilChange['kind'], NotDropoutReason> = {
  transfer_out: 'transferred',
  suspension: 'deferred',
  moved_away: 'moved_away',
};

/**
 * 学籍异动 (BRIEF §4a): the pupil's school records a transfer out (the receiving school confirms),
 * a 休学 (the county approves, with a document photo) or a move away (effective at once). An
 * effective change moves the child record (school, class; out of the county's enrolment for a move
 * away), closes the child's open case with the change as evidence, ends its absence alerts, and the
 * absence rules skip the pupil from then on (PupilChangeRecords.excludedChildren).
 */
@Injectable()
export class PupilChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly children: ChildRecords,
    private readonly schools: SchoolRecords,
    private readonly users: UserRecords,
    private readonly divisions: DivisionsService,
    private readonly cases: CasesService,
    private readonly uploads: UploadsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly followers: PupilChangeFollowers,
  ) {}

  async create(caller: Caller, input: CreateInput): Promise<PupilChangeView> {
    requireRecordAccess(caller, 'record_pupil_change');
    const schoolId = caller.unit?.kind === 'school' ? caller.unit.schoolId : null;
    const now = this.clock.now();
    const today = chinaDay(now);
    const id = newId(now.getTime());
    try {
      await transactionWithRetry(this.dataSource, async (manager) => {
        const child = await this.pupilOf(manager, input.childId, schoolId);
        this.checkEffectiveOn(input, today);
        const fromSchool = await this.schools.getById(manager, child.schoolId!);
        let toSchool = null;
        if (input.kind === 'transfer_out') {
          toSchool = await this.schools.findById(manager, input.toSchoolId!);
          if (!toSchool) throw AppError.invalid({ toSchoolId: '找不到该学校' });
          if (toSchool.id === child.schoolId) throw AppError.invalid({ toSchoolId: '转入学校不能是学生现在就读的学校' });
          if (!(await this.divisions.isServedCounty(toSchool.countyCode, manager)))
            throw AppError.invalid({ toSchoolId: '转入学校不在本系统服务的县内，请登记为“迁出本县”' });
        }
        const immediate = input.kind === 'moved_away';
        const change: PupilChange = {
          id,
          countyCode: fromSchool.countyCode,
          childId: child.id,
          kind: input.kind,
          status: 'pending',
          openKey: OPEN_KEY,
          fromSchoolId: fromSchool.id,
          fromGrade: child.grade,
          fromClassName: child.className,
          toSchoolId: toSchool?.id ?? null,
          destination: input.kind === 'moved_away' ? input.destination : null,
          effectiveOn: input.effectiveOn,
          reason: input.reason,
          documentUploadId: input.documentUploadId,
          requestedBy: caller.userId,
          requestedAt: now,
          decidedBy: null,
          decidedAt: null,
          decisionNote: null,
          closedCaseId: null,
        };
        // a pupil with a change pending is refused by the unique (child, open key), whatever races; a
        // move away goes in pending too, so that it meets the same key, and takes effect at once
        await manager.insert(PupilChange, { ...change });
        if (immediate) {
          Object.assign(change, { status: 'effective', openKey: id });
          await manager.update(PupilChange, { id }, { status: 'effective', openKey: id });
        }
        if (input.documentUploadId)
          await this.uploads.attach(manager, input.documentUploadId, caller.userId, 'pupil_change_document', id, 'documentUploadId');
        await this.audit.record(
          caller,
          {
            action: 'pupil_change.create',
            targetType: 'pupil_change',
            targetId: id,
            childId: child.id,
            placeCode: placeOfChild(child),
            details: { kind: input.kind },
          },
          manager,
        );
        if (immediate) await this.takeEffect(manager, change, child, caller.userId, null);
        else await this.announce(manager, change, child, fromSchool.name);
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppError('PUPIL_CHANGE_PENDING', undefined, { childId: '该学生已有一项学籍异动正在办理' });
      throw error;
    }
    return this.view(this.dataSource.manager, caller, id);
  }

  /** The caller's lists: outgoing (their school's pupils), incoming (transfers to their school), approval (休学 for the county). */
  async list(caller: Caller, query: ListQuery): Promise<{ items: PupilChangeView[]; nextCursor: string | null }> {
    const manager = this.dataSource.manager;
    const school = query.direction === 'incoming' ? 'pc.to_school_id' : 'pc.from_school_id';
    const qb = applyScope(manager.createQueryBuilder(PupilChange, 'pc'), caller, 'read_pupil_change', { county: 'pc.county_code', school })
      .orderBy('pc.id', 'DESC')
      .limit(query.limit + 1);
    if (query.direction === 'incoming') qb.andWhere("pc.kind = 'transfer_out'");
    if (query.direction === 'approval') qb.andWhere("pc.kind = 'suspension'");
    if (query.status) qb.andWhere('pc.status = :status', { status: query.status });
    if (query.cursor) {
      const [cursorId] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('pc.id < :cursorId', { cursorId });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: await this.views(manager, caller, page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  /** The receiving school confirms (or refuses) a pupil transferred to it. */
  async confirm(caller: Caller, id: string, input: ConfirmInput): Promise<PupilChangeView> {
    return this.decide(
      caller,
      id,
      input,
      'transfer_out',
      (change) => requireRecordAccess(caller, 'confirm_transfer_in', { schoolId: change.toSchoolId ?? undefined }),
      (manager, change, child) => this.takeEffect(manager, change, child, caller.userId, input.className),
    );
  }

  /** The county approves (or refuses) a 休学. */
  async decideSuspension(caller: Caller, id: string, input: DecisionInput): Promise<PupilChangeView> {
    return this.decide(
      caller,
      id,
      input,
      'suspension',
      (change) => requireRecordAccess(caller, 'decide_suspension', { countyCode: change.countyCode }),
      (manager, change, child) => this.takeEffect(manager, change, child, caller.userId, null),
    );
  }

  /**
   * A decision on a pending change: who may take it first (a refusal is never hidden behind "decided
   * already"), then one decision only (a guarded write), the effect when approved, the audit, and the
   * requesting school told.
   */
  private async decide(
    caller: Caller,
    id: string,
    input: DecisionInput,
    kind: PupilChange['kind'],
    guard: (change: PupilChange) => void,
    effect: (manager: EntityManager, change: PupilChange, child: ChildRow) => Promise<void>,
  ): Promise<PupilChangeView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const change = await this.visible(manager, caller, id);
      guard(change);
      if (change.kind !== kind) throw new AppError('PUPIL_CHANGE_WRONG_KIND');
      const child = await this.children.getById(manager, change.childId);
      const now = this.clock.now();
      const status = input.approve ? 'effective' : 'refused';
      const { affected } = await manager
        .createQueryBuilder()
        .update(PupilChange)
        .set({ status, openKey: change.id, decidedBy: caller.userId, decidedAt: now, decisionNote: input.note })
        .where('id = :id AND status = :pending', { id, pending: 'pending' })
        .execute();
      if (affected !== 1) throw new AppError('PUPIL_CHANGE_DECIDED');
      if (input.approve) await effect(manager, change, child);
      const action =
        kind === 'transfer_out'
          ? input.approve
            ? 'pupil_change.confirm'
            : 'pupil_change.refuse_transfer'
          : input.approve
            ? 'pupil_change.approve'
            : 'pupil_change.refuse';
      await this.audit.record(
        caller,
        { action, targetType: 'pupil_change', targetId: id, childId: child.id, placeCode: placeOfChild(child), reason: input.note },
        manager,
      );
      const label = PUPIL_CHANGE_KIND_LABELS[kind];
      const verdict =
        kind === 'transfer_out'
          ? input.approve
            ? '接收学校已确认'
            : '接收学校未接收'
          : input.approve
            ? '县教育局已批准'
            : '县教育局未批准';
      await this.notifications.notify(manager, [change.requestedBy], {
        key: `pupil-change-decided:${id}`,
        title: `学籍异动（${label}）：${verdict}`,
        body: `${child.name}的${label}申请${verdict}${input.note ? `：${input.note}` : '。'}`,
        link: pageLink('schoolChanges', { direction: 'outgoing' }),
      });
    });
    return this.view(this.dataSource.manager, caller, id);
  }

  /**
   * The change takes effect: the child record moves (a transfer to the new school and class, a 休学
   * out of its class, a move away out of the school and the county's enrolment), the open case
   * closes with the change as evidence, the absence alerts end.
   */
  private async takeEffect(
    manager: EntityManager,
    change: PupilChange,
    child: ChildRow,
    actorId: string,
    className: string | null,
  ): Promise<void> {
    let evidence: string;
    if (change.kind === 'transfer_out') {
      const to = await this.schools.getById(manager, change.toSchoolId!);
      await this.children.setPlacement(manager, child.id, { schoolId: to.id, countyCode: to.countyCode, className });
      evidence = `转入${to.name}（接收学校已确认）：${change.reason}`;
    } else if (change.kind === 'suspension') {
      await this.children.setPlacement(manager, child.id, { className: null });
      evidence = `经县教育局批准休学：${change.reason}`;
    } else {
      await this.children.setPlacement(manager, child.id, { schoolId: null, grade: null, className: null });
      evidence = `迁往${change.destination ?? ''}：${change.reason}`;
    }
    const closed = await this.cases.closeForPupilChange(manager, child.id, { reason: CLOSING_REASON[change.kind], evidence, actorId });
    if (closed?.closed) {
      change.closedCaseId = closed.caseId;
      await manager.update(PupilChange, { id: change.id }, { closedCaseId: closed.caseId });
    }
    await this.followers.pupilLeft(manager, child.id);
  }

  /** Tells who decides: the receiving school's staff of a transfer, the county's admins of a 休学. */
  private async announce(manager: EntityManager, change: PupilChange, child: ChildRow, fromSchoolName: string): Promise<void> {
    if (change.kind === 'transfer_out') {
      await this.notifications.notify(manager, await schoolStaff(manager, change.toSchoolId!), {
        key: `pupil-transfer-in:${change.id}`,
        title: '有学生转入，请确认接收',
        body: `${child.name}从${fromSchoolName}转入贵校，请核实学生到校后确认接收。`,
        link: pageLink('schoolChanges', { direction: 'incoming' }),
      });
    } else if (change.kind === 'suspension') {
      await this.notifications.notify(manager, await countyAdmins(manager, change.countyCode), {
        key: `pupil-suspension:${change.id}`,
        title: '有休学申请待审批',
        body: `${fromSchoolName}申请${child.name}休学：${change.reason}`,
        link: pageLink('countySuspensions'),
      });
    }
  }

  /** The pupil a school records a change of: its own pupil on the rolls; anyone else's reads as not found. */
  private async pupilOf(manager: EntityManager, childId: string, schoolId: string | null): Promise<ChildRow> {
    const [child] = await this.children.findByIds(manager, [childId]);
    if (!child || child.mergedIntoId || !schoolId || child.schoolId !== schoolId) throw AppError.notFound();
    return child;
  }

  private checkEffectiveOn(input: CreateInput, today: string): void {
    if (input.kind === 'moved_away' && input.effectiveOn > today) throw AppError.invalid({ effectiveOn: '迁出日期不能晚于今天' });
    if (input.effectiveOn > addDays(today, AHEAD_DAYS)) throw AppError.invalid({ effectiveOn: `异动日期最多可提前${AHEAD_DAYS}天登记` });
    if (input.effectiveOn < addDays(today, -PAST_DAYS)) throw AppError.invalid({ effectiveOn: '异动日期不能早于一年前' });
  }

  /** A change the caller may read (its pupil's school, the receiving school, the county); anything else reads as not found. */
  private async visible(manager: EntityManager, caller: Caller, id: string): Promise<PupilChange> {
    const change = await manager.findOneBy(PupilChange, { id });
    const seen =
      change &&
      (inReadScope(caller, 'read_pupil_change', { county: change.countyCode, school: change.fromSchoolId }) ||
        (change.toSchoolId !== null && inReadScope(caller, 'read_pupil_change', { county: change.countyCode, school: change.toSchoolId })));
    if (!change || !seen) throw AppError.notFound();
    return change;
  }

  private async view(manager: EntityManager, caller: Caller, id: string): Promise<PupilChangeView> {
    return (await this.views(manager, caller, [await manager.findOneByOrFail(PupilChange, { id })]))[0]!;
  }

  /**
   * Who sees a change's document (a 休学 certificate says why a child stops school): the school that
   * recorded it and the county that decides, not the receiving school of a transfer.
   */
  private mayReadDocument(caller: Caller, change: PupilChange): boolean {
    return inReadScope(caller, 'read_pupil_change', { county: change.countyCode, school: change.fromSchoolId });
  }

  private async views(manager: EntityManager, caller: Caller, rows: PupilChange[]): Promise<PupilChangeView[]> {
    const [children, schools, users] = await Promise.all([
      this.children.namesOf(manager, [...new Set(rows.map((r) => r.childId))]),
      this.schools.schoolNames(manager, [
        ...new Set(rows.flatMap((r) => (r.toSchoolId ? [r.fromSchoolId, r.toSchoolId] : [r.fromSchoolId]))),
      ]),
      this.users.displayNames(manager, [...new Set(rows.map((r) => r.requestedBy))]),
    ]);
    return rows.map((row) =>
      mapPupilChange(
        row,
        { children, schools, users },
        row.documentUploadId && this.mayReadDocument(caller, row) ? this.uploads.signedUrl(row.documentUploadId) : null,
      ),
    );
  }
}
