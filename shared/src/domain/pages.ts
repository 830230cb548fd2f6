/**
 * Pages of the mini program that server-side messages link to. The mini program declares these
 * paths in its app config; a test checks every one exists in the build.
 */
export const APP_PAGES = {
  supervisorTip: '/packages/supervisor/pages/tip/index',
  officialCase: '/packages/official/pages/case/index',
  countyTriage: '/packages/county/pages/triage/index',
  parentNotices: '/packages/parent/pages/notices/index',
  countyDispatch: '/packages/county/pages/dispatch/index',
  // the lists a dashboard figure opens: the inbox with a filter, the statistics
  officialInbox: '/packages/official/pages/inbox/index',
  dropoutStats: '/packages/county/pages/dropout-stats/index',
  parentEnrolment: '/packages/parent/pages/enrolment/index',
  parentSchoolNotices: '/packages/parent/pages/school-notices/index',
  parentSubsidies: '/packages/parent/pages/subsidies/index',
  parentComplaint: '/packages/parent/pages/complaint/index',
  deferrals: '/packages/notices/pages/deferrals/index',
  countyComplaint: '/packages/county/pages/complaint/index',
  messages: '/pages/messages/index',
  // the school line (packages/school): an absence alert opens the pupil, a leave request or an incoming transfer its list
  schoolPupil: '/packages/school/pages/pupil/index',
  schoolLeave: '/packages/school/pages/leave/index',
  schoolChanges: '/packages/school/pages/changes/index',
  countySuspensions: '/packages/county/pages/suspensions/index',
  parentLeave: '/packages/parent/pages/leave/index',
  // 通报 sent to a township leader or a school (packages/notices)
  receivedCircular: '/packages/notices/pages/circular/index',
} as const;
export type AppPage = keyof typeof APP_PAGES;

export function pageLink(page: AppPage, query: Record<string, string> = {}): string {
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return search ? `${APP_PAGES[page]}?${search}` : APP_PAGES[page];
}
