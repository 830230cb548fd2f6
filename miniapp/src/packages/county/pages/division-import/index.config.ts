export default definePageConfig({ navigationBarTitleText: '区划导入' });
