export default definePageConfig({ navigationBarTitleText: '为孩子请假' });
