export default definePageConfig({ navigationBarTitleText: '提交线索' });
