export default definePageConfig({ navigationBarTitleText: '学校通知' });
