/** Every page of the mini program, as the absolute URLs Taro navigates to. */
export const PAGES = {
  entry: '/pages/index/index',
  login: '/pages/login/index',
  home: '/pages/home/index',
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
  officialUnit: '/packages/official/pages/unit/index',
} as const;

export type PageUrl = (typeof PAGES)[keyof typeof PAGES];

/** Tab pages are reached with switchTab; WeChat refuses navigateTo/redirectTo for them. */
export const TAB_PAGES: readonly PageUrl[] = [PAGES.home, PAGES.me];
