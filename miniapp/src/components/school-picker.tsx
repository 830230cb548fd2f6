import { useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { SCHOOL_STAGE_LABELS } from '@baoxue/shared';
import type { SchoolView } from '@baoxue/shared';
import { useDebounced } from '../hooks/use-debounced';
import { useLoader } from '../hooks/use-loader';
import { schoolsApi } from '../services/schools';
import { ErrorNotice, Loading } from './status';
import './subpackage.css';
import './picker.css';

/**
 * Search the county's schools by name and tap one (`exclude`: a school that may not be chosen, e.g.
 * the pupil's own). `actionable`: only the schools of the caller's own case work (a township's
 * schools), for filters and case forms. A `value` given from the start is shown by its name, and
 * `onPreset` learns the school it names.
 */
export function SchoolPicker({
  value,
  onChange,
  exclude,
  actionable,
  onPreset,
}: {
  value: string | null;
  onChange: (school: SchoolView) => void;
  exclude?: string | null;
  actionable?: boolean;
  onPreset?: (school: SchoolView) => void;
}) {
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<SchoolView | null>(null);
  const searchTerm = useDebounced(query.trim());
  const schools = useLoader(
    () => schoolsApi.list({ q: searchTerm || undefined, actionable: actionable ? 'true' : undefined, limit: 20 }),
    [searchTerm, actionable],
  );
  // only the value the picker opened with is looked up
  const [preset] = useState(value);
  const presetSeen = useRef(onPreset);
  presetSeen.current = onPreset;
  useEffect(() => {
    if (!preset) return;
    schoolsApi.get(preset).then(
      (school) => {
        setChosen((current) => current ?? school);
        presetSeen.current?.(school);
      },
      // an unknown preset stays 未选择; the form names the field when sent
      () => undefined,
    );
  }, [preset]);

  return (
    <View className="picker-panel">
      <View className="picker-current">
        <Text className="picker-current-label">已选</Text>
        <Text className="picker-current-value">
          {chosen && chosen.id === value ? `${chosen.name}（${chosen.townshipName}）` : '未选择'}
        </Text>
      </View>
      <Input className="input input-small" value={query} placeholder="搜索学校名称" onInput={(event) => setQuery(event.detail.value)} />
      {schools.error && <ErrorNotice message={schools.error} onRetry={() => void schools.reload()} />}
      {schools.loading && !schools.data && <Loading />}
      <View className="picker-options">
        {schools.data?.items
          .filter((school) => school.id !== exclude)
          .map((school) => (
            <View
              key={school.id}
              className={school.id === value ? 'picker-option picker-option-active' : 'picker-option'}
              onClick={() => {
                setChosen(school);
                onChange(school);
              }}
            >
              <Text>{school.name}</Text>
              <Text className="picker-option-level">
                {school.townshipName} · {SCHOOL_STAGE_LABELS[school.stage]}
              </Text>
            </View>
          ))}
      </View>
      {schools.data && schools.data.items.length === 0 && <Text className="field-hint">没有找到学校</Text>}
    </View>
  );
}
