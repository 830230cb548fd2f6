import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { COMPLAINT_STATUSES } from '@baoxue/shared';
import type { ComplaintStatus } from '@baoxue/shared';
import { DataTable } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { subsidyOfficeApi, type Complaint } from '../../../../services/subsidy-office';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { COMPLAINT_COLUMNS } from '../../components/county-columns';
import '../../../../components/subpackage.css';
import '../../subsidies.css';

type Filter = ComplaintStatus | 'overdue' | 'all';

const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'overdue', label: '已超期' },
  ...(Object.entries(COMPLAINT_STATUSES) as Array<[ComplaintStatus, string]>).map(([value, label]) => ({ value, label })),
];

/** 资助投诉: parents' complaints about subsidies, for the county's student-aid office to answer in time. */
export default function ComplaintsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const complaints = usePagedList(
    (cursor) =>
      subsidyOfficeApi.complaints({
        cursor,
        limit: 20,
        status: filter === 'all' || filter === 'overdue' ? undefined : filter,
        overdue: filter === 'overdue' ? 'true' : undefined,
      }),
    [filter],
  );
  // Back from answering one: its status has changed.
  useOnReturn(() => void complaints.reload());
  const overdue = complaints.lastPage?.overdueCount ?? 0;

  return (
    <Screen className="list-page complaints-page">
      {overdue > 0 && <Text className="section-title section-title-alert">{overdue} 件投诉已超过答复期限</Text>}
      <Segmented choices={FILTERS} value={filter} onChange={setFilter} />
      <DataTable<Complaint>
        label="资助投诉列表"
        list={complaints}
        empty="没有资助投诉"
        rowKey={(complaint) => complaint.id}
        columns={COMPLAINT_COLUMNS}
        onOpen={(complaint) => openPage(PAGES.countyComplaint, { id: complaint.id })}
        rowAlert={(complaint) => complaint.overdue}
        card={(complaint) => <ComplaintItem key={complaint.id} complaint={complaint} />}
      />
    </Screen>
  );
}

function ComplaintItem({ complaint }: { complaint: Complaint }) {
  return (
    <View className="card list-item complaint-item" onClick={() => openPage(PAGES.countyComplaint, { id: complaint.id })}>
      <View className="list-item-head">
        <Text className="list-item-title">{complaint.childName}</Text>
        <Text className={complaint.overdue ? 'tag tag-complaint-overdue' : 'tag'}>
          {complaint.overdue ? '已超期' : COMPLAINT_STATUSES[complaint.status]}
        </Text>
      </View>
      <Text className="list-item-line">{complaint.subject}</Text>
      <Text className="list-item-line">{complaint.text}</Text>
      <Text className="list-item-meta">
        {complaint.schoolName ?? '—'} · {formatDateTime(complaint.createdAt)} 提出 · {formatDateTime(complaint.dueAt)} 前答复
      </Text>
    </View>
  );
}
