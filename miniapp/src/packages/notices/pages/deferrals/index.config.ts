export default definePageConfig({ navigationBarTitleText: '延缓入学审批' });
