import { APP_PAGES } from '@baoxue/shared';

/** Every page of the mini program, as the absolute URLs Taro navigates to. */
export const PAGES = {
  entry: '/pages/index/index',
  login: '/pages/login/index',
  home: '/pages/home/index',
  messages: APP_PAGES.messages,
  me: '/pages/me/index',
  redeemInvitation: '/packages/account/pages/redeem/index',
  profile: '/packages/account/pages/profile/index',
  desktopCode: '/packages/account/pages/desktop-code/index',
  invitations: '/packages/county/pages/invitations/index',
  invitationCreate: '/packages/county/pages/invitation-create/index',
  schools: '/packages/county/pages/schools/index',
  schoolEdit: '/packages/county/pages/school-edit/index',
  accounts: '/packages/county/pages/accounts/index',
  divisionImport: '/packages/county/pages/division-import/index',
  countyTriage: APP_PAGES.countyTriage,
  countyDispatch: APP_PAGES.countyDispatch,
  countySettings: '/packages/county/pages/settings/index',
  ledger: '/packages/county/pages/ledger/index',
  registryImport: '/packages/county/pages/registry-import/index',
  crosscheck: '/packages/county/pages/crosscheck/index',
  childReviews: '/packages/county/pages/child-reviews/index',
  auditLog: '/packages/county/pages/audit/index',
  dropoutStats: '/packages/county/pages/dropout-stats/index',
  officialUnit: '/packages/official/pages/unit/index',
  officialInbox: '/packages/official/pages/inbox/index',
  officialCase: APP_PAGES.officialCase,
  supervisorTipForm: '/packages/supervisor/pages/tip-form/index',
  supervisorTips: '/packages/supervisor/pages/tips/index',
  supervisorTip: APP_PAGES.supervisorTip,
  parentNotices: APP_PAGES.parentNotices,
  enrolmentBatches: '/packages/notices/pages/enrolment/index',
  enrolmentIssue: '/packages/notices/pages/enrolment-issue/index',
  deferrals: APP_PAGES.deferrals,
  schoolNotices: '/packages/notices/pages/school-notices/index',
  schoolNoticeSend: '/packages/notices/pages/school-notice-send/index',
  subsidies: '/packages/county/pages/subsidies/index',
  subsidyPolicies: '/packages/county/pages/subsidy-policies/index',
  subsidyEligibility: '/packages/county/pages/subsidy-eligibility/index',
  subsidyPayments: '/packages/county/pages/subsidy-payments/index',
  countyComplaints: '/packages/county/pages/complaints/index',
  parentChildren: '/packages/parent/pages/children/index',
  parentBind: '/packages/parent/pages/bind/index',
  parentAccessHistory: '/packages/parent/pages/access-history/index',
  parentEnrolment: APP_PAGES.parentEnrolment,
  parentSchoolNotices: APP_PAGES.parentSchoolNotices,
  parentSubsidies: APP_PAGES.parentSubsidies,
  parentComplaint: APP_PAGES.parentComplaint,
  countyComplaint: APP_PAGES.countyComplaint,
  enrolmentFollowUp: '/packages/county/pages/enrolment-follow-up/index',
} as const;

export type PageUrl = (typeof PAGES)[keyof typeof PAGES];

/** Tab pages are reached with switchTab; WeChat refuses navigateTo/redirectTo for them. */
export const TAB_PAGES: readonly PageUrl[] = [PAGES.home, PAGES.messages, PAGES.me];

/** The tab bar's order, for badges (setTabBarBadge takes the index). */
export const MESSAGES_TAB_INDEX = TAB_PAGES.indexOf(PAGES.messages);
