import { Text, View } from '@tarojs/components';
import { CAUSE_SUPPORT, DROPOUT_CAUSES } from '@baoxue/shared';
import type { DropoutCause } from '@baoxue/shared';

const CAUSES = Object.keys(DROPOUT_CAUSES) as DropoutCause[];

/** Several dropout causes (国办发〔2017〕72号 and ledger practice), each with the support it suggests. */
export function CausePicker({ value, onChange }: { value: readonly DropoutCause[]; onChange: (causes: DropoutCause[]) => void }) {
  const toggle = (cause: DropoutCause) =>
    onChange(value.includes(cause) ? value.filter((chosen) => chosen !== cause) : CAUSES.filter((c) => c === cause || value.includes(c)));

  return (
    <View className="cause-picker">
      <View className="chips">
        {CAUSES.map((cause) => (
          <View key={cause} className={value.includes(cause) ? 'chip chip-active' : 'chip'} onClick={() => toggle(cause)}>
            {DROPOUT_CAUSES[cause]}
          </View>
        ))}
      </View>
      {value.length > 0 && (
        <View className="support-list">
          {value.map((cause) => (
            <Text key={cause} className="support-line">
              {DROPOUT_CAUSES[cause]} → {CAUSE_SUPPORT[cause]}
            </Text>
          ))}
        </View>
      )}
    </View>
  );
}
