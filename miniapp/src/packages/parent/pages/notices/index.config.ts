export default definePageConfig({ navigationBarTitleText: '正式通知' });
