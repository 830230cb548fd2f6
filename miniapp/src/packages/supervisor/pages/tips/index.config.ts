export default definePageConfig({ navigationBarTitleText: '我的线索' });
