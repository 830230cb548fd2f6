import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addDays,
  CASE_STATUS_LABELS,
  chinaDay,
  classLabel,
  pageLink,
  PSEUDONYMISED_TEXT,
  type familyContactRequest,
  type reportPupilRequest,
  type RecordAction,
} from '@baoxue/shared';
import { In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { countyAdmins, townshipLeaders } from '../accounts/recipients';
import { UserRecords } from '../accounts/user-records';
import type { Caller } from '../../common/auth/caller';
import { requireRecordAccess } from '../../common/auth/record-policy';
import { inReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { transactionWithRetry } from '../../database/transaction';
import { AuditService } from '../audit/audit.service';
import { CaseRecords } from '../cases/case-records';
import type { CaseRetentionFollower } from '../cases/case-retention-followers';
import { CaseRoutingService } from '../cases/case-routing.service';
import { CasesService } from '../cases/cases.service';
import { ChildRecords, placeOfChild, type ChildRow } from '../children/child-records';
import { NotificationsService } from '../notifications/notifications.service';
import { SchoolRecords } from '../schools/school-records';
import { AbsenceAlerts } from './absence-alerts.service';
import { ClassRecords } from './class-records';
import { FamilyContact, SchoolReport } from './follow-up.entities';
import { mapFamilyContact, summariseContacts } from './follow-up.mappers';
import { AbsenceAlert, RollCall } from './school-line.entities';

type ContactInput = z.output<typeof familyContactRequest>;
type ReportInput = z.output<typeof reportPupilRequest>;

/** The pupil's record the follow-up page shows: roll calls of the class this far back, alerts and contacts this many. */
const ROLL_CALL_DAYS = 30;
const SHOWN = 20;
/** A contact is recorded when it happens: at most this many days later. */
const CONTACT_LATE_DAYS = 60;

/**
 * The school's follow-up of a pupil absent without leave (BRIEF §4a): what the roll calls say of the
 * last school days, the absence alerts, the school's contacts with the family (家校联系), and the
 * school's report of the pupil as a suspected dropout — a case with source `school`, routed like a
 * tip, on the same child record. Open to the school's leader and the pupil's 班主任.
 */
@Injectable()
export class FollowUpService implements CaseRetentionFollower {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly children: ChildRecords,
    private readonly classes: ClassRecords,
    private readonly alerts: AbsenceAlerts,
    private readonly schools: SchoolRecords,
    private readonly users: UserRecords,
    private readonly cases: CasesService,
    private readonly caseRecords: CaseRecords,
    private readonly routing: CaseRoutingService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /** The pupil's follow-up page. Reading it is audited like any read of a child's record. */
  async followUp(caller: Caller, childId: string) {
    const manager = this.dataSource.manager;
    const child = await this.pupil(manager, caller, childId, 'read_absence_alert');
    const today = chinaDay(this.clock.now());
    const [school, rollCalls, alerts, contacts, openCase] = await Promise.all([
      this.schools.getById(manager, child.schoolId!),
      // a pupil in no class has no class roll call
      child.className === null
        ? []
        : manager.find(RollCall, {
            where: { schoolId: child.schoolId!, grade: child.grade!, className: child.className, day: LessThanOrEqual(today) },
            select: { id: true, day: true },
            order: { day: 'DESC' },
            take: ROLL_CALL_DAYS,
          }),
      // the school's own follow-up of the pupil: what another school recorded before a transfer stays with it
      this.alerts.alertsOf(manager, child.id, child.schoolId!),
      manager.find(FamilyContact, {
        where: { childId: child.id, schoolId: child.schoolId! },
        order: { contactedOn: 'DESC', recordedAt: 'DESC' },
        take: SHOWN,
      }),
      this.caseRecords.openCaseOf(manager, child.id),
    ]);
    const days = rollCalls.map((r) => r.day);
    const marks = new Map((await this.children.attendanceOn(manager, [child.id], days)).map((a) => [a.day, a]));
    const lastSchoolDays = { days: days.length, present: 0, unexcused: 0, excused: 0 };
    for (const day of days) {
      const mark = marks.get(day);
      if (!mark || mark.present) lastSchoolDays.present++;
      else if (mark.excused) lastSchoolDays.excused++;
      else lastSchoolDays.unexcused++;
    }
    const userNames = await this.users.displayNames(manager, [...new Set(contacts.map((c) => c.recordedBy))]);
    await this.audit.record(caller, {
      action: 'pupil.follow_up.read',
      targetType: 'child',
      targetId: child.id,
      childId: child.id,
      placeCode: placeOfChild(child),
    });
    return {
      childId: child.id,
      name: child.name,
      classLabel: classLabel(child.grade!, child.className ?? ''),
      schoolName: school.name,
      lastSchoolDays,
      alerts: alerts.slice(0, SHOWN),
      contacts: contacts.map((contact) => mapFamilyContact(contact, userNames)),
      openCase: openCase ? { id: openCase.id, status: openCase.status, statusLabel: CASE_STATUS_LABELS[openCase.status] } : null,
    };
  }

  /** The school records a contact with the pupil's family; the pupil's open absence alert is marked contacted. */
  async recordContact(caller: Caller, childId: string, input: ContactInput) {
    const contact = await transactionWithRetry(this.dataSource, async (manager) => {
      const child = await this.pupil(manager, caller, childId, 'follow_absence');
      // the input is judged once the pupil is found the caller's to follow
      const today = chinaDay(this.clock.now());
      if (input.contactedOn > today) throw AppError.invalid({ contactedOn: '联系日期不能晚于今天' });
      if (input.contactedOn < addDays(today, -CONTACT_LATE_DAYS))
        throw AppError.invalid({ contactedOn: `只能登记最近${CONTACT_LATE_DAYS}天内的联系` });
      const alert = await manager.findOne(AbsenceAlert, {
        where: { childId: child.id, status: In(['open', 'contacted']) },
        order: { createdAt: 'DESC' },
        select: { id: true },
      });
      const row: FamilyContact = {
        id: newId(),
        countyCode: child.countyCode ?? caller.countyCode!,
        schoolId: child.schoolId!,
        childId: child.id,
        alertId: alert?.id ?? null,
        contactedOn: input.contactedOn,
        channel: input.channel,
        contactPerson: input.contactPerson,
        outcome: input.outcome,
        note: input.note,
        nextStep: input.nextStep,
        recordedBy: caller.userId,
        recordedAt: this.clock.now(),
      };
      await manager.insert(FamilyContact, { ...row });
      await this.alerts.markContacted(manager, child.id);
      await this.audit.record(
        caller,
        {
          action: 'pupil.family_contact',
          targetType: 'family_contact',
          targetId: row.id,
          childId: child.id,
          placeCode: placeOfChild(child),
          details: { channel: row.channel, outcome: row.outcome },
        },
        manager,
      );
      return row;
    });
    return mapFamilyContact(contact, new Map([[caller.userId, caller.displayName]]));
  }

  /**
   * The school reports the pupil as a suspected dropout: a case with source `school`, routed like a
   * tip by the pupil's village (the township's inbox, the school on the case), with the reason and
   * the school's contacts on its timeline; a child with an open case gets the report on that case.
   * The child's open-case claim (a unique key) decides parallel reports: the losers run again and
   * join the winner's case. A retry with the same key answers with the same case.
   */
  async report(caller: Caller, childId: string, input: ReportInput): Promise<{ caseId: string; existing: boolean }> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      // the pupil first (not found, refused), then the key: a used one tells nothing of another pupil
      const child = await this.pupil(manager, caller, childId, 'follow_absence');
      const earlier = await manager.findOneBy(SchoolReport, { reportedBy: caller.userId, clientKey: input.clientKey });
      if (earlier) {
        if (earlier.childId !== child.id) throw AppError.invalid({ clientKey: '该提交编号已用于另一名学生，请刷新后重新提交' });
        return { caseId: earlier.caseId, existing: earlier.existing };
      }
      const school = await this.schools.getById(manager, child.schoolId!);
      const contacts = await manager.find(FamilyContact, {
        where: { childId: child.id, schoolId: school.id },
        order: { contactedOn: 'DESC', recordedAt: 'DESC' },
      });
      const event = {
        schoolName: school.name,
        reason: input.reason,
        contacts: contacts.length,
        contactSummary: summariseContacts(contacts.slice(0, 3)),
      };
      const open = await this.caseRecords.openCaseOf(manager, child.id);
      let caseId: string;
      if (open) {
        caseId = open.id;
        await this.cases.event(manager, open.id, caller.userId, 'school_reported', event);
        const told = open.assigneeId
          ? [open.assigneeId]
          : open.townshipCode
            ? await townshipLeaders(manager, open.townshipCode)
            : await countyAdmins(manager, open.countyCode);
        await this.notifications.notify(manager, told, {
          key: `school-report:${open.id}:${child.id}:${input.clientKey}`,
          title: '学校上报了在办案件的学生',
          body: `${school.name}上报${child.name}疑似辍学（案件${open.caseNumber}）：${input.reason}`.slice(0, 120),
          link: pageLink('officialCase', { id: open.id }),
        });
      } else {
        const decision = await this.routing.decide(manager, child.villageCode, child.countyCode ?? school.countyCode);
        const opened = await this.cases.open(manager, {
          childId: child.id,
          priorityGroups: child.priorityGroups,
          source: 'school',
          decision,
          schoolId: school.id,
          actorId: caller.userId,
          tipCount: 0,
        });
        caseId = opened.id;
        await this.cases.event(manager, caseId, caller.userId, 'school_reported', event);
      }
      const report: SchoolReport = {
        id: newId(),
        countyCode: school.countyCode,
        schoolId: school.id,
        childId: child.id,
        caseId,
        existing: !!open,
        reason: input.reason,
        reportedBy: caller.userId,
        clientKey: input.clientKey,
        reportedAt: this.clock.now(),
      };
      await manager.insert(SchoolReport, { ...report });
      await this.alerts.markReported(manager, child.id, caseId);
      await this.audit.record(
        caller,
        {
          action: 'pupil.report',
          targetType: 'case',
          targetId: caseId,
          childId: child.id,
          placeCode: placeOfChild(child),
          reason: input.reason,
          details: { existing: !!open },
        },
        manager,
      );
      return { caseId, existing: !!open };
    });
  }

  /** Retention (BRIEF §7, every copy): a school's report keeps the reason its case's timeline had; it goes with the case's text. */
  async pseudonymiseCases(manager: EntityManager, caseIds: string[]): Promise<void> {
    if (caseIds.length) await manager.update(SchoolReport, { caseId: In(caseIds) }, { reason: PSEUDONYMISED_TEXT });
  }

  /**
   * A pupil of the caller's school the caller follows: the school's leader, or a 班主任 of the pupil's
   * class. A pupil the roster places in a grade but no class (the daily monitor alerts the leaders of
   * one) has no 班主任: the leader follows it. A pupil the caller cannot read (another school's,
   * another class's or no class's for a 班主任) is not found; one they read but may not act on is
   * refused with the policy's reason.
   */
  private async pupil(
    manager: EntityManager,
    caller: Caller,
    childId: string,
    action: Extract<RecordAction, 'read_absence_alert' | 'follow_absence'>,
  ): Promise<ChildRow> {
    const schoolId = caller.unit?.kind === 'school' ? caller.unit.schoolId : null;
    const [child] = await this.children.findByIds(manager, [childId]);
    if (!child || child.mergedIntoId || !schoolId || child.schoolId !== schoolId || child.grade === null) throw AppError.notFound();
    const classTeacher =
      child.className !== null && (await this.classes.teachesClass(manager, caller.userId, schoolId, child.grade, child.className));
    if (!inReadScope(caller, 'read_absence_alert', { school: schoolId, classTeacher })) throw AppError.notFound();
    if (action === 'follow_absence') requireRecordAccess(caller, action, { schoolId, classTeacher });
    return child;
  }
}
