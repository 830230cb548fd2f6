import { Text } from '@tarojs/components';
import { Menu } from '../../../../components/menu';
import { Screen } from '../../../../components/screen';
import { PAGES } from '../../../../routes';
import { openPage } from '../../../../utils/navigation';

/** 学生资助: the county student-aid office's work, one page per task. */
export default function SubsidiesPage() {
  return (
    <Screen className="list-page subsidies-page">
      <Text className="section-note">
        两免一补：义务教育阶段学生免学杂费、免费提供教科书；家庭经济困难学生按学期发放生活补助，每年秋季认定资助对象。
      </Text>
      <Menu
        entries={[
          {
            title: '资助标准',
            description: '国家基础标准和本县补助，按生效日期计算',
            onClick: () => openPage(PAGES.subsidyPolicies),
          },
          {
            title: '资助对象',
            description: '按学年认定的家庭经济困难学生，可用 Excel 导入',
            onClick: () => openPage(PAGES.subsidyEligibility),
          },
          { title: '资助发放', description: '每笔发放及其状态，可用 Excel 导入发放表', onClick: () => openPage(PAGES.subsidyPayments) },
          { title: '资助投诉', description: '家长反映的资助问题，按时答复', onClick: () => openPage(PAGES.countyComplaints) },
        ]}
      />
    </Screen>
  );
}
