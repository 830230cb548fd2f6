export default definePageConfig({ navigationBarTitleText: '保学通' });
