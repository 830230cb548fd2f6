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
  officialUnit: '/packages/official/pages/unit/index',
  officialInbox: '/packages/official/pages/inbox/index',
  officialCase: APP_PAGES.officialCase,
  supervisorTipForm: '/packages/supervisor/pages/tip-form/index',
  supervisorTips: '/packages/supervisor/pages/tips/index',
  supervisorTip: APP_PAGES.supervisorTip,
} as const;

export type PageUrl = (typeof PAGES)[keyof typeof PAGES];

/** Tab pages are reached with switchTab; WeChat refuses navigateTo/redirectTo for them. */
export const TAB_PAGES: readonly PageUrl[] = [PAGES.home, PAGES.messages, PAGES.me];

/** The tab bar's order, for badges (setTabBarBadge takes the index). */
export const MESSAGES_TAB_INDEX = TAB_PAGES.indexOf(PAGES.messages);
