export default definePageConfig({ navigationBarTitleText: '辍学统计' });
