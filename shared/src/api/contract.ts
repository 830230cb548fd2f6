import type { z } from 'zod';
import * as accounts from './schemas/accounts';
import * as audit from './schemas/audit';
import * as auth from './schemas/auth';
import * as children from './schemas/children';
import * as common from './schemas/common';
import * as divisions from './schemas/divisions';
import * as health from './schemas/health';
import * as invitations from './schemas/invitations';
import * as dashboard from './schemas/dashboard';
import * as handling from './schemas/case-handling';
import * as cases from './schemas/cases';
import * as messages from './schemas/messages';
import * as parents from './schemas/parents';
import * as region from './schemas/region';
import * as scorecards from './schemas/scorecards';
import * as dataQuality from './data-quality';
import * as circulars from './schemas/circulars';
import * as spotChecks from './schemas/spot-checks';
import * as registry from './schemas/registry';
import * as schools from './schemas/schools';
import * as schoolLine from './schemas/school-line';
import * as subsidies from './schemas/subsidies';
import * as tips from './schemas/tips';
import * as uploads from './schemas/uploads';
import * as reports from './reports';
import { pageQuery } from './fields';
import type { RouteKey } from './routes';

export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Multipart uploads: the file's limits (its form field is `fileField` in the route table). */
  file?: { maxBytes: number; description: string };
  /** Answers with a file of this type instead of JSON; `response` is then not checked. */
  binary?: string;
  response: z.ZodType;
}

const MB = 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PDF = 'application/pdf';

