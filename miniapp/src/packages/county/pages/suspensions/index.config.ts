export default definePageConfig({ navigationBarTitleText: '休学审批' });
