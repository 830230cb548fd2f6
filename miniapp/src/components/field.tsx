import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './field.css';

/** A labelled form row with its validation message beneath; `id` lets a form scroll to it. */
export function Field({
  label,
  error,
  hint,
  id,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  id?: string;
  children: ReactNode;
}) {
  return (
    <View id={id} className={error ? 'field field-invalid' : 'field'}>
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
