/**
 * Every API endpoint: method and path under `/api`. This table has no runtime dependencies so the
 * mini program's main package can import it without the schemas; `contract.ts` pairs each key with
 * its zod schemas, `route-summaries.ts` with its description for the API documentation and `route-policies.ts`
 * with the policy row it takes (both kept apart so the phone app does not carry them). The server's controllers bind to these keys and a test checks both agree.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  /** For multipart uploads: the form field that carries the file. */
  fileField?: string;
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

  invitationsCreate: { method: 'POST', path: '/invitations' },
  invitationsList: { method: 'GET', path: '/invitations' },
  invitationsRevoke: { method: 'POST', path: '/invitations/:id/revoke' },
  invitationsRedeem: { method: 'POST', path: '/invitations/redeem' },

  divisionsServed: { method: 'GET', path: '/divisions/served' },
  divisionsSearch: { method: 'GET', path: '/divisions/search' },
  divisionsGet: { method: 'GET', path: '/divisions/:code' },
  divisionsChildren: { method: 'GET', path: '/divisions/:code/children' },
  divisionsImport: {
    method: 'POST',
    path: '/divisions/import',
    fileField: 'file',
  },

  schoolsList: { method: 'GET', path: '/schools' },
  schoolsGet: { method: 'GET', path: '/schools/:id' },
  schoolsCreate: { method: 'POST', path: '/schools' },
  schoolsUpdate: { method: 'PATCH', path: '/schools/:id' },

  tipsCreate: { method: 'POST', path: '/tips' },
  tipsMine: { method: 'GET', path: '/tips/mine' },
  tipsGet: { method: 'GET', path: '/tips/:id' },
  tipsReveal: { method: 'POST', path: '/tips/:id/reveal' },
  tipsSplit: { method: 'POST', path: '/tips/:id/split' },

  uploadsCreate: { method: 'POST', path: '/uploads', fileField: 'file' },
  uploadsFile: { method: 'GET', path: '/uploads/:id/file' },

  casesList: { method: 'GET', path: '/cases' },
  casesTriage: { method: 'GET', path: '/cases/triage' },
  casesGet: { method: 'GET', path: '/cases/:id' },
  casesAssignees: { method: 'GET', path: '/cases/:id/assignees' },
  casesAccept: { method: 'POST', path: '/cases/:id/accept' },
  casesRoute: { method: 'POST', path: '/cases/:id/route' },
  casesReturnToTriage: {
    method: 'POST',
    path: '/cases/:id/return-to-triage',
  },
  casesMerge: { method: 'POST', path: '/cases/:id/merge' },
  casesLedger: { method: 'GET', path: '/cases/ledger' },
  casesTransition: {
    method: 'POST',
    path: '/cases/:id/transitions',
  },
  casesLogVisit: { method: 'POST', path: '/cases/:id/visits' },
  casesSetCauses: { method: 'PUT', path: '/cases/:id/causes' },
  casesSetAssignee: { method: 'PUT', path: '/cases/:id/assignee' },
  casesConfirmEnrolment: {
    method: 'POST',
    path: '/cases/:id/confirm-enrolment',
  },
  casesAttendance: { method: 'GET', path: '/cases/:id/attendance' },
  casesRecordAttendance: {
    method: 'POST',
    path: '/cases/:id/attendance',
  },
  casesTransfer: { method: 'POST', path: '/cases/:id/transfers' },
  transfersIncoming: { method: 'GET', path: '/transfers/incoming' },
  transfersAccept: { method: 'POST', path: '/transfers/:id/accept' },
  transfersReject: { method: 'POST', path: '/transfers/:id/reject' },
  noticesPaperDelivery: {
    method: 'POST',
    path: '/case-notices/:id/paper-delivery',
  },
  noticesMine: { method: 'GET', path: '/notices/mine' },
  noticesAcknowledge: { method: 'POST', path: '/notices/:id/acknowledge' },
  rechecksComplete: { method: 'POST', path: '/rechecks/:id' },
  dispatchList: { method: 'GET', path: '/dispatch' },
  dashboard: { method: 'GET', path: '/dashboard' },
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
  },
  childrenReviews: {
    method: 'GET',
    path: '/children/reviews',
  },
  childrenReviewDecide: {
    method: 'POST',
    path: '/children/reviews/:id/decision',
  },
  childrenMerge: { method: 'POST', path: '/children/merges' },
  childrenSplit: {
    method: 'POST',
    path: '/children/merges/:id/split',
  },
  childrenMerges: {
    method: 'GET',
    path: '/children/:id/merges',
  },

  enrolmentIssue: {
    method: 'POST',
    path: '/enrolment/batches',
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
  },

  schoolNoticesSend: {
    method: 'POST',
    path: '/school-notices',
  },
  schoolNoticesList: { method: 'GET', path: '/school-notices' },
  schoolNoticesMine: { method: 'GET', path: '/school-notices/mine' },
  schoolNoticesGet: { method: 'GET', path: '/school-notices/:id' },
  schoolNoticesRead: { method: 'POST', path: '/school-notices/:id/read' },

  subsidyPolicies: { method: 'GET', path: '/subsidies/policies' },
  subsidyPoliciesCreate: {
    method: 'POST',
    path: '/subsidies/policies',
  },
  subsidyPoliciesEnd: {
    method: 'POST',
    path: '/subsidies/policies/:id/end',
  },
  eligibilityList: {
    method: 'GET',
    path: '/subsidies/eligibility',
  },
  eligibilitySet: {
    method: 'PUT',
    path: '/subsidies/eligibility',
  },
  eligibilityRevoke: {
    method: 'POST',
    path: '/subsidies/eligibility/:id/revoke',
  },
  eligibilityTemplate: { method: 'GET', path: '/subsidies/eligibility/template' },
  eligibilityImport: {
    method: 'POST',
    path: '/subsidies/eligibility/import',
    fileField: 'file',
  },
  paymentsList: { method: 'GET', path: '/subsidies/payments' },
  paymentsTemplate: { method: 'GET', path: '/subsidies/payments/template' },
  paymentsImport: {
    method: 'POST',
    path: '/subsidies/payments/import',
    fileField: 'file',
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
  },
  registryImport: {
    method: 'POST',
    path: '/registry/imports',
    fileField: 'file',
  },
  registryImports: { method: 'GET', path: '/registry/imports' },
  registryImportGet: {
    method: 'GET',
    path: '/registry/imports/:id',
  },
  crosscheckStart: { method: 'POST', path: '/crosscheck/runs' },
  crosscheckRuns: { method: 'GET', path: '/crosscheck/runs' },
  crosscheckRunGet: { method: 'GET', path: '/crosscheck/runs/:id' },
  crosscheckReviews: {
    method: 'GET',
    path: '/crosscheck/reviews',
  },
  crosscheckDecide: {
    method: 'POST',
    path: '/crosscheck/reviews/:id',
  },
  statsDropout: { method: 'GET', path: '/stats/dropout' },
  statsExport: { method: 'GET', path: '/stats/export' },
  regionOverview: { method: 'GET', path: '/region/overview' },
  scorecards: { method: 'GET', path: '/scorecards' },
  dataQuality: { method: 'GET', path: '/data-quality' },
  circularsPublish: { method: 'POST', path: '/circulars' },
  circularsList: { method: 'GET', path: '/circulars' },
  circularsMine: { method: 'GET', path: '/circulars/mine' },
  circularsGet: { method: 'GET', path: '/circulars/:id' },
  circularsPdf: { method: 'GET', path: '/circulars/:id/pdf' },
  // 督导 spot checks and their 整改 items (BRIEF §5a)
  spotChecksDraw: { method: 'POST', path: '/spot-checks' },
  spotChecksList: { method: 'GET', path: '/spot-checks' },
  spotChecksGet: { method: 'GET', path: '/spot-checks/:id' },
  spotChecksExport: { method: 'GET', path: '/spot-checks/:id/export' },
  spotChecksRecordFinding: { method: 'POST', path: '/spot-checks/:id/items/:itemId/finding' },
  rectificationsList: { method: 'GET', path: '/rectifications' },
  rectificationsReport: { method: 'POST', path: '/rectifications/:id/report' },
  rectificationsReview: { method: 'POST', path: '/rectifications/:id/review' },
  statsIntakes: { method: 'GET', path: '/stats/intakes' },
  statsIntakeSet: { method: 'PUT', path: '/stats/intakes/:entryYear' },

  accountsList: { method: 'GET', path: '/accounts' },
  accountsUpdate: { method: 'PATCH', path: '/accounts/:id' },

  auditList: { method: 'GET', path: '/audit' },
  auditExport: { method: 'GET', path: '/audit/export' },
  // the school line (BRIEF §4a)
  calendarGet: { method: 'GET', path: '/calendar' },
  calendarSetTerms: { method: 'PUT', path: '/calendar/terms' },
  calendarSetDay: { method: 'PUT', path: '/calendar/days/:day' },
  calendarResetDay: { method: 'DELETE', path: '/calendar/days/:day' },
  classesList: { method: 'GET', path: '/classes' },
  classesStaff: { method: 'GET', path: '/classes/staff' },
  classesSetTeachers: { method: 'PUT', path: '/classes/teachers' },
  rollCallsSheet: { method: 'GET', path: '/roll-calls/sheet' },
  rollCallsSubmit: { method: 'POST', path: '/roll-calls' },
  rollCallsWeek: { method: 'GET', path: '/roll-calls/week' },
  absenceAlertsList: { method: 'GET', path: '/absence-alerts' },
  pupilsFollowUp: { method: 'GET', path: '/pupils/:id/follow-up' },
  pupilsFamilyContact: { method: 'POST', path: '/pupils/:id/family-contacts' },
  pupilsReport: { method: 'POST', path: '/pupils/:id/report' },
  leaveCreate: { method: 'POST', path: '/leave-requests' },
  leaveMine: { method: 'GET', path: '/leave-requests/mine' },
  leaveWithdraw: { method: 'POST', path: '/leave-requests/:id/withdraw' },
  leaveList: { method: 'GET', path: '/leave-requests' },
  leaveDecide: { method: 'POST', path: '/leave-requests/:id/decision' },
  pupilChangesCreate: { method: 'POST', path: '/pupil-changes' },
  pupilChangesList: { method: 'GET', path: '/pupil-changes' },
  pupilChangesConfirm: { method: 'POST', path: '/pupil-changes/:id/confirm' },
  pupilChangesDecide: { method: 'POST', path: '/pupil-changes/:id/decision' },
  // periodic reports up the chain (BRIEF §5a)
  reportsMine: { method: 'GET', path: '/reports/mine' },
  reportsList: { method: 'GET', path: '/reports' },
  reportsOpen: { method: 'POST', path: '/reports' },
  reportsGet: { method: 'GET', path: '/reports/:id' },
  reportsUpdate: { method: 'PATCH', path: '/reports/:id' },
  reportsSubmit: { method: 'POST', path: '/reports/:id/submit' },
  reportsApprove: { method: 'POST', path: '/reports/:id/approve' },
  reportsReturn: { method: 'POST', path: '/reports/:id/return' },
  reportsReopen: { method: 'POST', path: '/reports/:id/reopen' },
  reportsExport: { method: 'GET', path: '/reports/:id/export' },
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
