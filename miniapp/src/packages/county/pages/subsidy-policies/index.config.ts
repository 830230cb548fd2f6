export default definePageConfig({ navigationBarTitleText: '资助标准' });
