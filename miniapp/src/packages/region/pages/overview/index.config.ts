export default definePageConfig({ navigationBarTitleText: '辖区概况' });
