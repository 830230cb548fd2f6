export default definePageConfig({ navigationBarTitleText: '发送学校通知' });
