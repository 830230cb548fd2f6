export default definePageConfig({ navigationBarTitleText: '学生缺勤跟进' });
