export default definePageConfig({ navigationBarTitleText: '督导抽查' });
