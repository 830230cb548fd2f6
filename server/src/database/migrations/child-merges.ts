import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { UserRecords } from '../../modules/accounts/user-records';
import { AuditEntry } from '../../modules/audit/audit-entry.entity';
import { AuditService } from '../../modules/audit/audit.service';
import { CaseChildLinks } from '../../modules/cases/case-child-links';
import { ChildMergeService } from '../../modules/children/child-merge.service';
import { ChildLinkedRecords } from '../../modules/children/child-linked-records';
import { ChildRecordMoves } from '../../modules/children/child-record-moves';
import { EnrolmentChildLinks } from '../../modules/enrolment/enrolment-child-links';
import { BindingChildLinks } from '../../modules/guardians/binding-child-links';
import { PupilChangeChildLinks } from '../../modules/pupil-changes/pupil-change-child-links';
import { CrosscheckChildLinks } from '../../modules/registry/crosscheck-child-links';
import { LeaveChildLinks } from '../../modules/school-line/leave-child-links';
import { SchoolLineChildLinks } from '../../modules/school-line/school-line-child-links';
import { FollowUpChildLinks } from '../../modules/school-line/follow-up-child-links';
import { SpotCheckChildLinks } from '../../modules/spot-checks/spot-check-child-links';
import { SubsidyChildLinks } from '../../modules/subsidies/subsidy-child-links';
import { TipRecords } from '../../modules/tips/tip-records';

/**
 * Child merges outside Nest (the one-child migration's repair, `repair-children`): every module's
 * ChildLinkedRecords wired by hand, as the modules register them in the app. A module added to
 * CHILD_REFERENCES and missing here makes the repair fail rather than leave rows behind.
 */
export function standaloneChildMerges(
  dataSource: DataSource,
  clock: Clock = new Clock(),
  /** The one-child migration runs before the audit viewer's columns (1765000000000) exist; that migration fills them. */
  auditLog: 'current' | 'before-viewer' = 'current',
): ChildMergeService {
  const moves = new ChildRecordMoves().register(
    new CaseChildLinks(clock, new TipRecords()),
    new EnrolmentChildLinks(),
    new BindingChildLinks(),
    new CrosscheckChildLinks(),
    new SubsidyChildLinks(),
    // the school line's tables (1765110000000 on) and the spot checks' (1765610000000) do not exist yet when the one-child migration repairs
    ...[
      new SchoolLineChildLinks(),
      new FollowUpChildLinks(),
      new LeaveChildLinks(),
      new PupilChangeChildLinks(),
      new SpotCheckChildLinks(),
    ].map((h) => (auditLog === 'current' ? h : new NotCreatedYet(h))),
  );
  const audit = auditLog === 'current' ? new AuditService(dataSource, clock) : new AuditBeforeViewer(dataSource, clock);
  return new ChildMergeService(clock, audit, moves, new UserRecords());
}

/** A module whose tables a later migration creates: there is nothing of it to move yet. */
class NotCreatedYet extends ChildLinkedRecords {
  readonly module: string;
  readonly references: readonly string[];

  constructor(later: ChildLinkedRecords) {
    super();
    this.module = later.module;
    this.references = later.references;
  }

  async moveChild(): Promise<void> {}

  async moveBack(): Promise<void> {}
}

/** The audit log with the foundation's columns only. */
class AuditBeforeViewer extends AuditService {
  protected override async insert(manager: EntityManager, row: AuditEntry): Promise<void> {
    const columns = ['id', 'at', 'actorId', 'actorRole', 'action', 'targetType', 'targetId', 'reason', 'details'] as const;
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEntry, [...columns])
      .values(Object.fromEntries(columns.map((c) => [c, row[c]])))
      .execute();
  }
}
