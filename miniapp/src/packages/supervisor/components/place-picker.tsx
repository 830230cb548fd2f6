import { Text, View } from '@tarojs/components';
import { DIVISION_LEVEL_LABELS } from '@baoxue/shared';
import type { DivisionLevel, DivisionView } from '@baoxue/shared';
import { ErrorNotice, Loading } from '../../../components/status';
import { useLoader } from '../../../hooks/use-loader';
import { divisionsApi } from '../../../services/divisions';
import { shortDivisionName } from '../../../utils/labels';
import type { PlaceChoice, PlaceStep } from '../tip-draft';
import '../../../components/subpackage.css';
import '../../../components/picker.css';
import '../supervisor.css';

const NEXT_LEVEL: Partial<Record<DivisionLevel, DivisionLevel>> = { county: 'township', township: 'village' };

/**
 * Where the child lives, county → township → village, with 不清楚 at every level: a tipster often
 * knows the township but not the village. Tapping a picked level goes back to choose it again.
 */
export function PlacePicker({ value, onChange }: { value: PlaceChoice; onChange: (next: PlaceChoice) => void }) {
  const last = value.path[value.path.length - 1];
  const level: DivisionLevel = last ? (NEXT_LEVEL[last.level as DivisionLevel] ?? 'village') : 'county';
  const options = useLoader(
    () => (value.done ? null : last ? divisionsApi.children(last.code) : divisionsApi.served()),
    [value.done, last?.code],
  );

  const pick = (division: DivisionView) => {
    const step: PlaceStep = {
      code: division.code,
      name: shortDivisionName(division.name),
      level: division.level as DivisionLevel,
      hasChildren: division.hasChildren,
    };
    onChange({ path: [...value.path, step], done: !division.hasChildren || !NEXT_LEVEL[step.level] });
  };

  return (
    <View className="picker-panel place-picker">
      {(value.path.length > 0 || value.done) && (
        <View className="place-path">
          {value.path.length === 0 && value.done && <Text className="place-step">不清楚</Text>}
          {value.path.map((step, index) => (
            <View key={step.code} className="place-crumb">
              {index > 0 && <Text className="place-separator">›</Text>}
              <Text className="place-step" onClick={() => onChange({ path: value.path.slice(0, index), done: false })}>
                {step.name}
              </Text>
            </View>
          ))}
          {value.done && last?.hasChildren && NEXT_LEVEL[last.level] && (
            <View className="place-crumb">
              <Text className="place-separator">›</Text>
              <Text className="place-step place-step-unknown">{DIVISION_LEVEL_LABELS[NEXT_LEVEL[last.level]!]}不清楚</Text>
            </View>
          )}
          <Text className="link place-reset" onClick={() => onChange({ path: [], done: false })}>
            重新选择
          </Text>
        </View>
      )}
      {!value.done && (
        <>
          <Text className="place-level">选择{DIVISION_LEVEL_LABELS[level]}</Text>
          {options.loading && <Loading />}
          {!options.loading && (
            <View className="chips">
              {/* Always offered, even when the list cannot load (no network): the note can say the rest. */}
              <View className="chip chip-unknown" onClick={() => onChange({ path: value.path, done: true })}>
                不清楚
              </View>
              {/* After a failed load, `data` is still the level above: show nothing rather than that. */}
              {!options.error &&
                options.data?.items.map((division) => (
                  <View key={division.code} className="chip" onClick={() => pick(division)}>
                    {shortDivisionName(division.name)}
                  </View>
                ))}
            </View>
          )}
          {options.error && <ErrorNotice message={options.error} onRetry={() => void options.reload()} />}
        </>
      )}
    </View>
  );
}
