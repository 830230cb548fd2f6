export default definePageConfig({ navigationBarTitleText: '缺勤待跟进' });
