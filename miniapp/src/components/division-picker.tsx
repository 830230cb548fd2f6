import { useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { DIVISION_LEVEL_LABELS, DIVISION_LEVELS } from '@baoxue/shared';
import type { DivisionLevel, DivisionView } from '@baoxue/shared';
import { useDebounced } from '../hooks/use-debounced';
import { useLoader } from '../hooks/use-loader';
import { useStableCallback } from '../hooks/use-stable-callback';
import { divisionsApi } from '../services/divisions';
import { ErrorNotice, Loading } from './status';
import './subpackage.css';
import './picker.css';

interface Props {
  /** The chosen division's code, or null. */
  value: string | null;
  /** Called with the division when one at or below `minLevel` is chosen, null otherwise. */
  onChange: (division: DivisionView | null) => void;
  minLevel?: DivisionLevel;
}

/**
 * Cascade picker over the counties this deployment serves: tap a township, then a village, or
 * search by name. The current position in the cascade is the selection.
 */
export function DivisionPicker({ value, onChange, minLevel = 'county' }: Props) {
  const [current, setCurrent] = useState<DivisionView | null>(null);
  const [query, setQuery] = useState('');

  const choose = useStableCallback((division: DivisionView | null) => {
    setCurrent(division);
    setQuery('');
    const deepEnough = division && DIVISION_LEVELS.indexOf(division.level as DivisionLevel) >= DIVISION_LEVELS.indexOf(minLevel);
    onChange(deepEnough ? division : null);
  });

  // Start from the given value, or from the county when the deployment serves only one.
  const start = useLoader(async () => {
    if (value) return divisionsApi.get(value);
    const { items } = await divisionsApi.served();
    return items.length === 1 ? items[0]! : null;
  }, []);
  // Only the initial load decides the starting point, and only if nothing was chosen before it came.
  const startData = start.data;
  const started = useRef(false);
  useEffect(() => {
    if (!startData || started.current) return;
    started.current = true;
    if (!current) choose(startData);
  }, [startData, current, choose]);

  const served = useLoader(() => (current ? null : divisionsApi.served()), [current === null]);
  const children = useLoader(
    () => (current?.hasChildren ? divisionsApi.children(current.code) : Promise.resolve({ items: [] })),
    [current?.code],
  );
  const searchTerm = useDebounced(query.trim());
  const found = useLoader(() => (searchTerm ? divisionsApi.search({ q: searchTerm, limit: 20 }) : null), [searchTerm]);

  const goUp = async () => {
    if (!current?.parentCode || current.level === 'county') return choose(null);
    try {
      choose(await divisionsApi.get(current.parentCode));
    } catch {
      choose(null);
    }
  };

  const searching = query.trim() !== '' && searchTerm !== '';
  const options = searching ? found.data?.items : current ? children.data?.items : served.data?.items;
  const loading = searching ? found.loading : current ? children.loading : served.loading;
  const error = start.error ?? (searching ? found.error : current ? children.error : served.error);

  return (
    <View className="picker-panel">
      <View className="picker-current">
        <Text className="picker-current-label">已选</Text>
        <Text className="picker-current-value">{current ? current.fullName : '未选择'}</Text>
        {current && (
          <Text className="link" onClick={() => void goUp()}>
            上一级
          </Text>
        )}
      </View>
      <Input
        className="input input-small"
        value={query}
        placeholder="搜索乡镇或村的名称"
        onInput={(event) => setQuery(event.detail.value)}
      />
      {error && <ErrorNotice message={error} />}
      {loading && !options && <Loading />}
      {options && options.length > 0 && (
        <View className="picker-options">
          {options.map((division) => (
            <View
              key={division.code}
              className={division.code === value ? 'picker-option picker-option-active' : 'picker-option'}
              onClick={() => choose(division)}
            >
              <Text>{searching ? division.fullName : division.name}</Text>
              <Text className="picker-option-level">{DIVISION_LEVEL_LABELS[division.level as DivisionLevel]}</Text>
            </View>
          ))}
        </View>
      )}
      {options && options.length === 0 && searching && <Text className="field-hint">没有找到名称包含“{searchTerm}”的区划</Text>}
    </View>
  );
}
