import { View } from '@tarojs/components';
import './segmented.css';

export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** One choice out of a few, all visible: easier on a phone than a picker wheel. */
export function Segmented<T extends string>({
  choices,
  value,
  onChange,
}: {
  choices: ReadonlyArray<Choice<T>>;
  value: T | null | undefined;
  onChange: (value: T) => void;
}) {
  return (
    <View className="segmented">
      {choices.map((choice) => (
        <View
          key={choice.value}
          className={choice.value === value ? 'segment segment-active' : 'segment'}
          onClick={() => onChange(choice.value)}
        >
          {choice.label}
        </View>
      ))}
    </View>
  );
}
