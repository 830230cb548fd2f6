export default definePageConfig({ navigationBarTitleText: '学校工作台' });
