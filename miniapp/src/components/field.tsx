import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

/** A labelled form row with its validation message beneath. */
export function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <View className={error ? 'field field-invalid' : 'field'}>
      <Text className="field-label">{label}</Text>
      {children}
      {hint && !error && <Text className="field-hint">{hint}</Text>}
      {error && <Text className="field-error">{error}</Text>}
    </View>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return <View className="form-error">{message}</View>;
}
