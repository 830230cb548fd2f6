import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { gradeLabel, SUBSIDY_CATEGORIES, schoolYearLabel, schoolYearOf } from '@baoxue/shared';
import { DataTable } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { subsidyOfficeApi, type Eligibility } from '../../../../services/subsidy-office';
import { today } from '../../../../utils/dates';
import { formatDateTime } from '../../../../utils/format';
import { ELIGIBILITY_COLUMNS } from '../../components/county-columns';
import { SheetImport } from '../../components/sheet-import';
import '../../subsidies.css';

const STAGES = { primary: '小学', junior: '初中' } as const;

/** 资助对象: pupils confirmed each autumn as from families in economic difficulty, per school year. */
export default function SubsidyEligibilityPage() {
  const current = schoolYearOf(today());
  const [schoolYear, setSchoolYear] = useState(String(current));
  const list = usePagedList((cursor) => subsidyOfficeApi.eligibility({ cursor, limit: 20, schoolYear: Number(schoolYear) }), [schoolYear]);
  const years = [current, current - 1].map((year) => ({ value: String(year), label: schoolYearLabel(year) }));

  return (
    <Screen className="list-page subsidy-eligibility-page">
      <SheetImport
        title="导入资助对象名单"
        note="每行一名学生：学籍号或身份证号、姓名、学年、困难类别、是否寄宿。学段按学生年级确定。"
        downloadTemplate={subsidyOfficeApi.eligibilityTemplate}
        importFile={subsidyOfficeApi.importEligibility}
        onImported={() => void list.reload()}
      />
      <Text className="section-title">资助对象</Text>
      <Segmented choices={years} value={schoolYear} onChange={setSchoolYear} />
      <DataTable<Eligibility>
        label="资助对象列表"
        list={list}
        empty="这一学年还没有认定资助对象"
        rowKey={(item) => item.id}
        columns={ELIGIBILITY_COLUMNS}
        card={(item) => <EligibilityItem key={item.id} item={item} />}
      />
    </Screen>
  );
}

function EligibilityItem({ item }: { item: Eligibility }) {
  return (
    <View className="card list-item eligibility-item">
      <View className="list-item-head">
        <Text className="list-item-title">{item.childName}</Text>
        <Text className="tag">{SUBSIDY_CATEGORIES[item.category]}</Text>
      </View>
      <Text className="list-item-line">
        {item.schoolName ?? '—'}
        {item.grade ? ` · ${gradeLabel(item.grade)}` : ''} · {STAGES[item.stage]} · {item.boarding ? '寄宿' : '非寄宿'}
      </Text>
      <Text className="list-item-meta">
        {schoolYearLabel(item.schoolYear)} · {item.source === 'import' ? '导入' : '手工认定'} · {formatDateTime(item.confirmedAt)}
      </Text>
    </View>
  );
}
