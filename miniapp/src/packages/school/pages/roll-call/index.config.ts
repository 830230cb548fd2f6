export default definePageConfig({ navigationBarTitleText: '点名' });
