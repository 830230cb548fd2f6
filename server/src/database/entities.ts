import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { Circular, CircularNumberCounter, CircularReceipt } from '../modules/circulars/circular.entities';
import { PeriodicReport, PeriodicReportEvent } from '../modules/reports/report.entity';
import { Rectification, SpotCheck, SpotCheckItem } from '../modules/spot-checks/spot-check.entities';
import {
  CaseEvent,
  CaseNotice,
  CaseNumberCounter,
  CaseRecheck,
  CaseRouting,
  CaseTransfer,
  CaseVisit,
  DropoutCase,
} from '../modules/cases/case.entity';
import { AttendanceDay } from '../modules/children/attendance.entity';
import { ChildGuardian } from '../modules/children/child-guardian.entity';
import {
  CohortIntake,
  CrosscheckReview,
  CrosscheckRun,
  EnrolmentTally,
  EnrolmentTallyChange,
  HouseholdMember,
  PovertyRegistration,
  RegistryImport,
} from '../modules/registry/registry.entities';
import { Guardianship } from '../modules/children/guardianship.entity';
import { DeferralApplication, EnrolmentBatch, EnrolmentNotice } from '../modules/enrolment/enrolment.entities';
import { BindingAttempt } from '../modules/guardians/binding-attempt.entity';
import { SchoolNotice, SchoolNoticeReceipt } from '../modules/school-notices/school-notice.entities';
import {
  SubsidyComplaint,
  SubsidyComplaintEvent,
  SubsidyEligibilityRow,
  SubsidyPayment,
  SubsidyPolicyRow,
} from '../modules/subsidies/subsidy.entities';
import { Child } from '../modules/children/child.entity';
import { ChildIdentityClaim, ChildMatchReview, ChildMerge } from '../modules/children/child-registry.entities';
import { QuotaCounter } from '../common/quota/quota-counter.entity';
import { CacheVersion } from '../common/cache/cache-version.entity';
import { Job } from '../common/jobs/job.entity';
import { WechatAccessToken } from '../modules/wechat/wechat-token.entity';
import { InboxMessage, OutboxMessage, SubscriptionGrant } from '../modules/notifications/notification.entities';
import { Tip } from '../modules/tips/tip.entity';
import { Upload } from '../modules/uploads/upload.entity';
import { LoginCode } from '../modules/auth/login-code.entity';
import { Session } from '../modules/auth/session.entity';
import { User } from '../modules/accounts/user.entity';
import { Division, ServedCounty } from '../modules/divisions/division.entity';
import { Invitation } from '../modules/invitations/invitation.entity';
import { School } from '../modules/schools/school.entity';
import { CountyCalendarDay, SchoolTermRow } from '../modules/school-calendar/school-calendar.entities';
import { AbsenceAlert, ClassTeacher, RollCall, RollCallEdit } from '../modules/school-line/school-line.entities';
import { LeaveRequest } from '../modules/school-line/leave.entity';
import { FamilyContact, SchoolReport } from '../modules/school-line/follow-up.entities';
import { PupilChange } from '../modules/pupil-changes/pupil-change.entity';

export const entities = [
  Division,
  ServedCounty,
  School,
  User,
  Session,
  LoginCode,
  Invitation,
  AuditEntry,
  Child,
  DropoutCase,
  CaseNumberCounter,
  CaseRouting,
  CaseEvent,
  Tip,
  Upload,
  OutboxMessage,
  InboxMessage,
  SubscriptionGrant,
  Guardianship,
  AttendanceDay,
  CaseVisit,
  CaseNotice,
  CaseTransfer,
  CaseRecheck,
  ChildGuardian,
  RegistryImport,
  HouseholdMember,
  PovertyRegistration,
  CrosscheckRun,
  CrosscheckReview,
  CohortIntake,
  EnrolmentTally,
  EnrolmentTallyChange,
  BindingAttempt,
  EnrolmentBatch,
  EnrolmentNotice,
  DeferralApplication,
  SchoolNotice,
  SchoolNoticeReceipt,
  SubsidyPolicyRow,
  SubsidyEligibilityRow,
  SubsidyPayment,
  SubsidyComplaint,
  SubsidyComplaintEvent,
  ChildMatchReview,
  ChildMerge,
  ChildIdentityClaim,
  QuotaCounter,
  CacheVersion,
  Job,
  WechatAccessToken,
  SchoolTermRow,
  CountyCalendarDay,
  ClassTeacher,
  RollCall,
  RollCallEdit,
  AbsenceAlert,
  LeaveRequest,
  FamilyContact,
  SchoolReport,
  PupilChange,
  Circular,
  CircularReceipt,
  CircularNumberCounter,
  PeriodicReport,
  PeriodicReportEvent,
  SpotCheck,
  SpotCheckItem,
  Rectification,
];
