export default definePageConfig({ navigationBarTitleText: '待分派线索' });
