export default definePageConfig({ navigationBarTitleText: '发出入学通知书' });
