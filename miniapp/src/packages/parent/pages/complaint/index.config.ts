export default definePageConfig({ navigationBarTitleText: '资助问题反映' });
