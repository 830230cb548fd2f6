export default definePageConfig({ navigationBarTitleText: '班主任设置' });
