export default definePageConfig({ navigationBarTitleText: '四查三比对' });
