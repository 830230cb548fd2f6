export default definePageConfig({ navigationBarTitleText: '登录保学通' });
