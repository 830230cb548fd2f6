export default definePageConfig({ navigationBarTitleText: '时限与规则' });
