export default definePageConfig({ navigationBarTitleText: '疑似重复儿童' });
