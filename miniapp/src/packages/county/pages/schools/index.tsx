import { useState } from 'react';
import { Button, Input } from '@tarojs/components';
import { SCHOOL_STAGE_LABELS } from '@baoxue/shared';
import type { SchoolStage, SchoolView } from '@baoxue/shared';
import { DataTable } from '../../../../components/data-table';
import { SchoolCard } from '../../../../components/school-card';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { useDebounced } from '../../../../hooks/use-debounced';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { schoolsApi } from '../../../../services/schools';
import { openPage } from '../../../../utils/navigation';
import { SCHOOL_COLUMNS } from '../../components/county-columns';

type StageFilter = SchoolStage | 'all';

const STAGES: ReadonlyArray<{ value: StageFilter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'primary', label: SCHOOL_STAGE_LABELS.primary },
  { value: 'junior', label: SCHOOL_STAGE_LABELS.junior },
  { value: 'both', label: SCHOOL_STAGE_LABELS.both },
];

export default function SchoolsPage() {
  const [stage, setStage] = useState<StageFilter>('all');
  const [query, setQuery] = useState('');
  const searchTerm = useDebounced(query.trim());
  const schools = usePagedList(
    (cursor) => schoolsApi.list({ cursor, stage: stage === 'all' ? undefined : stage, q: searchTerm || undefined, limit: 20 }),
    [stage, searchTerm],
  );

  // Back from adding or editing a school.
  useOnReturn(() => void schools.reload());

  return (
    <Screen className="list-page">
      <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.schoolEdit)}>
        新增学校
      </Button>
      <Input className="input" value={query} placeholder="按学校名称搜索" onInput={(event) => setQuery(event.detail.value)} />
      <Segmented choices={STAGES} value={stage} onChange={setStage} />
      <DataTable<SchoolView>
        label="学校列表"
        list={schools}
        empty="没有符合条件的学校"
        rowKey={(school) => school.id}
        columns={SCHOOL_COLUMNS}
        onOpen={(school) => openPage(PAGES.schoolEdit, { id: school.id })}
        card={(school) => <SchoolCard key={school.id} school={school} onClick={() => openPage(PAGES.schoolEdit, { id: school.id })} />}
      />
    </Screen>
  );
}
