import { Foundation1764000000000 } from './1764000000000-foundation';
import { LoginCodes1764100000000 } from './1764100000000-login-codes';
import { TipsAndCases1764200000000 } from './1764200000000-tips-and-cases';
import { CaseHandling1764300000000 } from './1764300000000-case-handling';
import { ParentsAndSubsidies1764400000000 } from './1764400000000-parents-and-subsidies';
import { Registry1764500000000 } from './1764500000000-registry';
import { Retention1764700000000 } from './1764700000000-retention';
import { EnrolmentTallies1764800000000 } from './1764800000000-enrolment-tallies';
import { OneChild1764900000000 } from './1764900000000-one-child';
import { InboxPriority1764910000000 } from './1764910000000-inbox-priority';
import { AuditViewer1765000000000 } from './1765000000000-audit-viewer';
import { OperatorInvitations1765020000000 } from './1765020000000-operator-invitations';
import { SchoolCalendar1765100000000 } from './1765100000000-school-calendar';
import { SchoolLine1765110000000 } from './1765110000000-school-line';
import { PupilChanges1765120000000 } from './1765120000000-pupil-changes';
import { LeaveRequests1765130000000 } from './1765130000000-leave-requests';
import { Jobs1765300000000 } from './1765300000000-jobs';
import { SharedState1765210000000 } from './1765210000000-shared-state';
import { InboxScopes1765400000000 } from './1765400000000-inbox-scopes';
import { CaseNumbers1765520000000 } from './1765520000000-case-numbers';
import { CohortIntakes1765510000000 } from './1765510000000-cohort-intakes';
import { Circulars1765540000000 } from './1765540000000-circulars';
import { PeriodicReports1765601000000 } from './1765601000000-periodic-reports';
import { SpotChecks1765610000000 } from './1765610000000-spot-checks';
import { DataQualityIndices1765617300000 } from './1765617300000-data-quality-indices';
import { TallyChangeCounties1765700000000 } from './1765700000000-tally-change-counties';

/** Every migration, in order. Classes, not globs, so bundling and tests see the same list. */
export const migrations = [
  Foundation1764000000000,
  LoginCodes1764100000000,
  TipsAndCases1764200000000,
  CaseHandling1764300000000,
  ParentsAndSubsidies1764400000000,
  Registry1764500000000,
  Retention1764700000000,
  EnrolmentTallies1764800000000,
  OneChild1764900000000,
  InboxPriority1764910000000,
  AuditViewer1765000000000,
  OperatorInvitations1765020000000,
  SchoolCalendar1765100000000,
  SchoolLine1765110000000,
  PupilChanges1765120000000,
  LeaveRequests1765130000000,
  SharedState1765210000000,
  Jobs1765300000000,
  InboxScopes1765400000000,
  CohortIntakes1765510000000,
  CaseNumbers1765520000000,
  Circulars1765540000000,
  PeriodicReports1765601000000,
  SpotChecks1765610000000,
  DataQualityIndices1765617300000,
  TallyChangeCounties1765700000000,
];
