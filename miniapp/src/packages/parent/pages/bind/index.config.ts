export default definePageConfig({ navigationBarTitleText: '绑定孩子' });
