import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { SCHOOL_STAGE_LABELS } from '@baoxue/shared';
import type { SchoolView } from '@baoxue/shared';
import { ErrorNotice, Loading } from '../../../components/status';
import { useDebounced } from '../../../hooks/use-debounced';
import { useLoader } from '../../../hooks/use-loader';
import { schoolsApi } from '../../../services/schools';
import '../../../components/subpackage.css';
import '../../../components/picker.css';
import '../supervisor.css';

interface Props {
  /** What is chosen now: a school from the list, a typed name, or nothing. */
  chosen: { kind: 'listed'; id: string; name: string } | { kind: 'typed'; name: string } | null;
  /** Before anything is typed, the schools of this township (or village) are offered. */
  near: string | null;
  onPick: (school: SchoolView) => void;
  onType: (name: string) => void;
  onClear: () => void;
}

/** The child's last school: picked from the county's schools, or typed when it is not listed. */
export function SchoolField({ chosen, near, onPick, onType, onClear }: Props) {
  const [query, setQuery] = useState('');
  const term = useDebounced(query.trim());
  const schools = useLoader(
    () => (chosen ? null : schoolsApi.list(term ? { q: term, limit: 8 } : { under: near ?? undefined, limit: 8 })),
    [chosen === null, term, near],
  );

  if (chosen) {
    return (
      <View className="picker-panel">
        <View className="picker-current">
          <Text className="picker-current-label">{chosen.kind === 'listed' ? '已选' : '已填写'}</Text>
          <Text className="picker-current-value">{chosen.name}</Text>
          <Text
            className="link"
            onClick={() => {
              setQuery('');
              onClear();
            }}
          >
            更改
          </Text>
        </View>
      </View>
    );
  }

  return (
    <View className="picker-panel">
      <Input
        className="input input-small"
        value={query}
        maxlength={50}
        placeholder="搜索或填写学校名称"
        onInput={(event) => setQuery(event.detail.value)}
      />
      {schools.error && <ErrorNotice message={schools.error} onRetry={() => void schools.reload()} />}
      {schools.loading && !schools.data && <Loading />}
      <View className="picker-options">
        {schools.data?.items.map((school) => (
          <View key={school.id} className="picker-option" onClick={() => onPick(school)}>
            <Text>{school.name}</Text>
            <Text className="picker-option-level">{SCHOOL_STAGE_LABELS[school.stage]}</Text>
          </View>
        ))}
        {term !== '' && (
          <View className="picker-option picker-option-typed" onClick={() => onType(term)}>
            <Text>列表中没有，填写“{term}”</Text>
          </View>
        )}
      </View>
    </View>
  );
}
