import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { UserRecords } from '../../modules/accounts/user-records';
import { AuditService } from '../../modules/audit/audit.service';
import { CaseChildLinks } from '../../modules/cases/case-child-links';
import { ChildMergeService } from '../../modules/children/child-merge.service';
import { ChildRecordMoves } from '../../modules/children/child-record-moves';
import { EnrolmentChildLinks } from '../../modules/enrolment/enrolment-child-links';
import { BindingChildLinks } from '../../modules/guardians/binding-child-links';
import { CrosscheckChildLinks } from '../../modules/registry/crosscheck-child-links';
import { SubsidyChildLinks } from '../../modules/subsidies/subsidy-child-links';
import { TipRecords } from '../../modules/tips/tip-records';

/**
 * Child merges outside Nest (the one-child migration's repair, `repair-children`): every module's
 * ChildLinkedRecords wired by hand, as the modules register them in the app. A module added to
 * CHILD_REFERENCES and missing here makes the repair fail rather than leave rows behind.
 */
export function standaloneChildMerges(dataSource: DataSource, clock: Clock = new Clock()): ChildMergeService {
  const moves = new ChildRecordMoves().register(
    new CaseChildLinks(clock, new TipRecords()),
    new EnrolmentChildLinks(),
    new BindingChildLinks(),
    new CrosscheckChildLinks(),
    new SubsidyChildLinks(),
  );
  return new ChildMergeService(clock, new AuditService(dataSource, clock), moves, new UserRecords());
}
