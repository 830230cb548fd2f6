export default definePageConfig({ navigationBarTitleText: '下级报告' });