export const contract = {
  health: { response: health.healthResponse },

  authOptions: { response: auth.authOptionsResponse },
  authWechatLogin: { body: auth.wechatLoginRequest, response: auth.sessionResponse },
  authDevLogin: { body: auth.devLoginRequest, response: auth.sessionResponse },
  authLogout: { response: common.okResponse },
  authDesktopCode: { response: auth.desktopCodeResponse },
  authDesktopLogin: { body: auth.desktopLoginRequest, response: auth.sessionResponse },

  me: { response: auth.meResponse },
  meUpdateProfile: { body: auth.updateProfileRequest, response: auth.meResponse },
  mePrivacyConsent: { body: auth.privacyConsentRequest, response: auth.meResponse },

  invitationsCreate: { body: invitations.createInvitationRequest, response: invitations.createdInvitationResponse },
  invitationsList: { query: invitations.listInvitationsQuery, response: invitations.invitationListResponse },
  invitationsRevoke: { params: common.idParam, response: invitations.invitationView },
  invitationsRedeem: { body: invitations.redeemInvitationRequest, response: auth.meResponse },

  divisionsServed: { response: divisions.divisionListResponse },
  divisionsSearch: { query: divisions.searchDivisionsQuery, response: divisions.divisionListResponse },
  divisionsGet: { params: divisions.divisionCodeParam, response: divisions.divisionView },
  divisionsChildren: { params: divisions.divisionCodeParam, response: divisions.divisionListResponse },
  divisionsImport: {
    // Checked by content, not by the declared type: WeChat uploads everything as octet-stream.
    file: { maxBytes: 20 * MB, description: 'CSV 文件（UTF-8 或 GB18030）' },
    response: divisions.divisionImportResponse,
  },

  schoolsList: { query: schools.listSchoolsQuery, response: schools.schoolPageResponse },
  schoolsGet: { params: common.idParam, response: schools.schoolView },
  schoolsCreate: { body: schools.createSchoolRequest, response: schools.schoolView },
  schoolsUpdate: { params: common.idParam, body: schools.updateSchoolRequest, response: schools.schoolView },

  tipsCreate: { body: tips.createTipRequest, response: tips.createTipResponse },
  tipsMine: { query: tips.myTipsQuery, response: tips.myTipsResponse },
  tipsGet: { params: common.idParam, response: tips.ownTipView },
  tipsReveal: { params: common.idParam, body: tips.revealTipsterRequest, response: tips.tipsterView },
  tipsSplit: { params: common.idParam, body: tips.splitTipRequest, response: cases.caseDetail },

  uploadsCreate: {
    query: uploads.uploadQuery,
    file: { maxBytes: 8 * MB, description: 'JPG、PNG 或 WebP 图片' },
    response: uploads.uploadResponse,
  },
  uploadsFile: { params: common.idParam, query: uploads.signedFileQuery, binary: 'image/jpeg', response: uploads.fileResponse },

  casesList: { query: cases.listCasesQuery, response: cases.casePageResponse },
  casesTriage: { query: cases.listCasesQuery, response: cases.casePageResponse },
  casesGet: { params: common.idParam, response: cases.caseDetail },
  casesAssignees: { params: common.idParam, response: cases.assigneeListResponse },
  casesAccept: { params: common.idParam, body: cases.acceptCaseRequest, response: cases.caseDetail },
  casesRoute: { params: common.idParam, body: cases.routeCaseRequest, response: cases.caseDetail },
  casesReturnToTriage: { params: common.idParam, body: cases.returnToTriageRequest, response: cases.caseDetail },
  casesMerge: { params: common.idParam, body: cases.mergeCaseRequest, response: cases.caseDetail },
  casesLedger: {
    query: handling.ledgerQuery,
    binary: XLSX,
    response: uploads.fileResponse,
  },
  casesTransition: { params: common.idParam, body: handling.caseTransitionRequest, response: cases.caseDetail },
  casesLogVisit: { params: common.idParam, body: handling.logVisitRequest, response: cases.caseDetail },
  casesSetCauses: { params: common.idParam, body: handling.setCausesRequest, response: cases.caseDetail },
  casesSetAssignee: { params: common.idParam, body: handling.setAssigneeRequest, response: cases.caseDetail },
  casesConfirmEnrolment: { params: common.idParam, response: cases.caseDetail },
  casesAttendance: { params: common.idParam, response: handling.attendanceSummary },
  casesRecordAttendance: { params: common.idParam, body: handling.attendanceRequest, response: handling.attendanceSummary },
  casesTransfer: { params: common.idParam, body: handling.transferRequest, response: cases.caseDetail },
  transfersIncoming: { response: handling.transferListResponse },
  transfersAccept: { params: common.idParam, body: handling.transferDecisionRequest, response: cases.caseDetail },
  transfersReject: { params: common.idParam, body: handling.rejectTransferRequest, response: handling.transferView },
  noticesPaperDelivery: { params: common.idParam, body: handling.paperDeliveryRequest, response: handling.noticeView },
  noticesMine: { response: handling.noticeListResponse },
  noticesAcknowledge: { params: common.idParam, response: handling.noticeView },
  rechecksComplete: { params: common.idParam, body: handling.recheckRequest, response: common.okResponse },
  dispatchList: { response: handling.dispatchResponse },
  dashboard: { response: dashboard.dashboardResponse },
  countySettingsGet: { response: handling.countySettingsView },
  countySettingsUpdate: { body: handling.countySettingsRequest, response: handling.countySettingsView },

  childrenBind: { body: parents.bindChildRequest, response: parents.boundChildView },
  childrenMine: { response: parents.myChildrenResponse },
  childrenUnbind: { params: common.idParam, response: common.okResponse },
  childrenGuardians: { params: common.idParam, response: parents.childGuardiansResponse },
  childrenSubsidies: { params: common.idParam, response: subsidies.childSubsidiesResponse },
  childrenAccessHistory: { params: common.idParam, query: pageQuery, response: audit.accessHistoryResponse },
  childrenReviews: { query: children.listChildReviewsQuery, response: children.childReviewPageResponse },
  childrenReviewDecide: { params: common.idParam, body: children.decideChildReviewRequest, response: children.childReviewView },
  childrenMerge: { body: children.mergeChildrenRequest, response: children.childMergeView },
  childrenSplit: { params: common.idParam, body: children.splitMergeRequest, response: children.childMergeView },
  childrenMerges: { params: common.idParam, response: children.childMergesResponse },

  enrolmentIssue: { body: parents.issueEnrolmentRequest, response: parents.issueEnrolmentResponse },
  enrolmentBatches: { response: parents.enrolmentBatchListResponse },
  enrolmentBatchPdf: { params: common.idParam, binary: PDF, response: uploads.fileResponse },
  enrolmentRemind: { params: common.idParam, body: parents.remindRequest, response: parents.remindResponse },
  enrolmentFollowUp: { query: parents.followUpQuery, response: parents.followUpResponse },
  enrolmentMine: { response: parents.enrolmentNoticeListResponse },
  enrolmentGet: { params: common.idParam, response: parents.enrolmentNoticeView },
  enrolmentPdf: { params: common.idParam, binary: PDF, response: uploads.fileResponse },
  enrolmentAcknowledge: { params: common.idParam, response: parents.enrolmentNoticeView },
  deferralsApply: { params: common.idParam, body: parents.applyDeferralRequest, response: parents.enrolmentNoticeView },
  deferralsList: { query: parents.listDeferralsQuery, response: parents.deferralListResponse },
  deferralsDecide: { params: common.idParam, body: parents.decideDeferralRequest, response: parents.deferralView },

  schoolNoticesSend: { body: parents.sendSchoolNoticeRequest, response: parents.schoolNoticeView },
  schoolNoticesList: { query: parents.listSchoolNoticesQuery, response: parents.schoolNoticePageResponse },
  schoolNoticesMine: { query: pageQuery, response: parents.receivedSchoolNoticePageResponse },
  schoolNoticesGet: { params: common.idParam, response: parents.schoolNoticeView },
  schoolNoticesRead: { params: common.idParam, response: parents.receivedSchoolNoticeView },

  subsidyPolicies: { response: subsidies.policyListResponse },
  subsidyPoliciesCreate: { body: subsidies.createPolicyRequest, response: subsidies.policyView },
  subsidyPoliciesEnd: { params: common.idParam, body: subsidies.endPolicyRequest, response: subsidies.policyView },
  eligibilityList: { query: subsidies.listEligibilityQuery, response: subsidies.eligibilityPageResponse },
  eligibilitySet: { body: subsidies.setEligibilityRequest, response: subsidies.eligibilityView },
  eligibilityRevoke: { params: common.idParam, response: common.okResponse },
  eligibilityTemplate: { binary: XLSX, response: uploads.fileResponse },
  eligibilityImport: {
    file: { maxBytes: 20 * MB, description: 'Excel（.xlsx）文件，按模板填写' },
    response: subsidies.subsidyImportResponse,
  },
  paymentsList: { query: subsidies.listPaymentsQuery, response: subsidies.paymentPageResponse },
  paymentsTemplate: { binary: XLSX, response: uploads.fileResponse },
  paymentsImport: {
    file: { maxBytes: 20 * MB, description: 'Excel（.xlsx）文件，按模板填写' },
    response: subsidies.subsidyImportResponse,
  },
  complaintsCreate: { body: subsidies.createComplaintRequest, response: subsidies.complaintView },
  complaintsMine: { response: subsidies.complaintListResponse },
  complaintsList: { query: subsidies.listComplaintsQuery, response: subsidies.complaintPageResponse },
  complaintsGet: { params: common.idParam, response: subsidies.complaintView },
  complaintsTransition: { params: common.idParam, body: subsidies.complaintTransitionRequest, response: subsidies.complaintView },

  messagesList: { query: messages.listMessagesQuery, response: messages.messagePageResponse },
  messagesRead: { params: common.idParam, response: messages.messageView },
  messagesReadAll: { response: common.okResponse },
  subscriptionsGet: { response: messages.subscriptionsResponse },
  subscriptionsRecord: { body: messages.recordSubscriptionsRequest, response: messages.subscriptionsResponse },

  registryTemplate: { params: registry.registryKindParam, binary: XLSX, response: uploads.fileResponse },
  registryImport: {
    query: registry.registryImportQuery,
    file: { maxBytes: 200 * MB, description: 'Excel（.xlsx）或 CSV 文件，按模板填写' },
    response: registry.importView,
  },
  registryImports: { query: registry.listImportsQuery, response: registry.importPageResponse },
  registryImportGet: { params: common.idParam, response: registry.importView },
  crosscheckStart: { body: registry.startCrosscheckRequest, response: registry.crosscheckRunView },
  crosscheckRuns: { response: registry.crosscheckRunListResponse },
  crosscheckRunGet: { params: common.idParam, response: registry.crosscheckRunView },
  crosscheckReviews: { query: registry.listReviewsQuery, response: registry.reviewPageResponse },
  crosscheckDecide: { params: registry.reviewIdParam, body: registry.decideReviewRequest, response: registry.reviewPairView },
  statsDropout: { query: registry.statsQuery, response: registry.statsResponse },
  statsExport: { query: registry.statsQuery, binary: XLSX, response: uploads.fileResponse },
  regionOverview: { query: region.regionOverviewQuery, response: region.regionOverviewResponse },
  scorecards: { query: scorecards.scorecardQuery, response: scorecards.scorecardResponse },
  dataQuality: { query: dataQuality.dataQualityQuery, response: dataQuality.dataQualityResponse },
  circularsPublish: { body: circulars.publishCircularRequest, response: circulars.circularView },
  circularsList: { query: circulars.listCircularsQuery, response: circulars.circularPageResponse },
  circularsMine: { query: circulars.listCircularsQuery, response: circulars.circularPageResponse },
  circularsGet: { params: common.idParam, response: circulars.circularView },
  circularsPdf: { params: common.idParam, binary: PDF, response: uploads.fileResponse },
  spotChecksDraw: { body: spotChecks.drawSpotCheckRequest, response: spotChecks.spotCheckView },
  spotChecksList: { query: spotChecks.listSpotChecksQuery, response: spotChecks.spotCheckPageResponse },
  spotChecksGet: { params: common.idParam, query: spotChecks.spotCheckQuery, response: spotChecks.spotCheckView },
  spotChecksExport: { params: common.idParam, query: spotChecks.spotCheckQuery, binary: XLSX, response: uploads.fileResponse },
  spotChecksRecordFinding: {
    params: spotChecks.spotCheckItemParams,
    body: spotChecks.recordFindingRequest,
    response: spotChecks.spotCheckItemView,
  },
  rectificationsList: { query: spotChecks.listRectificationsQuery, response: spotChecks.rectificationPageResponse },
  rectificationsReport: { params: common.idParam, body: spotChecks.reportRectificationRequest, response: spotChecks.rectificationView },
  rectificationsReview: { params: common.idParam, body: spotChecks.reviewRectificationRequest, response: spotChecks.rectificationView },
  statsIntakes: { response: registry.intakeListResponse },
  statsIntakeSet: { params: registry.intakeYearParam, body: registry.intakeRequest, response: registry.intakeView },

  accountsList: { query: accounts.listAccountsQuery, response: accounts.accountPageResponse },
  accountsUpdate: { params: common.idParam, body: accounts.updateAccountRequest, response: accounts.accountView },

  auditList: { query: audit.auditListQuery, response: audit.auditPageResponse },
  auditExport: { query: audit.auditExportQuery, binary: XLSX, response: uploads.fileResponse },
  calendarGet: { query: schoolLine.calendarQuery, response: schoolLine.calendarView },
  calendarSetTerms: { body: schoolLine.setTermsRequest, response: schoolLine.calendarView },
  calendarSetDay: { params: schoolLine.calendarDayParam, body: schoolLine.setCalendarDayRequest, response: schoolLine.calendarView },
  calendarResetDay: { params: schoolLine.calendarDayParam, response: schoolLine.calendarView },
  classesList: { response: schoolLine.classListResponse },
  classesStaff: { response: schoolLine.classStaffResponse },
  classesSetTeachers: { body: schoolLine.setClassTeachersRequest, response: schoolLine.classView },
  rollCallsSheet: { query: schoolLine.classDayQuery, response: schoolLine.rollCallSheet },
  rollCallsSubmit: { body: schoolLine.rollCallRequest, response: schoolLine.rollCallResponse },
  rollCallsWeek: { query: schoolLine.weekQuery, response: schoolLine.rollCallWeek },
  absenceAlertsList: { query: schoolLine.absenceAlertsQuery, response: schoolLine.absenceAlertPage },
  pupilsFollowUp: { params: common.idParam, response: schoolLine.pupilFollowUpView },
  pupilsFamilyContact: { params: common.idParam, body: schoolLine.familyContactRequest, response: schoolLine.familyContactView },
  pupilsReport: { params: common.idParam, body: schoolLine.reportPupilRequest, response: schoolLine.reportPupilResponse },
  leaveCreate: { body: schoolLine.leaveRequestBody, response: schoolLine.leaveView },
  leaveMine: { query: pageQuery, response: schoolLine.leavePage },
  leaveWithdraw: { params: common.idParam, response: schoolLine.leaveView },
  leaveList: { query: schoolLine.leaveListQuery, response: schoolLine.leavePage },
  leaveDecide: { params: common.idParam, body: schoolLine.leaveDecisionRequest, response: schoolLine.leaveView },
  pupilChangesCreate: { body: schoolLine.pupilChangeRequest, response: schoolLine.pupilChangeView },
  pupilChangesList: { query: schoolLine.pupilChangeListQuery, response: schoolLine.pupilChangePage },
  pupilChangesConfirm: { params: common.idParam, body: schoolLine.pupilChangeConfirmRequest, response: schoolLine.pupilChangeView },
  pupilChangesDecide: { params: common.idParam, body: schoolLine.pupilChangeDecisionRequest, response: schoolLine.pupilChangeView },
  reportsMine: { response: reports.myReportsResponse },
  reportsList: { query: reports.listReportsQuery, response: reports.reportListResponse },
  reportsOpen: { body: reports.openReportRequest, response: reports.reportView },
  reportsGet: { params: common.idParam, response: reports.reportView },
  reportsUpdate: { params: common.idParam, body: reports.updateReportRequest, response: reports.reportView },
  reportsSubmit: { params: common.idParam, body: reports.submitReportRequest, response: reports.reportView },
  reportsApprove: { params: common.idParam, body: reports.approveReportRequest, response: reports.reportView },
  reportsReturn: { params: common.idParam, body: reports.returnReportRequest, response: reports.reportView },
  reportsReopen: { params: common.idParam, body: reports.reopenReportRequest, response: reports.reportView },
  reportsExport: { params: common.idParam, binary: XLSX, response: uploads.fileResponse },
} as const satisfies Record<RouteKey, RouteSchemas>;

type Schemas<K extends RouteKey> = (typeof contract)[K];
type Field<K extends RouteKey, F extends string> = Schemas<K> extends Record<F, infer S extends z.ZodType> ? S : never;

/** What a client sends (before the schema's defaults and normalisation). */
export type RequestBody<K extends RouteKey> = z.input<Field<K, 'body'>>;
export type RequestQuery<K extends RouteKey> = z.input<Field<K, 'query'>>;
export type RequestParams<K extends RouteKey> = z.input<Field<K, 'params'>>;
/** What the server answers with. */
export type ResponseOf<K extends RouteKey> = z.output<Schemas<K>['response']>;
