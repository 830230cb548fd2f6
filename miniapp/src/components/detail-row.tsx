import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './detail-row.css';

/** A label and its value on a detail page. */
export function DetailRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="detail-row">
      <Text className="detail-label">{label}</Text>
      <Text className="detail-value">{children}</Text>
    </View>
  );
}
