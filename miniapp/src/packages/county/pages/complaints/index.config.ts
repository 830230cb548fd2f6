export default definePageConfig({ navigationBarTitleText: '资助投诉' });
