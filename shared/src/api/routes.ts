/**
 * Every API endpoint: method and path under `/api`. This table has no runtime dependencies so the
 * mini program's main package can import it without the schemas; `contract.ts` pairs each key with
 * its zod schemas, `route-summaries.ts` with its description for the API documentation (kept apart
 * so the phone app does not carry it). The server's controllers bind to these keys and a test checks both agree.
 */
import type { PolicyRow } from '../domain/policy';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  /** For multipart uploads: the form field that carries the file. */
  fileField?: string;
  /**
   * The row of the access policy (`CASE_POLICY`, `RECORD_POLICY`) whose refusal the route gives a
   * caller who may not take it. Routes whose row depends on the body (a case's or a complaint's
   * transitions) name none; nor do lists that only narrow to the caller's scope (a `read_…` row in
   * the service's query): they never refuse.
   */
  policy?: PolicyRow;
}

export const routes = {
  health: { method: 'GET', path: '/health' },

  authOptions: { method: 'GET', path: '/auth/options' },
  authWechatLogin: { method: 'POST', path: '/auth/wechat-login' },
  authDevLogin: { method: 'POST', path: '/auth/dev-login' },
  authLogout: { method: 'POST', path: '/auth/logout' },
  authDesktopCode: { method: 'POST', path: '/auth/desktop-codes' },
  authDesktopLogin: { method: 'POST', path: '/auth/desktop-login' },

  me: { method: 'GET', path: '/me' },
  meUpdateProfile: { method: 'PATCH', path: '/me' },
  mePrivacyConsent: { method: 'POST', path: '/me/privacy-consent' },

  invitationsCreate: { method: 'POST', path: '/invitations', policy: { record: 'issue_invitations' } },
  invitationsList: { method: 'GET', path: '/invitations', policy: { record: 'read_invitation' } },
  invitationsRevoke: { method: 'POST', path: '/invitations/:id/revoke', policy: { record: 'issue_invitations' } },
  invitationsRedeem: { method: 'POST', path: '/invitations/redeem' },

  divisionsServed: { method: 'GET', path: '/divisions/served' },
  divisionsSearch: { method: 'GET', path: '/divisions/search' },
  divisionsGet: { method: 'GET', path: '/divisions/:code' },
  divisionsChildren: { method: 'GET', path: '/divisions/:code/children' },
  divisionsImport: {
    method: 'POST',
    path: '/divisions/import',
    fileField: 'file',
    policy: { record: 'import_divisions' },
  },

  schoolsList: { method: 'GET', path: '/schools' },
  schoolsGet: { method: 'GET', path: '/schools/:id' },
  schoolsCreate: { method: 'POST', path: '/schools', policy: { record: 'manage_schools' } },
  schoolsUpdate: { method: 'PATCH', path: '/schools/:id', policy: { record: 'manage_schools' } },

  tipsCreate: { method: 'POST', path: '/tips' },
  tipsMine: { method: 'GET', path: '/tips/mine' },
  tipsGet: { method: 'GET', path: '/tips/:id' },
  tipsReveal: { method: 'POST', path: '/tips/:id/reveal', policy: { case: 'reveal_tipster' } },
  tipsSplit: { method: 'POST', path: '/tips/:id/split', policy: { case: 'split' } },

  uploadsCreate: { method: 'POST', path: '/uploads', fileField: 'file' },
  uploadsFile: { method: 'GET', path: '/uploads/:id/file' },

  casesList: { method: 'GET', path: '/cases' },
  casesTriage: { method: 'GET', path: '/cases/triage' },
  casesGet: { method: 'GET', path: '/cases/:id' },
  casesAssignees: { method: 'GET', path: '/cases/:id/assignees' },
  casesAccept: { method: 'POST', path: '/cases/:id/accept', policy: { case: 'accept' } },
  casesRoute: { method: 'POST', path: '/cases/:id/route', policy: { case: 'route' } },
  casesReturnToTriage: {
    method: 'POST',
    path: '/cases/:id/return-to-triage',
    policy: { case: 'return_to_triage' },
  },
  casesMerge: { method: 'POST', path: '/cases/:id/merge', policy: { case: 'merge' } },
  casesLedger: { method: 'GET', path: '/cases/ledger' },
  casesTransition: {
    method: 'POST',
    path: '/cases/:id/transitions',
  },
  casesLogVisit: { method: 'POST', path: '/cases/:id/visits', policy: { case: 'log_visit' } },
  casesSetCauses: { method: 'PUT', path: '/cases/:id/causes', policy: { case: 'set_causes' } },
  casesSetAssignee: { method: 'PUT', path: '/cases/:id/assignee', policy: { case: 'set_assignee' } },
  casesConfirmEnrolment: {
    method: 'POST',
    path: '/cases/:id/confirm-enrolment',
    policy: { case: 'confirm_enrolment' },
  },
  casesAttendance: { method: 'GET', path: '/cases/:id/attendance' },
  casesRecordAttendance: {
    method: 'POST',
    path: '/cases/:id/attendance',
    policy: { case: 'record_attendance' },
  },
  casesTransfer: { method: 'POST', path: '/cases/:id/transfers', policy: { case: 'transfer' } },
  transfersIncoming: { method: 'GET', path: '/transfers/incoming' },
  transfersAccept: { method: 'POST', path: '/transfers/:id/accept' },
  transfersReject: { method: 'POST', path: '/transfers/:id/reject' },
  noticesPaperDelivery: {
    method: 'POST',
    path: '/case-notices/:id/paper-delivery',
    policy: { case: 'deliver_notice' },
  },
  noticesMine: { method: 'GET', path: '/notices/mine' },
  noticesAcknowledge: { method: 'POST', path: '/notices/:id/acknowledge' },
  rechecksComplete: { method: 'POST', path: '/rechecks/:id', policy: { case: 'complete_recheck' } },
  dispatchList: { method: 'GET', path: '/dispatch', policy: { record: 'read_dispatch' } },
  countySettingsGet: { method: 'GET', path: '/county/settings' },
  countySettingsUpdate: { method: 'PUT', path: '/county/settings' },

  childrenBind: { method: 'POST', path: '/children/bind' },
  childrenMine: { method: 'GET', path: '/children/mine' },
  childrenUnbind: { method: 'POST', path: '/children/:id/unbind' },
  childrenGuardians: { method: 'GET', path: '/children/:id/guardians' },
  childrenSubsidies: { method: 'GET', path: '/children/:id/subsidies' },
  childrenAccessHistory: {
    method: 'GET',
    path: '/children/:id/access-history',
    policy: { record: 'read_access_history' },
  },
  childrenReviews: {
    method: 'GET',
    path: '/children/reviews',
    policy: { record: 'review_children' },
  },
  childrenReviewDecide: {
    method: 'POST',
    path: '/children/reviews/:id/decision',
    policy: { record: 'review_children' },
  },
  childrenMerge: { method: 'POST', path: '/children/merges', policy: { record: 'review_children' } },
  childrenSplit: {
    method: 'POST',
    path: '/children/merges/:id/split',
    policy: { record: 'review_children' },
  },
  childrenMerges: {
    method: 'GET',
    path: '/children/:id/merges',
    policy: { record: 'review_children' },
  },

  enrolmentIssue: {
    method: 'POST',
    path: '/enrolment/batches',
    policy: { record: 'issue_enrolment_notices' },
  },
  enrolmentBatches: { method: 'GET', path: '/enrolment/batches' },
  enrolmentBatchPdf: { method: 'GET', path: '/enrolment/batches/:id/pdf' },
  enrolmentRemind: { method: 'POST', path: '/enrolment/batches/:id/remind' },
  enrolmentFollowUp: { method: 'GET', path: '/enrolment/follow-up' },
  enrolmentMine: { method: 'GET', path: '/enrolment/notices/mine' },
  enrolmentGet: { method: 'GET', path: '/enrolment/notices/:id' },
  enrolmentPdf: { method: 'GET', path: '/enrolment/notices/:id/pdf' },
  enrolmentAcknowledge: { method: 'POST', path: '/enrolment/notices/:id/acknowledge' },
  deferralsApply: { method: 'POST', path: '/enrolment/notices/:id/deferral' },
  deferralsList: { method: 'GET', path: '/enrolment/deferrals' },
  deferralsDecide: {
    method: 'POST',
    path: '/enrolment/deferrals/:id/decision',
    policy: { record: 'decide_deferral' },
  },

  schoolNoticesSend: {
    method: 'POST',
    path: '/school-notices',
    policy: { record: 'send_school_notice' },
  },
  schoolNoticesList: { method: 'GET', path: '/school-notices' },
  schoolNoticesMine: { method: 'GET', path: '/school-notices/mine' },
  schoolNoticesGet: { method: 'GET', path: '/school-notices/:id' },
  schoolNoticesRead: { method: 'POST', path: '/school-notices/:id/read' },

  subsidyPolicies: { method: 'GET', path: '/subsidies/policies' },
  subsidyPoliciesCreate: {
    method: 'POST',
    path: '/subsidies/policies',
    policy: { record: 'manage_subsidy_policies' },
  },
  subsidyPoliciesEnd: {
    method: 'POST',
    path: '/subsidies/policies/:id/end',
    policy: { record: 'manage_subsidy_policies' },
  },
  eligibilityList: {
    method: 'GET',
    path: '/subsidies/eligibility',
    policy: { record: 'read_eligibility' },
  },
  eligibilitySet: {
    method: 'PUT',
    path: '/subsidies/eligibility',
    policy: { record: 'manage_eligibility' },
  },
  eligibilityRevoke: {
    method: 'POST',
    path: '/subsidies/eligibility/:id/revoke',
    policy: { record: 'manage_eligibility' },
  },
  eligibilityTemplate: { method: 'GET', path: '/subsidies/eligibility/template' },
  eligibilityImport: {
    method: 'POST',
    path: '/subsidies/eligibility/import',
    fileField: 'file',
    policy: { record: 'manage_eligibility' },
  },
  paymentsList: { method: 'GET', path: '/subsidies/payments', policy: { record: 'read_payment' } },
  paymentsTemplate: { method: 'GET', path: '/subsidies/payments/template' },
  paymentsImport: {
    method: 'POST',
    path: '/subsidies/payments/import',
    fileField: 'file',
    policy: { record: 'import_payments' },
  },
  complaintsCreate: { method: 'POST', path: '/subsidies/complaints' },
  complaintsMine: { method: 'GET', path: '/subsidies/complaints/mine' },
  complaintsList: { method: 'GET', path: '/subsidies/complaints' },
  complaintsGet: { method: 'GET', path: '/subsidies/complaints/:id' },
  complaintsTransition: { method: 'POST', path: '/subsidies/complaints/:id/transitions' },

  messagesList: { method: 'GET', path: '/messages' },
  messagesRead: { method: 'POST', path: '/messages/:id/read' },
  messagesReadAll: { method: 'POST', path: '/messages/read-all' },
  subscriptionsGet: { method: 'GET', path: '/me/subscriptions' },
  subscriptionsRecord: { method: 'POST', path: '/me/subscriptions' },

  registryTemplate: {
    method: 'GET',
    path: '/registry/templates/:kind',
    policy: { record: 'import_registry' },
  },
  registryImport: {
    method: 'POST',
    path: '/registry/imports',
    fileField: 'file',
    policy: { record: 'import_registry' },
  },
  registryImports: { method: 'GET', path: '/registry/imports', policy: { record: 'import_registry' } },
  registryImportGet: {
    method: 'GET',
    path: '/registry/imports/:id',
    policy: { record: 'import_registry' },
  },
  crosscheckStart: { method: 'POST', path: '/crosscheck/runs', policy: { record: 'run_crosscheck' } },
  crosscheckRuns: { method: 'GET', path: '/crosscheck/runs', policy: { record: 'run_crosscheck' } },
  crosscheckRunGet: { method: 'GET', path: '/crosscheck/runs/:id', policy: { record: 'run_crosscheck' } },
  crosscheckReviews: {
    method: 'GET',
    path: '/crosscheck/reviews',
    policy: { record: 'run_crosscheck' },
  },
  crosscheckDecide: {
    method: 'POST',
    path: '/crosscheck/reviews/:id',
    policy: { record: 'run_crosscheck' },
  },
  statsDropout: { method: 'GET', path: '/stats/dropout', policy: { record: 'read_stats' } },
  statsExport: { method: 'GET', path: '/stats/export', policy: { record: 'read_stats' } },

  accountsList: { method: 'GET', path: '/accounts', policy: { record: 'read_account' } },
  accountsUpdate: { method: 'PATCH', path: '/accounts/:id' },

  auditList: { method: 'GET', path: '/audit', policy: { record: 'read_audit' } },
  auditExport: { method: 'GET', path: '/audit/export', policy: { record: 'read_audit' } },
  // the school line (BRIEF §4a)
  calendarGet: { method: 'GET', path: '/calendar' },
  calendarSetTerms: { method: 'PUT', path: '/calendar/terms', policy: { record: 'manage_calendar' } },
  calendarSetDay: { method: 'PUT', path: '/calendar/days/:day', policy: { record: 'manage_calendar' } },
  calendarResetDay: { method: 'DELETE', path: '/calendar/days/:day', policy: { record: 'manage_calendar' } },
  classesList: { method: 'GET', path: '/classes' },
  classesStaff: { method: 'GET', path: '/classes/staff', policy: { record: 'manage_classes' } },
  classesSetTeachers: { method: 'PUT', path: '/classes/teachers', policy: { record: 'manage_classes' } },
  rollCallsSheet: { method: 'GET', path: '/roll-calls/sheet', policy: { record: 'read_roll_call' } },
  rollCallsSubmit: { method: 'POST', path: '/roll-calls', policy: { record: 'take_roll_call' } },
  rollCallsWeek: { method: 'GET', path: '/roll-calls/week', policy: { record: 'read_roll_call' } },
  absenceAlertsList: { method: 'GET', path: '/absence-alerts' },
  pupilsFollowUp: { method: 'GET', path: '/pupils/:id/follow-up', policy: { record: 'read_absence_alert' } },
  pupilsFamilyContact: { method: 'POST', path: '/pupils/:id/family-contacts', policy: { record: 'follow_absence' } },
  pupilsReport: { method: 'POST', path: '/pupils/:id/report', policy: { record: 'follow_absence' } },
  leaveCreate: { method: 'POST', path: '/leave-requests', policy: { record: 'request_leave' } },
  leaveMine: { method: 'GET', path: '/leave-requests/mine' },
  leaveWithdraw: { method: 'POST', path: '/leave-requests/:id/withdraw', policy: { record: 'request_leave' } },
  leaveList: { method: 'GET', path: '/leave-requests' },
  leaveDecide: { method: 'POST', path: '/leave-requests/:id/decision', policy: { record: 'decide_leave' } },
  pupilChangesCreate: { method: 'POST', path: '/pupil-changes', policy: { record: 'record_pupil_change' } },
  pupilChangesList: { method: 'GET', path: '/pupil-changes' },
  pupilChangesConfirm: { method: 'POST', path: '/pupil-changes/:id/confirm', policy: { record: 'confirm_transfer_in' } },
  pupilChangesDecide: { method: 'POST', path: '/pupil-changes/:id/decision', policy: { record: 'decide_suspension' } },
} as const satisfies Record<string, RouteDef>;

export type RouteKey = keyof typeof routes;

/** Fills `:param` placeholders; throws when one is missing so a bad call never reaches the server. */
export function buildPath(key: RouteKey, params: Record<string, string> = {}): string {
  return routes[key].path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${key}`);
    return encodeURIComponent(value);
  });
}
