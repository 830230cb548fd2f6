export default definePageConfig({ navigationBarTitleText: '孩子信息的查阅记录' });
