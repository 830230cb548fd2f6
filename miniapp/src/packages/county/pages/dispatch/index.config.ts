export default definePageConfig({ navigationBarTitleText: '一日一调度' });
