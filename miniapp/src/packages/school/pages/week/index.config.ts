export default definePageConfig({ navigationBarTitleText: '本周考勤' });
