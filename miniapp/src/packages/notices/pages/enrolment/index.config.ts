export default definePageConfig({ navigationBarTitleText: '入学通知书' });
