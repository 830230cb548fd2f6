export default definePageConfig({ navigationBarTitleText: '校历' });
