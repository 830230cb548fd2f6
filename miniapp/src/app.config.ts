export default defineAppConfig({
  // The main package holds the entry, sign-in and the three tab pages; everything else is a
  // subpackage so each role downloads only what it uses.
  pages: ['pages/index/index', 'pages/login/index', 'pages/home/index', 'pages/messages/index', 'pages/me/index'],
  subPackages: [
    { root: 'packages/account', pages: ['pages/redeem/index', 'pages/profile/index', 'pages/desktop-code/index'] },
    { root: 'packages/supervisor', pages: ['pages/tip-form/index', 'pages/tips/index', 'pages/tip/index'] },
    { root: 'packages/official', pages: ['pages/unit/index', 'pages/inbox/index', 'pages/case/index'] },
    {
      root: 'packages/county',
      pages: [
        'pages/invitations/index',
        'pages/invitation-create/index',
        'pages/schools/index',
        'pages/school-edit/index',
        'pages/accounts/index',
        'pages/division-import/index',
        'pages/triage/index',
        'pages/dispatch/index',
        'pages/settings/index',
        'pages/ledger/index',
        'pages/registry-import/index',
        'pages/crosscheck/index',
        'pages/dropout-stats/index',
        'pages/subsidies/index',
        'pages/subsidy-policies/index',
        'pages/subsidy-eligibility/index',
        'pages/subsidy-payments/index',
        'pages/complaints/index',
        'pages/complaint/index',
        'pages/enrolment-follow-up/index',
        'pages/child-reviews/index',
      ],
    },
    {
      root: 'packages/notices',
      pages: [
        'pages/enrolment/index',
        'pages/enrolment-issue/index',
        'pages/deferrals/index',
        'pages/school-notices/index',
        'pages/school-notice-send/index',
      ],
    },
    {
      root: 'packages/parent',
      pages: [
        'pages/notices/index',
        'pages/children/index',
        'pages/bind/index',
        'pages/enrolment/index',
        'pages/school-notices/index',
        'pages/subsidies/index',
        'pages/complaint/index',
      ],
    },
  ],
  tabBar: {
    color: '#6b7280',
    selectedColor: '#1f6feb',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab-home.png', selectedIconPath: 'assets/tab-home-active.png' },
      {
        pagePath: 'pages/messages/index',
        text: '消息',
        iconPath: 'assets/tab-messages.png',
        selectedIconPath: 'assets/tab-messages-active.png',
      },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab-me.png', selectedIconPath: 'assets/tab-me-active.png' },
    ],
  },
  window: {
    navigationBarTitleText: '保学通',
    navigationBarBackgroundColor: '#1f6feb',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f6fa',
    backgroundTextStyle: 'light',
  },
  // WeChat requires the user to agree to the privacy guide before privacy APIs (choosing files,
  // photos, location); stores/privacy.ts answers onNeedPrivacyAuthorization with our dialog.
  __usePrivacyCheck__: true,
});
