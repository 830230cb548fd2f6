export default definePageConfig({ navigationBarTitleText: '学籍异动' });
