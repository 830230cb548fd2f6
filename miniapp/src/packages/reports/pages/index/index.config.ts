export default definePageConfig({ navigationBarTitleText: '定期报告' });
