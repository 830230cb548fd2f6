export default definePageConfig({ navigationBarTitleText: '往年一年级入学人数' });
